import type { EventFields } from "../../app/ports/event-log.port.js";

/** The runtime copy of `EventFields`' keys: the allow-list every EventLog adapter (and fake) applies. */
export const EVENT_FIELD_KEYS = [
  "orderId",
  "poNumber",
  "state",
  "from",
  "to",
  "reason",
  "basis",
  "step",
  "job",
  "count",
  "imported",
  "updated",
  "held",
  "sent",
  "applied",
  "rejected",
  "confirmed",
  "failed",
  "purged",
  "packages",
  "fileName",
  "documentType",
  "documentId",
  "shipmentId",
  "packageReferenceId",
  "trackingNumber",
  "carrierCode",
  "errorCode",
  "errorName",
  "errorMessage",
  "retryable",
  "durationMs",
  "plugin",
  "command",
  "pid",
  "signal",
  "version",
  "runtime",
  "schedule",
  "nextRun",
  "from_date",
  "to_date",
  "severity",
  "code",
  "fingerprint",
  "host",
  "attempt",
  "quarantineId",
  "path",
] as const;

type ListedKey = (typeof EVENT_FIELD_KEYS)[number];
// Fails to compile when the list and the EventFields interface drift apart, in either direction.
const listMatchesInterface: [
  Exclude<keyof EventFields, ListedKey>,
  Exclude<ListedKey, keyof EventFields>,
] extends [never, never]
  ? true
  : false = true;
void listMatchesInterface;

const ALLOWED: ReadonlySet<string> = new Set(EVENT_FIELD_KEYS);
const EVENT_NAME = /^[a-z][a-z0-9_.-]{0,63}$/;
export const INVALID_EVENT_NAME = "invalid.event-name";
export const MASK = "[MASKED]";
const MAX_STRING = 500;

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
const LWA_TOKEN = /Atz[ar]\|[^\s"',;]+/g;
const BEARER = /Bearer\s+[A-Za-z0-9._~+/=-]+/gi;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** Patterns that are safe on their own; tslog's `mask.regex` gets these too. */
export const SECRET_PATTERNS: readonly RegExp[] = [PRIVATE_KEY, LWA_TOKEN, BEARER, EMAIL];

// Order ids (3-7-7) and ISO dates are digit runs with separators that are not phone numbers.
// Lookarounds rather than \b: in file names ("PO_123456_113-…") the id follows an underscore.
const NOT_A_PHONE =
  /((?<!\d)\d{3}-\d{7}-\d{7}(?!\d)|(?<!\d)\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d))/;
const DIGIT_RUN = /[+(]?\d(?:[\d().-]| (?=[\d(+]))*\d\)?/g;

function maskPhones(text: string): string {
  return text.replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/\D/g, "").length;
    // A tracking number or count is one unbroken run; a phone number has separators or a leading "+".
    return digits >= 7 && /\D/.test(run) ? MASK : run;
  });
}

/**
 * Text none of the patterns can touch, returned as it is: no "@", "|", whitespace or dashes (so no
 * e-mail, token or key), and digits only in unbroken runs (never a phone number); or one order id.
 * Most fields are such (codes, states, tracking numbers, order ids), and the patterns cost more.
 */
const UNTOUCHED = /^(?:[A-Za-z0-9_]{0,500}|\d{3}-\d{7}-\d{7})$/;

/** Masks e-mail addresses, phone numbers, LWA and bearer tokens and private keys; cuts to 500 chars. */
export function sanitizeText(text: string): string {
  if (UNTOUCHED.test(text)) return text;
  let out = text;
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, MASK);
  out = out
    .split(NOT_A_PHONE)
    .map((part, i) => (i % 2 === 1 ? part : maskPhones(part)))
    .join("");
  return out.length > MAX_STRING ? out.slice(0, MAX_STRING) : out;
}

export function eventName(name: string): string {
  return typeof name === "string" && EVENT_NAME.test(name) ? name : INVALID_EVENT_NAME;
}

export type CleanValue = string | number | boolean;

export interface CleanFields {
  readonly fields: Readonly<Record<string, CleanValue>>;
  /** Keys dropped: not on the allow-list, or a value that is not a string, number or boolean. */
  readonly dropped: number;
}

/** Applies the allow-list and sanitises strings; whatever reaches a log sink went through here. */
export function cleanFields(fields: EventFields | undefined): CleanFields {
  const out: Record<string, CleanValue> = {};
  let dropped = 0;
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === undefined) continue;
    if (!ALLOWED.has(key)) dropped++;
    else if (typeof value === "string") out[key] = sanitizeText(value);
    else if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean")
      out[key] = value;
    else dropped++;
  }
  return { fields: out, dropped };
}
