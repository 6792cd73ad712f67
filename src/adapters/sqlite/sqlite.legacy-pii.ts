// @ts-types="@types/better-sqlite3"
import type Database from "better-sqlite3";
import { outboundRef, type SqlitePiiVault, shipToRef } from "./sqlite.pii-vault.js";

interface LegacyOutbound {
  file_name: string;
  order_id: string;
  bytes: Uint8Array;
  key_id: number | null;
  created_at: string;
}

/**
 * Moves what earlier releases stored into the day tables of ADR 0006: plaintext ship-tos (schema
 * step 1), ship-tos sealed in `sealed_ship_to` and document bytes kept in `outbound_documents`
 * (step 2). Values whose key a purge destroyed are dropped: they were already unreadable. `dayOf`
 * gives the deadline day of the document's order (or the hard cap from its creation when the
 * order is unknown). Call it in a transaction; returns true when it deleted any stored value, so
 * the caller scrubs the old copies from the journal. secure_delete is ON meanwhile: plaintext rows
 * must be zeroed, not only unlinked.
 */
export function upgradeLegacyPii(
  db: Database.Database,
  vault: SqlitePiiVault,
  dayOf: (orderId: string, createdAt?: string) => string | undefined,
): boolean {
  const plainShipTos = db
    .prepare<[], { order_id: string; fields: string }>("SELECT order_id, fields FROM ship_to")
    .all();
  const sealedShipTos = db
    .prepare<[], { order_id: string; envelope: Uint8Array }>("SELECT order_id, envelope FROM sealed_ship_to")
    .all();
  const documents = db
    .prepare<[], LegacyOutbound>(
      "SELECT file_name, order_id, bytes, key_id, created_at FROM outbound_documents WHERE bytes IS NOT NULL",
    )
    .all();
  if (plainShipTos.length + sealedShipTos.length + documents.length === 0) return false;
  db.pragma("secure_delete = ON");
  try {
    for (const row of plainShipTos) {
      const day = dayOf(row.order_id);
      if (day) vault.put(day, shipToRef(row.order_id), Buffer.from(row.fields, "utf8"));
    }
    db.exec("DELETE FROM ship_to");
    for (const row of sealedShipTos) {
      const ref = shipToRef(row.order_id);
      const opened = vault.openLegacy(row.envelope, ref, `the ship-to of order ${row.order_id}`);
      const day = dayOf(row.order_id);
      if (opened.kind === "plain" && day) vault.put(day, ref, opened.bytes);
      if (opened.kind === "plain") opened.bytes.fill(0);
    }
    db.exec("DELETE FROM sealed_ship_to");
    const moved = db.prepare<[string | null, string]>(
      "UPDATE outbound_documents SET bytes = NULL, key_id = NULL, pii_day = ? WHERE file_name = ?",
    );
    for (const doc of documents) {
      const ref = outboundRef(doc.order_id, doc.file_name);
      const opened =
        doc.key_id === null
          ? ({ kind: "plain", bytes: Buffer.from(doc.bytes) } as const)
          : vault.openLegacy(doc.bytes, ref, `outbound document ${doc.file_name}`);
      const day = opened.kind === "plain" ? dayOf(doc.order_id, doc.created_at) : undefined;
      if (opened.kind === "plain" && day) vault.put(day, ref, opened.bytes);
      moved.run(day ?? null, doc.file_name);
    }
  } finally {
    db.pragma("secure_delete = FAST");
  }
  return true;
}
