import * as path from "node:path";
// @ts-types="@types/better-sqlite3"
import type Database from "better-sqlite3";
import type { SqliteOrderStore } from "../../src/adapters/sqlite/sqlite.order-store.js";
import { openSqliteOrderStore } from "../../src/adapters/sqlite/sqlite.plugin.js";
import { type Config, DEFAULTS } from "../../src/app/config/config.js";

/** The storage part of a Config rooted at `root`: data in root/data, the key file in root/keys (created on first open). */
export function storageIn(root: string): Config["storage"] & { keyFile: string } {
  return {
    dataDir: path.join(root, "data"),
    logDir: path.join(root, "logs"),
    keyFile: path.join(root, "keys", "data.key"),
    createKeyFileIfMissing: true,
    backupDir: path.join(root, "backups"),
  };
}

/** A real SQLite store under `root`, with its key ring and key file. */
export function sqliteStoreIn(
  root: string,
  retention: Config["retention"] = DEFAULTS.retention,
): SqliteOrderStore {
  return openSqliteOrderStore({ storage: storageIn(root), retention });
}

/** Where a sealed value lives in the database (docs/adr/0006): its day's table and its ref. */
export interface SealedValue {
  readonly table: string;
  readonly ref: string;
  readonly envelope: Buffer;
}

/**
 * The sealed ship-to of `orderId` (or, given `fileName`, that outbound document's bytes) read
 * straight from the database file, for tests that inspect or tamper with what is on disk.
 */
export function sealedValue(db: Database.Database, orderId: string, fileName?: string): SealedValue {
  const row = (
    fileName
      ? db.prepare("SELECT pii_day FROM outbound_documents WHERE file_name = ?").get(fileName)
      : db.prepare("SELECT pii_day FROM orders WHERE order_id = ?").get(orderId)
  ) as { pii_day: string | null } | undefined;
  if (!row?.pii_day) throw new Error(`no sealed value for ${fileName ?? orderId}`);
  const table = `pii_${row.pii_day.replaceAll("-", "")}`;
  const ref = fileName ? `outbound|${orderId}|${fileName}` : `ship_to|${orderId}`;
  const found = db.prepare(`SELECT envelope FROM ${table} WHERE ref = ?`).get(ref) as
    | { envelope: Buffer }
    | undefined;
  if (!found) throw new Error(`${ref} is not in ${table}`);
  return { table, ref, envelope: found.envelope };
}

/** Replaces a sealed value's envelope on disk. */
export function overwriteSealed(db: Database.Database, value: SealedValue, envelope: Buffer): void {
  db.prepare(`UPDATE ${value.table} SET envelope = ? WHERE ref = ?`).run(envelope, value.ref);
}
