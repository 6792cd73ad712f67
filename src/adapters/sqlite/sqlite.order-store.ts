// @ts-types="@types/better-sqlite3"
import type Database from "better-sqlite3";
import type {
  InboundRecord,
  JobRun,
  OrderStore,
  OutboundDocument,
  ShipToLookup,
} from "../../app/ports/order-store.port.js";
import type { FulfillmentOrder } from "../../domain/fulfillment-order.js";
import type { OrderState } from "../../domain/lifecycle.js";
import type { ShipTo } from "../../domain/ship-to.js";
import type { SqlitePiiVault } from "./sqlite.pii-vault.js";

interface OutboundRow {
  order_id: string;
  file_name: string;
  document_type: OutboundDocument["documentType"];
  bytes: Uint8Array;
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

const ORDER_COLUMNS =
  "(order_id, state, purchase_date, last_updated_time, pending_packages, pii_status, body) " +
  "VALUES (@order_id, @state, @purchase_date, @last_updated_time, @pending_packages, @pii_status, @body)";
const LIST_ORDER = "ORDER BY purchase_date, order_id";

/**
 * The order store on SQLite. Each order is one row: the whole FulfillmentOrder as JSON plus the
 * columns the queries filter on. The ship-to sits in its own table, sealed by the PII vault, so
 * erasing it is a delete and destroying its day's key makes every other copy unreadable.
 * Statements are prepared once; every list is a single query. Outermost transactions are
 * IMMEDIATE: a data key is looked up under the write lock, so a purge in another process cannot
 * destroy it between the look-up and the commit of what it sealed.
 */
export class SqliteOrderStore implements OrderStore {
  readonly #db: Database.Database;
  readonly #vault: SqlitePiiVault;
  readonly #sql;
  /** Set when PII was erased in the current transaction; see #flushErasure. */
  #erased = false;

  constructor(db: Database.Database, vault: SqlitePiiVault) {
    this.#db = db;
    this.#vault = vault;
    this.#sql = {
      getOrder: db.prepare<[string], { body: string }>("SELECT body FROM orders WHERE order_id = ?"),
      insertOrder: db.prepare(`INSERT INTO orders ${ORDER_COLUMNS} ON CONFLICT (order_id) DO NOTHING`),
      updateOrder: db.prepare(
        "UPDATE orders SET state = @state, purchase_date = @purchase_date, last_updated_time = @last_updated_time, " +
          "pending_packages = @pending_packages, pii_status = @pii_status, body = @body WHERE order_id = @order_id",
      ),
      inStates: db.prepare<[string], { body: string }>(
        `SELECT body FROM orders WHERE state IN (SELECT value FROM json_each(?)) ${LIST_ORDER}`,
      ),
      withPendingPackages: db.prepare<[], { body: string }>(
        `SELECT body FROM orders WHERE pending_packages > 0 ${LIST_ORDER}`,
      ),
      // An order counts as holding PII while its record says so or a ship-to row is still there,
      // so a half-finished purge is found again rather than forgotten.
      withPiiHeld: db.prepare<[], { body: string }>(
        `SELECT body FROM orders WHERE pii_status = 'HELD' OR order_id IN (SELECT order_id FROM sealed_ship_to) ${LIST_ORDER}`,
      ),
      countsByState: db.prepare<[], { state: OrderState; n: number }>(
        "SELECT state, COUNT(*) AS n FROM orders GROUP BY state",
      ),
      getPurge: db.prepare<[string], { purged_at: string }>(
        "SELECT purged_at FROM pii_purges WHERE order_id = ?",
      ),
      // The first purge time stands: erasing again destroys nothing new.
      recordPurge: db.prepare<[string, string]>(
        "INSERT INTO pii_purges (order_id, purged_at) VALUES (?, ?) ON CONFLICT (order_id) DO NOTHING",
      ),
      saveOutbound: db.prepare(
        "INSERT INTO outbound_documents (file_name, order_id, document_type, bytes, key_id, sha256, created_at, sent_at) " +
          "VALUES (@file_name, @order_id, @document_type, @bytes, @key_id, @sha256, @created_at, @sent_at) " +
          "ON CONFLICT (file_name) DO UPDATE SET order_id = excluded.order_id, document_type = excluded.document_type, " +
          "bytes = excluded.bytes, key_id = excluded.key_id, sha256 = excluded.sha256, created_at = excluded.created_at, " +
          "sent_at = excluded.sent_at",
      ),
      unsentOutbound: db.prepare<[], OutboundRow>(
        "SELECT order_id, file_name, document_type, bytes, sha256, created_at, sent_at FROM outbound_documents " +
          "WHERE sent_at IS NULL AND bytes IS NOT NULL ORDER BY created_at, rowid",
      ),
      markOutboundSent: db.prepare<[string, string]>(
        "UPDATE outbound_documents SET sent_at = COALESCE(sent_at, ?) WHERE file_name = ?",
      ),
      inboundSeen: db.prepare<[{ sha256: string; document_id: string | null }], { seen: number }>(
        "SELECT EXISTS (SELECT 1 FROM inbound_documents WHERE sha256 = @sha256) " +
          "OR EXISTS (SELECT 1 FROM inbound_documents WHERE document_id = @document_id) AS seen",
      ),
      recordInbound: db.prepare(
        "INSERT INTO inbound_documents (sha256, document_id, file_name, document_type, po_number, outcome, reason, at) " +
          "VALUES (@sha256, @document_id, @file_name, @document_type, @po_number, @outcome, @reason, @at)",
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
    };
    // A database written before encryption: its plaintext is sealed, then scrubbed from every file.
    this.transaction(() => {
      if (vault.sealLegacyPlaintext()) this.#erased = true;
    });
  }

  transaction<T>(work: () => T): T {
    if (this.#db.inTransaction) return this.#db.transaction(work)();
    // better-sqlite3 nests transactions as savepoints and refuses a work function that returns a promise.
    let result: T;
    try {
      result = this.#db.transaction(work).immediate();
    } catch (error) {
      this.#erased = false;
      throw error;
    }
    if (this.#erased) this.#flushErasure();
    return result;
  }

  get(orderId: string): FulfillmentOrder | undefined {
    const row = this.#sql.getOrder.get(orderId);
    return row ? parseOrder(row.body) : undefined;
  }

  insert(order: FulfillmentOrder, shipTo: ShipTo | undefined): void {
    const orderId = order.facts.orderId;
    this.transaction(() => {
      if (this.#sql.insertOrder.run(orderColumns(order)).changes === 0) {
        throw new Error(`order ${orderId} is already stored`);
      }
      if (shipTo) this.#vault.writeShipTo(order, shipTo);
    });
  }

  update(order: FulfillmentOrder): void {
    this.transaction(() => {
      if (this.#sql.updateOrder.run(orderColumns(order)).changes === 0) {
        throw new Error(`order ${order.facts.orderId} is not stored`);
      }
      this.#vault.rekey(order);
    });
  }

  inStates(states: readonly OrderState[]): FulfillmentOrder[] {
    if (states.length === 0) return [];
    return this.#sql.inStates.all(JSON.stringify(states)).map((r) => parseOrder(r.body));
  }

  withPendingPackages(): FulfillmentOrder[] {
    return this.#sql.withPendingPackages.all().map((r) => parseOrder(r.body));
  }

  withPiiHeld(): FulfillmentOrder[] {
    return this.#sql.withPiiHeld.all().map((r) => parseOrder(r.body));
  }

  countsByState(): Readonly<Partial<Record<OrderState, number>>> {
    const counts: Partial<Record<OrderState, number>> = {};
    for (const row of this.#sql.countsByState.all()) counts[row.state] = row.n;
    return counts;
  }

  getShipTo(orderId: string): ShipToLookup {
    const read = this.#vault.readShipTo(orderId);
    if (read?.kind === "held") return read;
    const purge = this.#sql.getPurge.get(orderId);
    if (purge) return { kind: "purged", at: purge.purged_at };
    // Its key was destroyed but the row survived: a database restored from before the purge.
    return read ? { kind: "purged", at: read.at } : { kind: "none" };
  }

  erasePii(orderId: string, at: string): void {
    this.transaction(() => {
      this.#erased = true;
      this.#vault.erase(orderId);
      this.#sql.recordPurge.run(orderId, at);
    });
  }

  shredExpiredKeys(now: Date): number {
    return this.transaction(() => this.#vault.shredExpired(now, now.toISOString()));
  }

  saveOutbound(doc: OutboundDocument): void {
    this.transaction(() => {
      const sealed = this.#vault.sealOutbound(doc.orderId, doc.fileName, doc.bytes, doc.createdAt);
      this.#sql.saveOutbound.run({
        file_name: doc.fileName,
        order_id: doc.orderId,
        document_type: doc.documentType,
        bytes: sealed.envelope,
        key_id: sealed.keyId,
        sha256: doc.sha256,
        created_at: doc.createdAt,
        sent_at: doc.sentAt ?? null,
      });
    });
  }

  unsentOutbound(): OutboundDocument[] {
    return this.#sql.unsentOutbound.all().flatMap((row) => {
      const opened = this.#vault.openOutbound(row.order_id, row.file_name, row.bytes);
      // A document whose key a purge destroyed can never be sent: its order's PII is gone.
      if (opened.kind === "shredded") return [];
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
  }

  markOutboundSent(fileName: string, at: string): void {
    if (this.#sql.markOutboundSent.run(at, fileName).changes === 0) {
      throw new Error(`outbound document ${fileName} is not stored`);
    }
  }

  inboundSeen(sha256: string, documentId?: string): boolean {
    return this.#sql.inboundSeen.get({ sha256, document_id: documentId ?? null })?.seen === 1;
  }

  recordInbound(record: InboundRecord): void {
    this.#sql.recordInbound.run({
      sha256: record.sha256,
      document_id: record.documentId ?? null,
      file_name: record.fileName,
      document_type: record.documentType ?? null,
      po_number: record.poNumber ?? null,
      outcome: record.outcome,
      reason: record.reason ?? null,
      at: record.at,
    });
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

  close(): void {
    this.#vault.close();
    if (this.#db.open) this.#db.close();
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

function orderColumns(order: FulfillmentOrder) {
  return {
    order_id: order.facts.orderId,
    state: order.state,
    purchase_date: order.facts.purchaseDate,
    last_updated_time: order.facts.lastUpdatedTime,
    pending_packages: order.packages.filter((p) => p.status === "PENDING").length,
    pii_status: order.pii.status,
    body: JSON.stringify(order),
  };
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

/** Our own JSON, written by `orderColumns`: trusted to be a FulfillmentOrder. */
function parseOrder(body: string): FulfillmentOrder {
  return JSON.parse(body) as FulfillmentOrder;
}
