// @ts-types="@types/better-sqlite3"
import type Database from "better-sqlite3";
import { storeWriteFailed } from "../../app/errors.js";
import type {
  HardCapWarning,
  InboundRecord,
  JobRun,
  OrderStore,
  OutboundDocument,
  PiiPurgeSummary,
  ShipToLookup,
} from "../../app/ports/order-store.port.js";
import { deepFreeze } from "../../domain/frozen.js";
import type { FulfillmentOrder } from "../../domain/fulfillment-order.js";
import type { OrderState } from "../../domain/lifecycle.js";
import {
  afterPiiPurge,
  CLOSED_AFTER_PURGE,
  piiDeadline,
  type RetentionPolicy,
  sameDeadlineBasis,
} from "../../domain/retention.js";
import { ShipTo, type ShipToFields } from "../../domain/ship-to.js";
import { addDays } from "../../domain/time.js";
import { upgradeLegacyPii } from "./sqlite.legacy-pii.js";
import { outboundRef, type SqlitePiiVault, shipToRef } from "./sqlite.pii-vault.js";

interface PiiRow {
  pii_day: string | null;
  purged_at: string | null;
}

/** The order's narrow row as stored, and when its PII was purged (see PURGED_AT). */
interface StoredRow extends PiiRow {
  state: string;
  purchase_date: string;
  last_updated_time: string;
  pending_packages: number;
  pii_deadline: string | null;
  pii_alert_at: string | null;
  pii_purged_at: string | null;
}

/** The order's rows as stored: its narrow row and its JSON record. */
interface OrderRow extends StoredRow {
  order_id: string;
  body: string;
}

/** The narrow row's columns an update may change. */
const NARROW = [
  "state",
  "purchase_date",
  "last_updated_time",
  "pending_packages",
  "pii_day",
  "pii_deadline",
  "pii_alert_at",
  "pii_purged_at",
] as const;

interface OutboundRow {
  order_id: string;
  file_name: string;
  document_type: OutboundDocument["documentType"];
  pii_day: string;
  sha256: string;
  created_at: string;
  sent_at: string | null;
}

interface JobRunRow {
  job: string;
  started_at: string;
  finished_at: string;
  ok: number;
  summary: string;
}

interface DueRow {
  n: number;
  first: string | null;
  last: string | null;
}

/** How many orders #known remembers: more than a busy seller's day, about 4 KB of heap each. */
const KNOWN_ORDERS = 20_000;

/** An order as this connection last read or wrote it. */
interface Known {
  readonly row: StoredRow;
  readonly order?: FulfillmentOrder;
}

const utcDay = (at: Date | string) => new Date(at).toISOString().slice(0, 10);

/** When the order's PII was purged: on its own, or with its whole deadline day. */
const PURGED_AT = "COALESCE(o.pii_purged_at, d.purged_at)";
const FROM_ORDERS = "FROM orders o LEFT JOIN pii_days d ON d.day = o.pii_day";
const FINISHED = CLOSED_AFTER_PURGE.map((s) => `'${s}'`).join(", ");
/** The state an order reads in: finished orders whose PII is purged are CLOSED (afterPiiPurge). */
const STATE = `CASE WHEN ${PURGED_AT} IS NOT NULL AND o.state IN (${FINISHED}) THEN 'CLOSED' ELSE o.state END`;
const NARROW_COLUMNS =
  "o.state, o.purchase_date, o.last_updated_time, o.pending_packages, o.pii_day, o.pii_deadline, o.pii_alert_at, o.pii_purged_at";
const SELECT_ORDER = `SELECT o.order_id, ${NARROW_COLUMNS}, o.body, ${PURGED_AT} AS purged_at ${FROM_ORDERS}`;
const LIST_ORDER = "ORDER BY o.purchase_date, o.order_id";

/**
 * The order store on SQLite. An order is one row: the columns queries filter on, and its whole
 * record as JSON (`body`, docs/adr/0007). Its ship-to and PO bytes are sealed in the PII vault
 * under the key of its PII deadline day (kept in `pii_day`, computed from the retention policy).
 * The purge destroys whole past days (their table and key) and erases today's due orders one by
 * one, and rewrites no order: an order whose PII is purged reads as `afterPiiPurge` (docs/adr/0006).
 * Statements are prepared once. Outermost transactions are IMMEDIATE: a data key is looked up under
 * the write lock, so a purge in another process cannot destroy it before what it sealed commits.
 */
export class SqliteOrderStore implements OrderStore {
  readonly #db: Database.Database;
  readonly #vault: SqlitePiiVault;
  readonly #retention: RetentionPolicy;
  readonly #sql;
  /** How deep in `transaction` calls the current work runs (0: outside any). */
  #depth = 0;
  /** A store method failed straight in the transaction at `level` (see #atomically). */
  #poisoned: { level: number; error: unknown } | undefined;
  /** Set when PII was erased in the current transaction; see #flushErasure. */
  #erased = false;
  /** Runs a work function in a transaction, or in a savepoint inside one. */
  readonly #inTransaction: Database.Transaction<(work: () => unknown) => unknown>;
  /** See #updateOf. */
  readonly #updates: Database.Statement<unknown[]>[] = [];
  /**
   * What this connection read or wrote, valid as long as no other connection commits (SQLite's
   * `data_version` tells, see #revalidate): each order's narrow row and, once read or written whole,
   * the order itself (frozen, so a caller cannot change what the next one gets); and each deadline
   * day with the open day its PII goes under (see #openDay). Forgotten when a transaction or savepoint
   * fails, and by the purge, which writes rows directly. Holds no PII: ship-tos live in the vault.
   */
  readonly #known = new Map<string, Known>();
  readonly #days = new Map<string, string>();
  /** `data_version` when #known was last found valid. */
  #dataVersion: unknown;

  /** How many orders #known holds at most. */
  readonly #remembers: number;

  constructor(
    db: Database.Database,
    vault: SqlitePiiVault,
    retention: RetentionPolicy,
    remembers: number = KNOWN_ORDERS,
  ) {
    this.#db = db;
    this.#remembers = remembers;
    this.#vault = vault;
    this.#retention = retention;
    this.#sql = {
      getOrder: db.prepare<[string], OrderRow>(`${SELECT_ORDER} WHERE o.order_id = ?`),
      insertOrder: db.prepare<unknown[]>(
        `INSERT INTO orders (order_id, ${NARROW.join(", ")}, body) VALUES (?, ${NARROW.map(() => "?").join(", ")}, ?) ` +
          "ON CONFLICT (order_id) DO NOTHING",
      ),
      piiOf: db.prepare<[string], StoredRow>(
        `SELECT ${NARROW_COLUMNS}, ${PURGED_AT} AS purged_at ${FROM_ORDERS} WHERE o.order_id = ?`,
      ),
      addDay: db.prepare<[string]>("INSERT INTO pii_days (day) VALUES (?) ON CONFLICT (day) DO NOTHING"),
      // The first day after every purged one: where PII whose deadline day is already purged waits.
      openDayFor: db.prepare<[{ day: string }], { day: string }>(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM pii_days WHERE day = @day AND purged_at IS NOT NULL) " +
          "THEN (SELECT date(MAX(day), '+1 day') FROM pii_days WHERE purged_at IS NOT NULL) ELSE @day END AS day",
      ),
      // Lists give ids only: most orders they name are remembered (see #listed).
      inStates: db
        .prepare<[string, string], string>(
          `SELECT o.order_id ${FROM_ORDERS} WHERE o.state IN (SELECT value FROM json_each(?)) AND ${STATE} IN (SELECT value FROM json_each(?)) ${LIST_ORDER}`,
        )
        .pluck(),
      withPendingPackages: db
        .prepare<[], string>(`SELECT o.order_id ${FROM_ORDERS} WHERE o.pending_packages > 0 ${LIST_ORDER}`)
        .pluck(),
      countsByState: db.prepare<[], { state: OrderState; n: number }>(
        `SELECT ${STATE} AS state, COUNT(*) AS n ${FROM_ORDERS} GROUP BY 1`,
      ),
      openDays: db.prepare<[string], { day: string }>(
        "SELECT day FROM pii_days WHERE purged_at IS NULL AND day <= ? ORDER BY day",
      ),
      dueOnDay: db.prepare<[string, string], DueRow>(
        "SELECT COUNT(*) AS n, MIN(pii_deadline) AS first, MAX(pii_deadline) AS last FROM orders " +
          "WHERE pii_day = ? AND pii_deadline <= ? AND pii_purged_at IS NULL",
      ),
      dueToday: db.prepare<[string, string], { order_id: string }>(
        "SELECT order_id FROM orders WHERE pii_day = ? AND pii_deadline <= ? AND pii_purged_at IS NULL",
      ),
      purgeOne: db.prepare<[string, string]>("UPDATE orders SET pii_purged_at = ? WHERE order_id = ?"),
      purgeDay: db.prepare<[string, string]>("UPDATE pii_days SET purged_at = ? WHERE day = ?"),
      approachingHardCap: db.prepare<[string, string], { order_id: string; pii_deadline: string }>(
        "SELECT order_id, pii_deadline FROM orders WHERE pii_alert_at IS NOT NULL AND pii_alert_at <= ? " +
          "AND pii_deadline > ? AND pii_purged_at IS NULL ORDER BY pii_deadline, order_id",
      ),
      outboundOfOrder: db.prepare<[string, string], { file_name: string }>(
        "SELECT file_name FROM outbound_documents WHERE order_id = ? AND pii_day = ?",
      ),
      setOutboundDay: db.prepare<[string | null, string]>(
        "UPDATE outbound_documents SET pii_day = ? WHERE file_name = ?",
      ),
      saveOutbound: db.prepare<[string, string, string, string, string, string, string | null]>(
        "INSERT INTO outbound_documents (file_name, order_id, document_type, pii_day, sha256, created_at, sent_at) " +
          "VALUES (?, ?, ?, ?, ?, ?, ?) " +
          "ON CONFLICT (file_name) DO UPDATE SET order_id = excluded.order_id, document_type = excluded.document_type, " +
          "pii_day = excluded.pii_day, bytes = NULL, key_id = NULL, sha256 = excluded.sha256, " +
          "created_at = excluded.created_at, sent_at = excluded.sent_at",
      ),
      unsentOutbound: db.prepare<[], OutboundRow>(
        "SELECT od.order_id, od.file_name, od.document_type, od.pii_day, od.sha256, od.created_at, od.sent_at " +
          "FROM outbound_documents od LEFT JOIN pii_days d ON d.day = od.pii_day " +
          "WHERE od.sent_at IS NULL AND od.pii_day IS NOT NULL AND d.purged_at IS NULL ORDER BY od.created_at, od.rowid",
      ),
      outboundOrigin: db.prepare<[string], { order_id: string; pii_day: string | null }>(
        "SELECT order_id, pii_day FROM outbound_documents WHERE file_name = ?",
      ),
      markOutboundSent: db.prepare<[string, string]>(
        "UPDATE outbound_documents SET sent_at = COALESCE(sent_at, ?), pii_day = NULL WHERE file_name = ?",
      ),
      inboundSeen: db
        .prepare<[string, string | null], number>(
          "SELECT EXISTS (SELECT 1 FROM inbound_documents WHERE sha256 = ?) " +
            "OR EXISTS (SELECT 1 FROM inbound_documents WHERE document_id = ?) AS seen",
        )
        .pluck(),
      recordInbound: db.prepare<
        [string, string | null, string, string | null, string | null, string, string | null, string]
      >(
        "INSERT INTO inbound_documents (sha256, document_id, file_name, document_type, po_number, outcome, reason, at) " +
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      getCursor: db.prepare<[string], { value: string }>("SELECT value FROM cursors WHERE name = ?"),
      setCursor: db.prepare<[string, string]>(
        "INSERT INTO cursors (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
      ),
      recordJobRun: db.prepare(
        "INSERT INTO job_runs (job, started_at, finished_at, ok, summary) " +
          "VALUES (@job, @started_at, @finished_at, @ok, @summary)",
      ),
      lastJobRuns: db.prepare<[], JobRunRow>(
        "SELECT job, started_at, finished_at, ok, summary FROM job_runs " +
          "WHERE id IN (SELECT MAX(id) FROM job_runs GROUP BY job) ORDER BY job",
      ),
      pruneJobRuns: db.prepare<[string]>(
        "DELETE FROM job_runs WHERE finished_at < ? AND id NOT IN (SELECT MAX(id) FROM job_runs GROUP BY job)",
      ),
      getMeta: db.prepare<[string], { value: string }>("SELECT value FROM store_meta WHERE name = ?"),
      setMeta: db.prepare<[string, string]>(
        "INSERT INTO store_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
      ),
      dataVersion: db.prepare<[], number>("PRAGMA data_version").pluck(),
      heldOrders: db.prepare<[], { order_id: string }>(
        `SELECT o.order_id ${FROM_ORDERS} WHERE o.pii_purged_at IS NULL AND d.purged_at IS NULL`,
      ),
    };
    this.#inTransaction = db.transaction((work: () => unknown) => work());
    this.transaction(() => {
      this.#applyRetentionPolicy();
      // What a release before ADR 0006 stored moves into the day tables, plaintext sealed on the way.
      const dayOf = (orderId: string, createdAt?: string) =>
        this.#dayOf(orderId) ?? (createdAt ? this.#hardCapDay(createdAt) : undefined);
      if (upgradeLegacyPii(db, vault, dayOf)) this.#erased = true;
    });
  }

  transaction<T>(work: () => T): T {
    const level = this.#depth + 1;
    const run = () => {
      this.#depth = level;
      try {
        const result = work();
        const poisoned = this.#poisoned;
        if (poisoned && poisoned.level >= level) throw storeWriteFailed(poisoned.error);
        return result;
      } finally {
        this.#depth = level - 1;
      }
    };
    // better-sqlite3 nests transactions as savepoints and refuses a work function that returns a promise.
    if (this.#db.inTransaction) {
      try {
        return this.#inTransaction(run) as T;
      } catch (error) {
        this.#rolledBack(level);
        throw error;
      }
    }
    this.#vault.beginWrite();
    let result: T;
    try {
      result = this.#inTransaction.immediate(() => {
        this.#revalidate();
        return run();
      }) as T;
    } catch (error) {
      this.#erased = false;
      this.#rolledBack(level);
      throw error;
    }
    if (this.#erased) this.#flushErasure();
    return result;
  }

  get(orderId: string): FulfillmentOrder | undefined {
    if (!this.#db.inTransaction) this.#revalidate();
    const known = this.#known.get(orderId)?.order;
    if (known) return known;
    const row = this.#sql.getOrder.get(orderId);
    return row ? this.#read(row) : undefined;
  }

  insert(order: FulfillmentOrder, shipTo: ShipTo | undefined): void {
    deepFreeze(order);
    const orderId = order.facts.orderId;
    this.#atomically(() => {
      const columns = this.#columns(order, shipTo !== undefined);
      const values = NARROW.map((c) => columns[c]);
      if (this.#sql.insertOrder.run(orderId, ...values, JSON.stringify(order)).changes === 0) {
        throw new Error(`order ${orderId} is already stored`);
      }
      this.#remember(orderId, columns, order);
      if (shipTo && columns.pii_day) {
        const plain = Buffer.from(JSON.stringify(shipTo.reveal()), "utf8");
        this.#vault.put(columns.pii_day, shipToRef(orderId), plain);
        plain.fill(0);
      }
    });
  }

  update(order: FulfillmentOrder): void {
    deepFreeze(order);
    const orderId = order.facts.orderId;
    this.#atomically(() => {
      const stored = this.#stored(orderId);
      if (!stored) throw new Error(`order ${orderId} is not stored`);
      // Purged stays purged, even for a caller holding a copy read before the purge.
      const next =
        stored.purged_at !== null && order.pii.status === "HELD"
          ? afterPiiPurge(order, new Date(stored.purged_at))
          : order;
      const columns = this.#columns(next, false, stored, this.#known.get(orderId)?.order);
      // The record and the narrow columns that change: SQLite rewrites the entry of every index on
      // a column it sets.
      const values: unknown[] = [JSON.stringify(next)];
      let changed = 0;
      for (let i = 0; i < NARROW.length; i++) {
        const column = NARROW[i] as (typeof NARROW)[number];
        if (columns[column] !== stored[column]) {
          changed |= 1 << i;
          values.push(columns[column]);
        }
      }
      values.push(orderId);
      this.#updateOf(changed).run(...values);
      this.#remember(orderId, columns, next);
      if (
        stored.pii_day &&
        columns.pii_day &&
        stored.pii_day !== columns.pii_day &&
        stored.purged_at === null
      ) {
        this.#rekey(orderId, stored.pii_day, columns.pii_day);
      }
    });
  }

  inStates(states: readonly OrderState[]): FulfillmentOrder[] {
    if (states.length === 0) return [];
    // Orders closed by the purge still carry their finished state in the row.
    const stored = states.includes("CLOSED") ? [...states, ...CLOSED_AFTER_PURGE] : states;
    return this.#listed(() => this.#sql.inStates.all(JSON.stringify(stored), JSON.stringify(states)));
  }

  withPendingPackages(): FulfillmentOrder[] {
    return this.#listed(() => this.#sql.withPendingPackages.all());
  }

  countsByState(): Readonly<Partial<Record<OrderState, number>>> {
    const counts: Partial<Record<OrderState, number>> = {};
    for (const row of this.#sql.countsByState.all()) counts[row.state] = row.n;
    return counts;
  }

  getShipTo(orderId: string): ShipToLookup {
    const row = this.#stored(orderId);
    if (!row) return { kind: "none" };
    if (row.purged_at !== null) return { kind: "purged", at: row.purged_at };
    if (!row.pii_day) return { kind: "none" };
    const read = this.#vault.get(row.pii_day, shipToRef(orderId), `the ship-to of order ${orderId}`);
    if (!read) return { kind: "none" };
    // Its key was destroyed but the row survived: a database restored from before the purge.
    if (read.kind === "shredded") return { kind: "purged", at: read.at };
    const fields = JSON.parse(read.bytes.toString("utf8")) as ShipToFields;
    read.bytes.fill(0);
    return { kind: "held", shipTo: ShipTo.of(fields) };
  }

  duePii(now: Date): PiiPurgeSummary {
    const due = this.#due(now);
    return summary(due.map((d) => d.row));
  }

  purgeDuePii(now: Date): PiiPurgeSummary {
    return this.transaction(() => {
      this.#forget();
      const at = now.toISOString();
      const today = utcDay(now);
      const due = this.#due(now);
      for (const { day, row } of due) {
        if (row.n === 0) continue;
        if (day < today) continue;
        // Today's day stays (its later deadlines are not due): erase its due orders one by one.
        for (const { order_id } of this.#sql.dueToday.all(day, at)) {
          this.#vault.delete(day, shipToRef(order_id));
          for (const { file_name } of this.#sql.outboundOfOrder.all(order_id, day)) {
            this.#vault.delete(day, outboundRef(order_id, file_name));
            this.#sql.setOutboundDay.run(null, file_name);
          }
          this.#sql.purgeOne.run(at, order_id);
        }
      }
      // Whole days: every day before today, and any later day that no longer holds a value (its
      // orders' deadlines moved). Their tables are dropped and keys destroyed, last: it cannot be undone.
      const past = new Set(
        this.#sql.openDays
          .all(today)
          .map((r) => r.day)
          .filter((d) => d < today),
      );
      for (const day of [...this.#vault.liveDays(), ...this.#vault.storedDays()]) {
        if (day < today || !this.#vault.holdsAny(day)) past.add(day);
      }
      for (const day of past) if (day < today) this.#sql.purgeDay.run(at, day);
      if (past.size > 0 || due.some((d) => d.row.n > 0)) this.#erased = true;
      this.#forget();
      const keysDestroyed = this.#vault.destroyDays([...past].sort(), at);
      return { ...summary(due.map((d) => d.row)), keysDestroyed };
    });
  }

  approachingHardCap(now: Date): HardCapWarning[] {
    const at = now.toISOString();
    return this.#sql.approachingHardCap
      .all(at, at)
      .map((r) => ({ orderId: r.order_id, deadline: r.pii_deadline }));
  }

  saveOutbound(doc: OutboundDocument): void {
    this.#atomically(() => {
      const day = this.#dayOf(doc.orderId) ?? this.#hardCapDay(doc.createdAt);
      const previous = this.#sql.outboundOrigin.get(doc.fileName);
      if (previous?.pii_day && (previous.pii_day !== day || previous.order_id !== doc.orderId))
        this.#vault.delete(previous.pii_day, outboundRef(previous.order_id, doc.fileName));
      const ref = outboundRef(doc.orderId, doc.fileName);
      this.#sql.addDay.run(day);
      this.#vault.put(day, ref, doc.bytes);
      this.#sql.saveOutbound.run(
        doc.fileName,
        doc.orderId,
        doc.documentType,
        day,
        doc.sha256,
        doc.createdAt,
        doc.sentAt ?? null,
      );
    });
  }

  unsentOutbound(except?: ReadonlySet<string>): OutboundDocument[] {
    // One read transaction for the list and every value, not one per statement.
    const read = () =>
      this.#sql.unsentOutbound.all().flatMap((row) => {
        if (except?.has(row.file_name)) return [];
        const ref = outboundRef(row.order_id, row.file_name);
        const opened = this.#vault.get(row.pii_day, ref, `outbound document ${row.file_name}`);
        // A document whose key a purge destroyed can never be sent: its order's PII is gone.
        if (opened?.kind !== "plain") return [];
        return [
          {
            orderId: row.order_id,
            fileName: row.file_name,
            documentType: row.document_type,
            // A plain copy: callers get no Buffer tied to the driver's memory.
            bytes: new Uint8Array(opened.bytes),
            sha256: row.sha256,
            createdAt: row.created_at,
            ...(row.sent_at === null ? {} : { sentAt: row.sent_at }),
          },
        ];
      });
    return this.#db.inTransaction ? read() : (this.#inTransaction.deferred(read) as OutboundDocument[]);
  }

  markOutboundSent(fileName: string, at: string): void {
    this.#atomically(() => {
      const row = this.#sql.outboundOrigin.get(fileName);
      if (!row) throw new Error(`outbound document ${fileName} is not stored`);
      this.#sql.markOutboundSent.run(at, fileName);
      // Data minimisation: only a re-send needs the bytes. What the delete leaves in free pages and
      // the WAL stays sealed under the day's key, destroyed with the day (or once the day is empty).
      if (row.pii_day) this.#vault.delete(row.pii_day, outboundRef(row.order_id, fileName));
    });
  }

  inboundSeen(sha256: string, documentId?: string): boolean {
    return this.#sql.inboundSeen.get(sha256, documentId ?? null) === 1;
  }

  recordInbound(record: InboundRecord): void {
    this.#sql.recordInbound.run(
      record.sha256,
      record.documentId ?? null,
      record.fileName,
      record.documentType ?? null,
      record.poNumber ?? null,
      record.outcome,
      record.reason ?? null,
      record.at,
    );
  }

  getCursor(name: string): string | undefined {
    return this.#sql.getCursor.get(name)?.value;
  }

  setCursor(name: string, value: string): void {
    this.#sql.setCursor.run(name, value);
  }

  recordJobRun(run: JobRun): void {
    this.#sql.recordJobRun.run(jobRunColumns(run));
  }

  lastJobRuns(): JobRun[] {
    return this.#sql.lastJobRuns.all().map((row) => ({
      job: row.job,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      ok: row.ok === 1,
      summary: row.summary,
    }));
  }

  pruneJobRuns(before: string): number {
    return this.#sql.pruneJobRuns.run(before).changes;
  }

  close(): void {
    this.#forget();
    this.#vault.close();
    if (this.#db.open) this.#db.close();
  }

  /** The days holding due PII at `now` (today's included), each with its due orders' count and deadline range. */
  #due(now: Date): { day: string; row: DueRow }[] {
    const at = now.toISOString();
    return this.#sql.openDays
      .all(utcDay(now))
      .map(({ day }) => ({ day, row: this.#sql.dueOnDay.get(day, at) ?? none() }));
  }

  /**
   * The narrow row for `order`. For an update, `stored` is its current row and `previous` the order
   * it was written from, when remembered: the deadline it had stays when nothing it depends on changed.
   */
  #columns(
    order: FulfillmentOrder,
    hasShipTo: boolean,
    stored?: StoredRow,
    previous?: FulfillmentOrder,
  ): StoredRow {
    let pii_day: string | null = null;
    let pii_deadline: string | null = null;
    let pii_alert_at: string | null = null;
    let pii_purged_at: string | null = null;
    if (order.pii.status === "PURGED" || stored?.purged_at) {
      pii_purged_at = stored?.purged_at ?? order.pii.purgedAt ?? order.facts.lastUpdatedTime;
      pii_day = stored?.pii_day ?? null;
    } else if (order.pii.status !== "HELD" && !hasShipTo) {
      // Never held PII: nothing to keep a deadline for.
    } else if (stored?.pii_deadline && previous && sameDeadlineBasis(previous, order)) {
      ({ pii_day, pii_deadline, pii_alert_at } = stored);
    } else {
      const { deadline, alertAt } = piiDeadline(order, this.#retention);
      // A deadline on a day the purge already destroyed (a late cancellation, a late import): the
      // PII waits under the first open day, which the next purge erases, rather than reading as
      // purged before the purge ran.
      pii_day = this.#openDay(utcDay(deadline));
      pii_deadline = deadline.toISOString();
      pii_alert_at = alertAt ? alertAt.toISOString() : null;
    }
    // One literal of one shape: the row as written, and as #known remembers it (its day is open, or
    // already purged with the order, so PURGED_AT is pii_purged_at).
    return {
      state: order.state,
      purchase_date: order.facts.purchaseDate,
      last_updated_time: order.facts.lastUpdatedTime,
      pending_packages: pendingPackages(order),
      pii_day,
      pii_deadline,
      pii_alert_at,
      pii_purged_at,
      purged_at: pii_purged_at,
    };
  }

  /**
   * The day PII with a deadline on `deadline` goes under: that day, or the first open one after
   * every purged day (see #columns); recorded in `pii_days`.
   */
  #openDay(deadline: string): string {
    const known = this.#days.get(deadline);
    if (known) return known;
    const day = this.#sql.openDayFor.get({ day: deadline })?.day ?? deadline;
    this.#sql.addDay.run(day);
    this.#days.set(deadline, day);
    return day;
  }

  /** Moves the order's sealed values to its new deadline day's key and table (ADR 0005). */
  #rekey(orderId: string, from: string, to: string): void {
    this.#vault.move(from, to, shipToRef(orderId), `the ship-to of order ${orderId}`);
    for (const { file_name } of this.#sql.outboundOfOrder.all(orderId, from)) {
      this.#vault.move(from, to, outboundRef(orderId, file_name), `outbound document ${file_name}`);
      this.#sql.setOutboundDay.run(to, file_name);
    }
  }

  /** The day of the hard cap counted from `from`: for a document whose order is not stored. */
  #hardCapDay(from: string): string {
    return utcDay(addDays(from, this.#retention.piiHardCapDays));
  }

  /**
   * The UPDATE of the order's record and the narrow columns whose bits are set in `changed` (bit i
   * for NARROW[i]), prepared once per combination; its parameters are the record, those columns'
   * values in NARROW's order, and the order id.
   */
  #updateOf(changed: number): Database.Statement<unknown[]> {
    let statement = this.#updates[changed];
    if (!statement) {
      const set = ["body", ...NARROW.filter((_, i) => changed & (1 << i))].map((c) => `${c} = ?`);
      statement = this.#db.prepare<unknown[]>(`UPDATE orders SET ${set.join(", ")} WHERE order_id = ?`);
      this.#updates[changed] = statement;
    }
    return statement;
  }

  /**
   * The orders `list` names, in its order, as remembered or read: all from one snapshot, since
   * outside a transaction the list and the reads run in one read transaction (revalidated after the
   * list's statement has started it).
   */
  #listed(list: () => string[]): FulfillmentOrder[] {
    const read = (ids: string[]) =>
      ids.flatMap((id) => {
        const known = this.#known.get(id)?.order;
        if (known) return [known];
        const row = this.#sql.getOrder.get(id);
        return row ? [this.#read(row)] : [];
      });
    if (this.#db.inTransaction) return read(list());
    return this.#inTransaction.deferred(() => {
      const ids = list();
      this.#revalidate();
      return read(ids);
    }) as FulfillmentOrder[];
  }

  /**
   * Runs a store method's writes: in a transaction of its own, or straight in the caller's, with no
   * savepoint (two statements and a wrapper on every call, a large share of the store's time).
   * Instead a method that fails there poisons the transaction it runs in: whatever the caller does
   * with the error, that transaction (or savepoint) cannot commit, so a method's writes never land
   * in part (see transaction).
   */
  #atomically<T>(work: () => T): T {
    if (this.#depth === 0) return this.transaction(work);
    try {
      return work();
    } catch (error) {
      if (!this.#poisoned || this.#poisoned.level > this.#depth)
        this.#poisoned = { level: this.#depth, error };
      this.#forget();
      throw error;
    }
  }

  /** The transaction (or savepoint) at `level` rolled back: what it remembered, and its poison, go. */
  #rolledBack(level: number): void {
    this.#forget();
    if (this.#poisoned && this.#poisoned.level >= level) this.#poisoned = undefined;
  }

  /** The order as stored, remembered (see #known). */
  #read(row: OrderRow): FulfillmentOrder {
    const known = this.#known.get(row.order_id)?.order;
    if (known) return known;
    const { body: _body, ...narrow } = row;
    const order = readOrder(row);
    this.#remember(row.order_id, narrow, order);
    return order;
  }

  /** The order's narrow row, or undefined when it is not stored. */
  #stored(orderId: string): StoredRow | undefined {
    if (!this.#db.inTransaction) this.#revalidate();
    const known = this.#known.get(orderId)?.row;
    if (known) return known;
    const row = this.#sql.piiOf.get(orderId);
    if (row) this.#remember(orderId, row);
    return row;
  }

  #remember(orderId: string, row: StoredRow, order?: FulfillmentOrder): void {
    if (this.#known.size >= this.#remembers && !this.#known.has(orderId)) {
      const oldest = this.#known.keys().next().value;
      if (oldest !== undefined) this.#known.delete(oldest);
    }
    this.#known.set(orderId, order ? { row, order: deepFreeze(order) } : { row });
  }

  /** Forgets what #known holds when another connection committed since it was last checked. */
  #revalidate(): void {
    const version = this.#sql.dataVersion.get();
    if (version === this.#dataVersion) return;
    this.#forget();
    this.#dataVersion = version;
  }

  /** Forgets everything remembered (see #known). */
  #forget(): void {
    this.#known.clear();
    this.#days.clear();
  }

  /** The deadline day of an order still holding PII. */
  #dayOf(orderId: string): string | undefined {
    const row = this.#stored(orderId);
    return row && row.purged_at === null && row.pii_day ? row.pii_day : undefined;
  }

  /**
   * Deadlines are computed when an order is saved, with the retention policy of that time. When the
   * policy differs from the one recorded (or none is, after the upgrade), every order still holding
   * PII gets its deadline again and its values move to the new day's key.
   */
  #applyRetentionPolicy(): void {
    const policy = JSON.stringify({
      piiDaysAfterShipment: this.#retention.piiDaysAfterShipment,
      piiHardCapDays: this.#retention.piiHardCapDays,
      hardCapAlertDays: this.#retention.hardCapAlertDays,
    });
    if (this.#sql.getMeta.get("retention_policy")?.value === policy) return;
    for (const { order_id } of this.#sql.heldOrders.all()) {
      const order = this.get(order_id);
      // Forgotten, so the update computes its deadline under the new policy instead of keeping it.
      this.#known.delete(order_id);
      if (order) this.update(order);
    }
    this.#sql.setMeta.run("retention_policy", policy);
  }

  /**
   * secure_delete zeroes erased rows in the database file, but their earlier versions stay in the
   * WAL until it is checkpointed and truncated. Done once per outermost transaction that erased;
   * if a reader holds the WAL the truncation waits for the next one (or for close).
   */
  #flushErasure(): void {
    this.#erased = false;
    this.#db.pragma("wal_checkpoint(TRUNCATE)");
  }
}

/** The order as stored, with the purge applied when it was recorded after the order was last written. */
function readOrder(row: OrderRow): FulfillmentOrder {
  const order = JSON.parse(row.body) as FulfillmentOrder;
  return row.purged_at !== null && order.pii.status === "HELD"
    ? afterPiiPurge(order, new Date(row.purged_at))
    : order;
}

function pendingPackages(order: FulfillmentOrder): number {
  let n = 0;
  for (const p of order.packages) if (p.status === "PENDING") n++;
  return n;
}

function none(): DueRow {
  return { n: 0, first: null, last: null };
}

function summary(rows: readonly DueRow[]): PiiPurgeSummary {
  let orders = 0;
  let first: string | undefined;
  let last: string | undefined;
  for (const row of rows) {
    orders += row.n;
    if (row.first && (!first || row.first < first)) first = row.first;
    if (row.last && (!last || row.last > last)) last = row.last;
  }
  return { orders, keysDestroyed: 0, ...(first && last ? { firstDeadline: first, lastDeadline: last } : {}) };
}

function jobRunColumns(run: JobRun) {
  return {
    job: run.job,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    ok: run.ok ? 1 : 0,
    summary: run.summary,
  };
}
