import * as fs from "node:fs";
import * as path from "node:path";
// @ts-types="@types/better-sqlite3"
import Database from "better-sqlite3";
import { IntegrationError } from "../../app/errors.js";
import type { IntegrityReport } from "../../app/ports/store-integrity.port.js";
import { MIGRATIONS } from "./migrations.js";

export const DATABASE_FILE = "fulfillment.db";

/** Bytes per database page for new databases (SQLite's default is 4096). */
export const PAGE_SIZE = 8192;

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * Opens (creating if needed) the database in `dataDir` and brings its schema up to date. The
 * directory is 0700 and the files 0600 whatever the umask, because the database holds ship-tos.
 */
export function openDatabase(dataDir: string): Database.Database {
  fs.mkdirSync(dataDir, { recursive: true, mode: DIR_MODE });
  fs.chmodSync(dataDir, DIR_MODE);
  const file = path.join(dataDir, DATABASE_FILE);
  // Create the file ourselves so it never exists, even briefly, with the umask's mode.
  fs.closeSync(fs.openSync(file, "a", FILE_MODE));
  fs.chmodSync(file, FILE_MODE);
  const db = new Database(file);
  try {
    // Takes effect on a new database only: an order's row (its JSON record, about 1-2.5 KB) then
    // shares a page with others, so a batch of orders writes (and fsyncs) fewer pages.
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("busy_timeout = 5000");
    db.pragma("foreign_keys = ON");
    db.pragma("cache_size = -32768");
    // Erased values are zeroed in the pages written anyway. Pages freed whole (a purged day's
    // table) are not rewritten: they hold ciphertext under a destroyed key (docs/adr/0006).
    db.pragma("secure_delete = FAST");
    protectCompanionFiles(file);
    migrate(db);
    protectCompanionFiles(file);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function protectCompanionFiles(file: string): void {
  for (const companion of [`${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(companion)) fs.chmodSync(companion, FILE_MODE);
  }
}

/**
 * Applies every pending migration in one transaction: the schema moves a whole step or not at all.
 * The version is read inside the (immediate) transaction, so two processes starting together
 * cannot both apply the same step.
 */
function migrate(db: Database.Database): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
  );
  const readVersion = db.prepare("SELECT MAX(version) AS version FROM schema_migrations");
  const record = db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
  db.transaction(() => {
    const current = (readVersion.get() as { version: number | null }).version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new IntegrationError(
        "STORE_SCHEMA_TOO_NEW",
        `the database schema is version ${current} but this program knows only up to ${MIGRATIONS.length}; run a newer release`,
        false,
      );
    }
    for (let version = current + 1; version <= MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version - 1] ?? "");
      record.run(version, new Date().toISOString());
    }
  }).immediate();
}

/**
 * SQLite's full integrity check on the database in `dataDir`, opened read-only so nothing is
 * created, migrated or written. A database that cannot even be opened counts as damaged.
 */
export function checkDatabaseIntegrity(dataDir: string): IntegrityReport {
  const file = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(file)) return { kind: "no-database" };
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma("integrity_check") as { integrity_check: string }[];
    const problems = rows.map((r) => r.integrity_check).filter((r) => r !== "ok");
    return problems.length === 0 ? { kind: "ok" } : { kind: "damaged", problems: problems.slice(0, 20) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      kind: "damaged",
      problems: [`the database cannot be read (${typeof code === "string" ? code : "error"})`],
    };
  } finally {
    db?.close();
  }
}
