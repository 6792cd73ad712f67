import type { ServiceIdentifier } from "inversify";

/**
 * The only fields a log or audit event may carry. None of them can hold customer PII or a secret:
 * order ids, states, reason codes, counts and file names. Adapters drop anything else.
 */
export interface EventFields {
  orderId?: string;
  poNumber?: string;
  state?: string;
  from?: string;
  to?: string;
  reason?: string;
  /** What a clock check relied on: "uptime" or "wall-clock". */
  basis?: string;
  step?: string;
  job?: string;
  count?: number;
  imported?: number;
  updated?: number;
  held?: number;
  sent?: number;
  applied?: number;
  rejected?: number;
  confirmed?: number;
  failed?: number;
  purged?: number;
  packages?: number;
  fileName?: string;
  documentType?: string;
  documentId?: string;
  shipmentId?: string;
  packageReferenceId?: string;
  trackingNumber?: string;
  carrierCode?: string;
  errorCode?: string;
  errorName?: string;
  /** Sanitised by the adapter: e-mail addresses, phone numbers and tokens are masked. */
  errorMessage?: string;
  retryable?: boolean;
  durationMs?: number;
  plugin?: string;
  command?: string;
  pid?: number;
  signal?: string;
  version?: string;
  runtime?: string;
  schedule?: string;
  nextRun?: string;
  from_date?: string;
  to_date?: string;
  severity?: string;
  code?: string;
  /** A server's host key fingerprint (`SHA256:…`): public, never a secret. */
  fingerprint?: string;
  host?: string;
  attempt?: number;
  /** The id a refused inbound file was quarantined under. */
  quarantineId?: string;
  /** A directory of the deployment named in the configuration (storage.dataDir …): never data. */
  path?: string;
}

/** Event names are stable identifiers (`order.imported`), never free text with data in it. */
export type EventName = string;

/**
 * The application's structured log and audit trail. `audit` records administrator actions and
 * security-relevant facts (PII viewed, PII purged) in a separate, long-kept log.
 */
export interface EventLog {
  info(event: EventName, fields?: EventFields): void;
  warn(event: EventName, fields?: EventFields): void;
  error(event: EventName, fields?: EventFields): void;
  audit(event: EventName, fields?: EventFields): void;
  /** Waits until everything logged so far is written. */
  flush(): Promise<void>;
}
export const EventLog: ServiceIdentifier<EventLog> = Symbol.for("EventLog");
