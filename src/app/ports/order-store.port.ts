import type { ServiceIdentifier } from "inversify";
import type { FulfillmentOrder } from "../../domain/fulfillment-order.js";
import type { OrderState } from "../../domain/lifecycle.js";
import type { ShipTo } from "../../domain/ship-to.js";

export interface OutboundDocument {
  readonly orderId: string;
  readonly fileName: string;
  readonly documentType: "PO" | "POCANCEL";
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly createdAt: string;
  readonly sentAt?: string;
}

export interface InboundRecord {
  readonly fileName: string;
  readonly sha256: string;
  readonly documentId?: string;
  readonly documentType?: string;
  readonly poNumber?: string;
  /** APPLIED, DUPLICATE, IGNORED or REJECTED. */
  readonly outcome: string;
  readonly reason?: string;
  readonly at: string;
}

export interface JobRun {
  readonly job: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly ok: boolean;
  readonly summary: string;
}

export interface PiiPurgeSummary {
  /** Orders whose PII was (or, counted by `duePii`, would be) erased. */
  readonly orders: number;
  /** The earliest and latest of their deadlines (ISO-8601), when there are any. */
  readonly firstDeadline?: string;
  readonly lastDeadline?: string;
  /** Data keys destroyed; 0 when counting, and in a store that encrypts nothing. */
  readonly keysDestroyed: number;
}

export interface HardCapWarning {
  readonly orderId: string;
  readonly deadline: string;
}

export type ShipToLookup =
  | { readonly kind: "held"; readonly shipTo: ShipTo }
  | { readonly kind: "purged"; readonly at: string }
  | { readonly kind: "none" };

/**
 * Durable state. Calls are synchronous and short; `transaction` makes a group of them atomic and
 * must not span an await. Orders are saved whole; the ship-to (PII) lives apart so it can be
 * destroyed without touching the order's history. The store is built with the retention policy
 * and keeps each order's PII deadline from it, so the purge can find due orders without reading
 * every order.
 */
export interface OrderStore {
  /**
   * Runs `work` atomically: all of its writes land, or none (it rethrows). Nested, it is a savepoint:
   * its failure undoes only its own writes. A store method that throws inside `work` fails the
   * transaction it runs in even if `work` catches the error and returns: the transaction then throws
   * STORE_WRITE_FAILED (the method's error as `cause`) and keeps nothing.
   */
  transaction<T>(work: () => T): T;

  /**
   * The order as last saved, or undefined. Orders handed out are frozen (deeply): a store may share
   * one with every reader, so changing it throws instead of changing what the next one gets.
   */
  get(orderId: string): FulfillmentOrder | undefined;
  /** Stores a new order and its ship-to; the order is frozen (the store may keep it). Throws if the order id exists. */
  insert(order: FulfillmentOrder, shipTo: ShipTo | undefined): void;
  /** Replaces a stored order; the order is frozen (the store may keep it). Throws if it does not exist. */
  update(order: FulfillmentOrder): void;
  /** Orders in any of these states, oldest purchase first. */
  inStates(states: readonly OrderState[]): FulfillmentOrder[];
  /** Orders with at least one package whose Amazon confirmation is still pending. */
  withPendingPackages(): FulfillmentOrder[];
  /** How many orders are in each state; states without orders may be absent. */
  countsByState(): Readonly<Partial<Record<OrderState, number>>>;

  /** The order's ship-to while held, when it was purged, or that there never was one. */
  getShipTo(orderId: string): ShipToLookup;
  /**
   * Orders holding PII whose deadline has come at `now`: `piiDeadline` under the store's retention
   * policy, as of each order's last save. Counts only; erases nothing.
   */
  duePii(now: Date): PiiPurgeSummary;
  /**
   * The daily purge, atomically: erases the ship-to and the stored documents' bytes of every order
   * `duePii(now)` counts, then destroys the encryption keys that protect no PII still held, so any
   * copy of the erased values (journal, free pages, backups) becomes unreadable. From then on each
   * of those orders reads as `afterPiiPurge(order, now)`. Idempotent: a second run erases nothing.
   */
  purgeDuePii(now: Date): PiiPurgeSummary;
  /** Unshipped orders on the hard cap whose warning time has come and whose deadline has not, soonest first. */
  approachingHardCap(now: Date): HardCapWarning[];

  /** Stores a document to send, bytes and hash, before any network call; the same file name replaces it. */
  saveOutbound(doc: OutboundDocument): void;
  /**
   * Outbound documents not yet known to be delivered, oldest first. Those named in `except` (the
   * caller holds them, e.g. just saved) are left out, and their bytes are not even opened.
   */
  unsentOutbound(except?: ReadonlySet<string>): OutboundDocument[];
  /**
   * Records delivery; the first time stands. The document's bytes, kept only to send it again, are
   * erased (they hold the ship-to). Throws for a file name never saved.
   */
  markOutboundSent(fileName: string, at: string): void;

  /** True when a file with this hash, or a document with this id, was already recorded. */
  inboundSeen(sha256: string, documentId?: string): boolean;
  /** Records an inbound file's outcome; call it in the transaction that applies the document. */
  recordInbound(record: InboundRecord): void;

  /** Where a poll continues (e.g. the marketplace's order cursor); set it in the transaction storing what it covers. */
  getCursor(name: string): string | undefined;
  setCursor(name: string, value: string): void;

  /** Appends one run of a step or job, for `status`. */
  recordJobRun(run: JobRun): void;
  /** The latest run of each job. */
  lastJobRuns(): JobRun[];
  /** Deletes the runs that finished before `before` (ISO-8601), except each job's latest; returns how many. */
  pruneJobRuns(before: string): number;

  /** Closes the store (and whatever shares its connection); later calls throw. */
  close(): void;
}
export const OrderStore: ServiceIdentifier<OrderStore> = Symbol.for("OrderStore");
