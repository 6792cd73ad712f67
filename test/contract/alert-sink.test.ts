import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
// @ts-types="@types/better-sqlite3"
import type Database from "better-sqlite3";
import { SqliteAlertSink } from "../../src/adapters/sqlite/sqlite.alert-sink.js";
import { openDatabase } from "../../src/adapters/sqlite/sqlite.database.js";
import { MemoryAlertSink } from "../support/fakes/memory.alert-sink.js";
import { alertSinkContract } from "./alert-sink.contract.js";

alertSinkContract("memory", (clock) => ({ sink: new MemoryAlertSink(clock), cleanup() {} }));

alertSinkContract("sqlite", (clock) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alert-sink-"));
  let db: Database.Database = openDatabase(dir);
  return {
    sink: new SqliteAlertSink(db, clock),
    reopen() {
      db.close();
      db = openDatabase(dir);
      return new SqliteAlertSink(db, clock);
    },
    cleanup() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
