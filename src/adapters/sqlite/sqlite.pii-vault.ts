// @ts-types="@types/better-sqlite3"
import type Database from "better-sqlite3";
import type { FulfillmentOrder } from "../../domain/fulfillment-order.js";
import { piiDeadline, type RetentionPolicy } from "../../domain/retention.js";
import { ShipTo, type ShipToFields } from "../../domain/ship-to.js";
import { addDays } from "../../domain/time.js";
import type { FieldCipher, Unsealed } from "../crypto/field-cipher.js";

export type ShipToRead =
  | { readonly kind: "held"; readonly shipTo: ShipTo }
  | { readonly kind: "shredded"; readonly at: string };

interface SealedRow {
  key_id: number;
  envelope: Uint8Array;
}

interface OutboundSealedRow {
  file_name: string;
  key_id: number;
  bytes: Uint8Array;
}

const utcDay = (at: Date) => at.toISOString().slice(0, 10);
const shipToContext = (orderId: string) => `ship_to|${orderId}`;
const outboundContext = (orderId: string, fileName: string) => `outbound|${orderId}|${fileName}`;

/**
 * The only place ship-to fields and PO bytes pass on their way to and from disk, sealed with
 * AES-256-GCM under the data key of the UTC day of the order's PII deadline (docs/adr/0005). When
 * the deadline moves (a shipment, a cancellation) the values are re-sealed under the new day's
 * key, in the caller's transaction; the purge then destroys whole days of keys.
 */
export class SqlitePiiVault {
  readonly #cipher: FieldCipher;
  readonly #retention: RetentionPolicy;
  readonly #sql;

  constructor(db: Database.Database, cipher: FieldCipher, retention: RetentionPolicy) {
    this.#cipher = cipher;
    this.#retention = retention;
    this.#sql = {
      getShipTo: db.prepare<[string], SealedRow>(
        "SELECT key_id, envelope FROM sealed_ship_to WHERE order_id = ?",
      ),
      putShipTo: db.prepare<[string, number, Buffer]>(
        "INSERT INTO sealed_ship_to (order_id, key_id, envelope) VALUES (?, ?, ?) " +
          "ON CONFLICT (order_id) DO UPDATE SET key_id = excluded.key_id, envelope = excluded.envelope",
      ),
      deleteShipTo: db.prepare<[string]>("DELETE FROM sealed_ship_to WHERE order_id = ?"),
      outboundOf: db.prepare<[string], OutboundSealedRow>(
        "SELECT file_name, key_id, bytes FROM outbound_documents WHERE order_id = ? AND bytes IS NOT NULL AND key_id IS NOT NULL",
      ),
      resealOutbound: db.prepare<[number, Buffer, string]>(
        "UPDATE outbound_documents SET key_id = ?, bytes = ? WHERE file_name = ?",
      ),
      dropOutbound: db.prepare<[string]>(
        "UPDATE outbound_documents SET bytes = NULL, key_id = NULL WHERE order_id = ?",
      ),
      orderBody: db.prepare<[string], { body: string }>("SELECT body FROM orders WHERE order_id = ?"),
      usedKeys: db.prepare<[], { key_id: number }>(
        "SELECT key_id FROM sealed_ship_to UNION SELECT key_id FROM outbound_documents WHERE key_id IS NOT NULL",
      ),
      legacyShipTos: db.prepare<[], { order_id: string; fields: string }>(
        "SELECT order_id, fields FROM ship_to",
      ),
      deleteLegacyShipTo: db.prepare<[string]>("DELETE FROM ship_to WHERE order_id = ?"),
      legacyOutbound: db.prepare<
        [],
        { file_name: string; order_id: string; bytes: Uint8Array; created_at: string }
      >(
        "SELECT file_name, order_id, bytes, created_at FROM outbound_documents WHERE bytes IS NOT NULL AND key_id IS NULL",
      ),
    };
  }

  writeShipTo(order: FulfillmentOrder, shipTo: ShipTo): void {
    const orderId = order.facts.orderId;
    const plain = Buffer.from(JSON.stringify(shipTo.reveal()), "utf8");
    const sealed = this.#cipher.seal(this.#day(order), shipToContext(orderId), plain);
    plain.fill(0);
    this.#sql.putShipTo.run(orderId, sealed.keyId, sealed.envelope);
  }

  readShipTo(orderId: string): ShipToRead | undefined {
    const row = this.#sql.getShipTo.get(orderId);
    if (!row) return undefined;
    const opened = this.#cipher.open(row.envelope, shipToContext(orderId), `the ship-to of order ${orderId}`);
    if (opened.kind === "shredded") return opened;
    const fields = JSON.parse(opened.bytes.toString("utf8")) as ShipToFields;
    opened.bytes.fill(0);
    return { kind: "held", shipTo: ShipTo.of(fields) };
  }

  /** Seals a document's bytes under its order's deadline day (the hard cap from `createdAt` if the order is not stored). */
  sealOutbound(orderId: string, fileName: string, bytes: Uint8Array, createdAt: string) {
    const order = this.#order(orderId);
    const day = order ? this.#day(order) : utcDay(addDays(createdAt, this.#retention.piiHardCapDays));
    return this.#cipher.seal(day, outboundContext(orderId, fileName), bytes);
  }

  openOutbound(orderId: string, fileName: string, envelope: Uint8Array): Unsealed {
    return this.#cipher.open(envelope, outboundContext(orderId, fileName), `outbound document ${fileName}`);
  }

  /** Re-seals the order's PII under its deadline day's key when the deadline moved to another day. */
  rekey(order: FulfillmentOrder): void {
    const orderId = order.facts.orderId;
    const day = this.#day(order);
    const shipTo = this.#sql.getShipTo.get(orderId);
    if (shipTo && this.#movesTo(shipTo.key_id, day)) {
      const read = this.readShipTo(orderId);
      if (read?.kind === "held") this.writeShipTo(order, read.shipTo);
    }
    for (const row of this.#sql.outboundOf.all(orderId)) {
      if (!this.#movesTo(row.key_id, day)) continue;
      const opened = this.openOutbound(orderId, row.file_name, row.bytes);
      if (opened.kind !== "plain") continue;
      const sealed = this.#cipher.seal(day, outboundContext(orderId, row.file_name), opened.bytes);
      opened.bytes.fill(0);
      this.#sql.resealOutbound.run(sealed.keyId, sealed.envelope, row.file_name);
    }
  }

  /** Deletes the order's ship-to and its documents' bytes (the ciphertext; its key dies with its day). */
  erase(orderId: string): void {
    this.#sql.deleteShipTo.run(orderId);
    this.#sql.dropOutbound.run(orderId);
  }

  /**
   * Destroys every data key whose day is over, and every key no stored value uses any more (its
   * values were erased or re-sealed): whatever copy of their ciphertext survives (WAL, free pages,
   * backups) becomes unreadable. Call it last in the purge's transaction. Returns how many.
   */
  shredExpired(now: Date, at: string): number {
    const today = utcDay(now);
    const usedDays = new Set<string>();
    for (const { key_id } of this.#sql.usedKeys.all()) {
      const day = this.#cipher.dayOf(key_id);
      if (day) usedDays.add(day);
    }
    const expired = this.#cipher.liveDays().filter((day) => day < today || !usedDays.has(day));
    return this.#cipher.shred(expired, at);
  }

  /** Seals what a release before encryption stored in plaintext. True when it found any (call in a transaction). */
  sealLegacyPlaintext(): boolean {
    const shipTos = this.#sql.legacyShipTos.all();
    const documents = this.#sql.legacyOutbound.all();
    for (const row of shipTos) {
      const order = this.#order(row.order_id);
      if (order) this.writeShipTo(order, ShipTo.of(JSON.parse(row.fields) as ShipToFields));
      this.#sql.deleteLegacyShipTo.run(row.order_id);
    }
    for (const doc of documents) {
      const sealed = this.sealOutbound(doc.order_id, doc.file_name, doc.bytes, doc.created_at);
      this.#sql.resealOutbound.run(sealed.keyId, sealed.envelope, doc.file_name);
    }
    return shipTos.length + documents.length > 0;
  }

  close(): void {
    this.#cipher.close();
  }

  #movesTo(keyId: number, day: string): boolean {
    const current = this.#cipher.dayOf(keyId);
    return current !== undefined && current !== day;
  }

  #day(order: FulfillmentOrder): string {
    return utcDay(piiDeadline(order, this.#retention).deadline);
  }

  #order(orderId: string): FulfillmentOrder | undefined {
    const row = this.#sql.orderBody.get(orderId);
    return row ? (JSON.parse(row.body) as FulfillmentOrder) : undefined;
  }
}
