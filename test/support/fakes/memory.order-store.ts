import { DEFAULTS } from "../../../src/app/config/config.js";
import { storeWriteFailed } from "../../../src/app/errors.js";
import type {
  HardCapWarning,
  InboundRecord,
  JobRun,
  OrderStore,
  OutboundDocument,
  PiiPurgeSummary,
  ShipToLookup,
} from "../../../src/app/ports/order-store.port.js";
import { deepFreeze } from "../../../src/domain/frozen.js";
import type { FulfillmentOrder, PiiStatus } from "../../../src/domain/fulfillment-order.js";
import type { OrderState } from "../../../src/domain/lifecycle.js";
import { afterPiiPurge, piiDeadline, type RetentionPolicy } from "../../../src/domain/retention.js";
import { ShipTo, type ShipToFields } from "../../../src/domain/ship-to.js";

/** An order kept as JSON, as the real store keeps it, beside the fields its queries filter on. */
interface StoredOrder {
  readonly body: string;
  readonly state: OrderState;
  readonly purchaseDate: string;
  readonly pendingPackages: number;
  readonly piiStatus: PiiStatus;
}

interface StoredOutbound {
  readonly doc: Omit<OutboundDocument, "bytes">;
  readonly bytes: Uint8Array | null;
  /** Insertion order, kept on replace: the tie-break for equal creation times. */
  readonly seq: number;
}

/**
 * OrderStore in memory, for tests. It behaves like the SQLite store: the orders it takes in are
 * frozen and kept as JSON, those it hands out are frozen copies, `transaction` rolls back (savepoint-like when nested) through an undo
 * journal, and a closed store refuses work.
 */
export class MemoryOrderStore implements OrderStore {
  readonly #orders = new Map<string, StoredOrder>();
  readonly #shipTos = new Map<string, ShipToFields>();
  readonly #purges = new Map<string, string>();
  readonly #outbound = new Map<string, StoredOutbound>();
  readonly #inbound: InboundRecord[] = [];
  readonly #cursors = new Map<string, string>();
  readonly #jobRuns: JobRun[] = [];
  readonly #retention: RetentionPolicy;
  #seq = 0;
  #undo: (() => void)[] | undefined;
  #depth = 0;
  #poisoned: { level: number; error: unknown } | undefined;
  #closed = false;

  constructor(retention: RetentionPolicy = DEFAULTS.retention) {
    this.#retention = retention;
  }

  transaction<T>(work: () => T): T {
    this.#checkOpen();
    const outermost = this.#undo === undefined;
    const undo = this.#undo ?? [];
    this.#undo = undo;
    const mark = undo.length;
    const level = ++this.#depth;
    try {
      const result = work();
      if (result instanceof Promise) throw new TypeError("Transaction function cannot return a promise");
      const poisoned = this.#poisoned;
      if (poisoned && poisoned.level >= level) throw storeWriteFailed(poisoned.error);
      return result;
    } catch (error) {
      while (undo.length > mark) undo.pop()?.();
      if (this.#poisoned && this.#poisoned.level >= level) this.#poisoned = undefined;
      throw error;
    } finally {
      this.#depth = level - 1;
      if (outermost) this.#undo = undefined;
    }
  }

  /** As the SQLite store: a method that fails inside a transaction poisons it (see the port). */
  #atomically<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      const depth = this.#depth;
      if (depth > 0 && (!this.#poisoned || this.#poisoned.level > depth))
        this.#poisoned = { level: depth, error };
      throw error;
    }
  }

  get(orderId: string): FulfillmentOrder | undefined {
    this.#checkOpen();
    const stored = this.#orders.get(orderId);
    return stored ? parse(stored) : undefined;
  }

  insert(order: FulfillmentOrder, shipTo: ShipTo | undefined): void {
    this.#atomically(() => {
      this.#checkOpen();
      const orderId = order.facts.orderId;
      if (this.#orders.has(orderId)) throw new Error(`order ${orderId} is already stored`);
      this.#set(this.#orders, orderId, stored(order));
      if (shipTo) this.#set(this.#shipTos, orderId, { ...shipTo.reveal() });
    });
  }

  update(order: FulfillmentOrder): void {
    this.#atomically(() => {
      this.#checkOpen();
      const orderId = order.facts.orderId;
      if (!this.#orders.has(orderId)) throw new Error(`order ${orderId} is not stored`);
      // As in the SQLite store: purged stays purged, even for a copy read before the purge.
      const purgedAt = this.#purges.get(orderId);
      const next =
        purgedAt !== undefined && order.pii.status === "HELD"
          ? afterPiiPurge(order, new Date(purgedAt))
          : order;
      this.#set(this.#orders, orderId, stored(next));
    });
  }

  inStates(states: readonly OrderState[]): FulfillmentOrder[] {
    return this.#list((o) => states.includes(o.state));
  }

  withPendingPackages(): FulfillmentOrder[] {
    return this.#list((o) => o.pendingPackages > 0);
  }

  countsByState(): Readonly<Partial<Record<OrderState, number>>> {
    this.#checkOpen();
    const counts: Partial<Record<OrderState, number>> = {};
    for (const o of this.#orders.values()) counts[o.state] = (counts[o.state] ?? 0) + 1;
    return counts;
  }

  getShipTo(orderId: string): ShipToLookup {
    this.#checkOpen();
    const fields = this.#shipTos.get(orderId);
    if (fields) return { kind: "held", shipTo: ShipTo.of(fields) };
    const at = this.#purges.get(orderId);
    return at === undefined ? { kind: "none" } : { kind: "purged", at };
  }

  duePii(now: Date): PiiPurgeSummary {
    this.#checkOpen();
    return summary(this.#due(now).map((d) => d.deadline));
  }

  purgeDuePii(now: Date): PiiPurgeSummary {
    return this.transaction(() => {
      const due = this.#due(now);
      const at = now.toISOString();
      for (const { order } of due) {
        const orderId = order.facts.orderId;
        this.#delete(this.#shipTos, orderId);
        for (const [fileName, entry] of this.#outbound) {
          if (entry.doc.orderId === orderId) this.#set(this.#outbound, fileName, { ...entry, bytes: null });
        }
        if (!this.#purges.has(orderId)) this.#set(this.#purges, orderId, at);
        this.#set(this.#orders, orderId, stored(afterPiiPurge(order, now)));
      }
      // Nothing here is encrypted: there are no keys to destroy.
      return summary(due.map((d) => d.deadline));
    });
  }

  approachingHardCap(now: Date): HardCapWarning[] {
    this.#checkOpen();
    const warnings: HardCapWarning[] = [];
    for (const o of this.#orders.values()) {
      if (o.piiStatus !== "HELD") continue;
      const { deadline, alertAt } = piiDeadline(parse(o), this.#retention);
      if (alertAt && alertAt <= now && deadline > now) {
        warnings.push({ orderId: parse(o).facts.orderId, deadline: deadline.toISOString() });
      }
    }
    return warnings.sort((a, b) => compare(a.deadline, b.deadline) || compare(a.orderId, b.orderId));
  }

  saveOutbound(doc: OutboundDocument): void {
    this.#atomically(() => {
      this.#checkOpen();
      const seq = this.#outbound.get(doc.fileName)?.seq ?? ++this.#seq;
      const kept = {
        orderId: doc.orderId,
        fileName: doc.fileName,
        documentType: doc.documentType,
        sha256: doc.sha256,
        createdAt: doc.createdAt,
        ...(doc.sentAt === undefined ? {} : { sentAt: doc.sentAt }),
      };
      this.#set(this.#outbound, doc.fileName, { doc: kept, bytes: new Uint8Array(doc.bytes), seq });
    });
  }

  unsentOutbound(except?: ReadonlySet<string>): OutboundDocument[] {
    this.#checkOpen();
    return [...this.#outbound.values()]
      .filter((e) => e.bytes !== null && e.doc.sentAt === undefined && !except?.has(e.doc.fileName))
      .sort((a, b) => compare(a.doc.createdAt, b.doc.createdAt) || a.seq - b.seq)
      .map((e) => ({ ...e.doc, bytes: new Uint8Array(e.bytes ?? []) }));
  }

  markOutboundSent(fileName: string, at: string): void {
    this.#atomically(() => {
      this.#checkOpen();
      const entry = this.#outbound.get(fileName);
      if (!entry) throw new Error(`outbound document ${fileName} is not stored`);
      const sentAt = entry.doc.sentAt ?? at;
      this.#set(this.#outbound, fileName, { ...entry, doc: { ...entry.doc, sentAt }, bytes: null });
    });
  }

  inboundSeen(sha256: string, documentId?: string): boolean {
    this.#checkOpen();
    return this.#inbound.some(
      (r) => r.sha256 === sha256 || (documentId !== undefined && r.documentId === documentId),
    );
  }

  recordInbound(record: InboundRecord): void {
    this.#checkOpen();
    this.#push(this.#inbound, { ...record });
  }

  getCursor(name: string): string | undefined {
    this.#checkOpen();
    return this.#cursors.get(name);
  }

  setCursor(name: string, value: string): void {
    this.#checkOpen();
    this.#set(this.#cursors, name, value);
  }

  recordJobRun(run: JobRun): void {
    this.#checkOpen();
    this.#push(this.#jobRuns, { ...run });
  }

  lastJobRuns(): JobRun[] {
    this.#checkOpen();
    const latest = new Map<string, JobRun>();
    for (const run of this.#jobRuns) latest.set(run.job, run);
    return [...latest.values()].sort((a, b) => compare(a.job, b.job)).map((run) => ({ ...run }));
  }

  pruneJobRuns(before: string): number {
    this.#checkOpen();
    const latest = new Map<string, JobRun>();
    for (const run of this.#jobRuns) latest.set(run.job, run);
    const keep = new Set(latest.values());
    const all = [...this.#jobRuns];
    const kept = all.filter((run) => keep.has(run) || run.finishedAt >= before);
    if (kept.length < all.length) {
      this.#undo?.push(() => this.#jobRuns.splice(0, this.#jobRuns.length, ...all));
      this.#jobRuns.splice(0, this.#jobRuns.length, ...kept);
    }
    return all.length - kept.length;
  }

  close(): void {
    this.#closed = true;
  }

  #checkOpen(): void {
    if (this.#closed) throw new TypeError("The database connection is not open");
  }

  #due(now: Date): { order: FulfillmentOrder; deadline: string }[] {
    const due: { order: FulfillmentOrder; deadline: string }[] = [];
    for (const o of this.#orders.values()) {
      if (o.piiStatus !== "HELD") continue;
      const order = parse(o);
      const { deadline } = piiDeadline(order, this.#retention);
      if (deadline <= now) due.push({ order, deadline: deadline.toISOString() });
    }
    return due;
  }

  #list(keep: (o: StoredOrder, orderId: string) => boolean): FulfillmentOrder[] {
    this.#checkOpen();
    const found: [string, StoredOrder][] = [];
    for (const [id, o] of this.#orders) if (keep(o, id)) found.push([id, o]);
    found.sort(([idA, a], [idB, b]) => compare(a.purchaseDate, b.purchaseDate) || compare(idA, idB));
    return found.map(([, o]) => parse(o));
  }

  // Mutations go through these three, which journal the inverse while a transaction is open.
  #set<K, V>(map: Map<K, V>, key: K, value: V): void {
    if (this.#undo) {
      const had = map.has(key);
      const before = map.get(key);
      this.#undo.push(() => (had ? map.set(key, before as V) : map.delete(key)));
    }
    map.set(key, value);
  }

  #delete<K, V>(map: Map<K, V>, key: K): void {
    if (!map.has(key)) return;
    if (this.#undo) {
      const before = map.get(key) as V;
      this.#undo.push(() => map.set(key, before));
    }
    map.delete(key);
  }

  #push<V>(list: V[], value: V): void {
    if (this.#undo) this.#undo.push(() => list.pop());
    list.push(value);
  }
}

/** Freezes the order handed in, as the SQLite store does (it keeps it), and keeps it as JSON. */
function stored(order: FulfillmentOrder): StoredOrder {
  deepFreeze(order);
  return {
    body: JSON.stringify(order),
    state: order.state,
    purchaseDate: order.facts.purchaseDate,
    pendingPackages: order.packages.filter((p) => p.status === "PENDING").length,
    piiStatus: order.pii.status,
  };
}

/** A frozen copy of the stored order, as the SQLite store hands out the frozen order it keeps. */
function parse(o: StoredOrder): FulfillmentOrder {
  return deepFreeze(JSON.parse(o.body) as FulfillmentOrder);
}

function summary(deadlines: readonly string[]): PiiPurgeSummary {
  const sorted = [...deadlines].sort(compare);
  const first = sorted[0];
  const last = sorted.at(-1);
  return {
    orders: sorted.length,
    keysDestroyed: 0,
    ...(first && last ? { firstDeadline: first, lastDeadline: last } : {}),
  };
}

/** Byte-wise string order, as SQLite's default collation compares. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
