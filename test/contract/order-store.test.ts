import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { OrderStore } from "../../src/app/ports/order-store.port.js";
import { MemoryOrderStore } from "../support/fakes/memory.order-store.js";
import { sqliteStoreIn } from "../support/sqlite-store.js";
import { orderStoreContract } from "./order-store.contract.js";

orderStoreContract("memory", () => ({ store: new MemoryOrderStore(), cleanup() {} }));

orderStoreContract("sqlite", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "order-store-"));
  let current: OrderStore = sqliteStoreIn(dir);
  return {
    store: current,
    reopen() {
      current.close();
      current = sqliteStoreIn(dir);
      return current;
    },
    cleanup() {
      current.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
