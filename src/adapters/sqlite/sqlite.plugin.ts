// @ts-types="@types/better-sqlite3"
import type Database from "better-sqlite3";
import { ContainerModule, type ServiceIdentifier } from "inversify";
import type { Plugin } from "../../app/composition/plugin.js";
import { AlertSink } from "../../app/ports/alert-sink.port.js";
import { Clock } from "../../app/ports/clock.port.js";
import { OrderStore } from "../../app/ports/order-store.port.js";
import { SqliteAlertSink } from "./sqlite.alert-sink.js";
import { openDatabase } from "./sqlite.database.js";
import { SqliteOrderStore } from "./sqlite.order-store.js";

/** The one connection the store and the alert sink share; private to this plugin. */
const SqliteDatabase: ServiceIdentifier<Database.Database> = Symbol("SqliteDatabase");

export const sqlitePlugin: Plugin = {
  family: "store",
  name: "sqlite",
  summary: "orders, documents and alerts in a SQLite file under storage.dataDir",
  module: (config) =>
    new ContainerModule(({ bind }) => {
      // Dynamic and singleton: the file is opened when the store is first needed, so commands
      // that never touch the store (`config check`) leave the data directory alone.
      bind(SqliteDatabase)
        .toDynamicValue(() => openDatabase(config.storage.dataDir))
        .inSingletonScope();
      bind(OrderStore)
        .toDynamicValue((ctx) => new SqliteOrderStore(ctx.get(SqliteDatabase)))
        .inSingletonScope();
      bind(AlertSink)
        .toDynamicValue((ctx) => new SqliteAlertSink(ctx.get(SqliteDatabase), ctx.get(Clock)))
        .inSingletonScope();
    }),
};
