import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openDatabase } from "../../src/adapters/sqlite/sqlite.database.js";
import { SqliteOrderStore } from "../../src/adapters/sqlite/sqlite.order-store.js";
import type { OrderStore } from "../../src/app/ports/order-store.port.js";
import { MemoryOrderStore } from "../support/fakes/memory.order-store.js";
import { orderStoreContract } from "./order-store.contract.js";

orderStoreContract("memory", () => ({ store: new MemoryOrderStore(), cleanup() {} }));

orderStoreContract("sqlite", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "order-store-"));
  let current: OrderStore = new SqliteOrderStore(openDatabase(dir));
  return {
    store: current,
    reopen() {
      current.close();
      current = new SqliteOrderStore(openDatabase(dir));
      return current;
    },
    cleanup() {
      current.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
