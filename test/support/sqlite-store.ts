import * as path from "node:path";
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
