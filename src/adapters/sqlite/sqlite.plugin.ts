// @ts-types="@types/better-sqlite3"
import type Database from "better-sqlite3";
import { ContainerModule, type ServiceIdentifier } from "inversify";
import type { Plugin } from "../../app/composition/plugin.js";
import type { Config } from "../../app/config/config.js";
import { AlertSink } from "../../app/ports/alert-sink.port.js";
import { Backups } from "../../app/ports/backups.port.js";
import { Clock } from "../../app/ports/clock.port.js";
import { KeyAdministration } from "../../app/ports/key-administration.port.js";
import { OrderStore } from "../../app/ports/order-store.port.js";
import { StoreIntegrity } from "../../app/ports/store-integrity.port.js";
import { FieldCipher } from "../crypto/field-cipher.js";
import { initKeyFile, openKeyRing, rotateKeyFile } from "../crypto/key-custody.js";
import { SqliteAlertSink } from "./sqlite.alert-sink.js";
import { SqliteBackups } from "./sqlite.backups.js";
import { checkDatabaseIntegrity, openDatabase } from "./sqlite.database.js";
import { SqliteOrderStore } from "./sqlite.order-store.js";
import { SqlitePiiVault } from "./sqlite.pii-vault.js";

/** The one connection the store and the alert sink share; private to this plugin. */
const SqliteDatabase: ServiceIdentifier<Database.Database> = Symbol("SqliteDatabase");

/**
 * The store on `dataDir`, its PII sealed with the key ring of `storage.keyFile`. The key file is
 * checked before the database opens, so a refused key touches no data.
 */
export function openSqliteOrderStore(
  config: Pick<Config, "storage" | "retention">,
  database: () => Database.Database = () => openDatabase(config.storage.dataDir),
): SqliteOrderStore {
  const cipher = new FieldCipher(openKeyRing(config.storage));
  const db = database();
  return new SqliteOrderStore(db, new SqlitePiiVault(db, cipher), config.retention);
}

export const sqlitePlugin: Plugin = {
  family: "store",
  name: "sqlite",
  summary:
    "orders, documents and alerts in a SQLite file under storage.dataDir, the ship-to sealed with AES-256-GCM",
  check: (config) =>
    config.storage.keyFile
      ? []
      : [
          'storage.keyFile is required by the sqlite store (it encrypts the ship-to); add "keyFile": "/etc/fulfillment/data.key" to storage and run `fulfillment keys init`',
        ],
  module: (config) => {
    // What this container opened, so a restore can close exactly that before replacing the file.
    let opened: { db?: Database.Database; store?: SqliteOrderStore } = {};
    return new ContainerModule(({ bind }) => {
      // Dynamic and singleton: the file is opened when the store is first needed, so commands
      // that never touch the store (`config check`, `keys`, `restore`) leave the database alone.
      bind(SqliteDatabase)
        .toDynamicValue(() => {
          opened.db = openDatabase(config.storage.dataDir);
          return opened.db;
        })
        .inSingletonScope();
      bind(OrderStore)
        .toDynamicValue((ctx) => {
          opened.store = openSqliteOrderStore(config, () => ctx.get(SqliteDatabase));
          return opened.store;
        })
        .inSingletonScope();
      bind(AlertSink)
        .toDynamicValue((ctx) => new SqliteAlertSink(ctx.get(SqliteDatabase), ctx.get(Clock)))
        .inSingletonScope();
      bind(Backups)
        .toDynamicValue(
          (ctx) =>
            new SqliteBackups(config.storage, {
              snapshot: () => ctx.get<Database.Database>(SqliteDatabase).serialize(),
              release: () => {
                opened.store?.close();
                if (opened.db?.open) opened.db.close();
                opened = {};
              },
            }),
        )
        .inSingletonScope();
      bind(StoreIntegrity).toConstantValue({ check: () => checkDatabaseIntegrity(config.storage.dataDir) });
      bind(KeyAdministration).toConstantValue({
        init: () => initKeyFile(config.storage),
        rotate: (newKeyFile) => rotateKeyFile(config.storage, newKeyFile),
      });
    });
  },
};
