import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { SpApiTiming } from "../../../src/adapters/sp-api/spapi-timing.js";
import { bucketKey, StoreTokenBucket } from "../../../src/adapters/sp-api/store.token-bucket.js";
import type { RateLimit, SpApiOperation } from "../../../src/app/config/config.js";
import type { OrderStore } from "../../../src/app/ports/order-store.port.js";
import { MemoryOrderStore } from "../../support/fakes/memory.order-store.js";

/** Time that moves only by sleeping: every wait is recorded and takes no real time. */
class ManualTiming implements SpApiTiming {
  at = Date.parse("2026-12-04T10:00:00Z");
  readonly sleeps: number[] = [];
  readonly backoffBaseMs = 100;
  readonly backoffCapMs = 10_000;
  now(): number {
    return this.at;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.at += ms;
  }
  random(): number {
    return 0.5;
  }
}

/** The store with its `transaction` replaced; every other call reaches the real store. */
function withTransaction(store: MemoryOrderStore, transaction: <T>(work: () => T) => T): OrderStore {
  return new Proxy(store, {
    get(target, key) {
      if (key === "transaction") return transaction;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const LIMITS: Record<SpApiOperation, RateLimit> = {
  searchOrders: { rate: 0.0056, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  confirmShipment: { rate: 2, burst: 10 },
};

const test = suite<{ store: MemoryOrderStore; timing: ManualTiming }>("sp-api token bucket");
test.before.each((ctx) => {
  ctx.store = new MemoryOrderStore();
  ctx.timing = new ManualTiming();
});

test("a fresh bucket lets a burst through at once, then spaces calls at the refill rate", async ({
  store,
  timing,
}) => {
  const bucket = new StoreTokenBucket(store, LIMITS, timing);
  for (let i = 0; i < 10; i++) await bucket.take("confirmShipment");
  assert.equal(timing.sleeps, []);
  await bucket.take("confirmShipment");
  assert.equal(timing.sleeps, [500]);
  await bucket.take("confirmShipment");
  assert.equal(timing.sleeps, [500, 500]);
});

test("searchOrders after its burst waits Amazon's restore interval of about 180 seconds", async ({
  store,
  timing,
}) => {
  const bucket = new StoreTokenBucket(store, LIMITS, timing);
  for (let i = 0; i < 20; i++) await bucket.take("searchOrders");
  await bucket.take("searchOrders");
  assert.is(timing.sleeps.length, 1);
  assert.ok(Math.abs((timing.sleeps[0] ?? 0) - 1000 / 0.0056) < 2, String(timing.sleeps[0]));
});

test("tokens refill with time but never beyond the burst", async ({ store, timing }) => {
  const bucket = new StoreTokenBucket(store, LIMITS, timing);
  for (let i = 0; i < 10; i++) await bucket.take("confirmShipment");
  assert.ok(bucket.available("confirmShipment") < 1);
  timing.at += 2_000;
  assert.ok(Math.abs(bucket.available("confirmShipment") - 4) < 1e-9);
  timing.at += 3_600_000;
  assert.is(bucket.available("confirmShipment"), 10);
});

test("operations have separate buckets", async ({ store, timing }) => {
  const bucket = new StoreTokenBucket(store, LIMITS, timing);
  for (let i = 0; i < 10; i++) await bucket.take("confirmShipment");
  await bucket.take("searchOrders");
  await bucket.take("getOrder");
  assert.equal(timing.sleeps, []);
});

test("two instances on one store (two processes on one data directory) share one bucket", async ({
  store,
  timing,
}) => {
  const daemon = new StoreTokenBucket(store, LIMITS, timing);
  const byHand = new StoreTokenBucket(store, LIMITS, timing);
  for (let i = 0; i < 5; i++) await daemon.take("confirmShipment");
  for (let i = 0; i < 5; i++) await byHand.take("confirmShipment");
  assert.equal(timing.sleeps, []);
  await daemon.take("confirmShipment");
  assert.equal(timing.sleeps, [500], "the eleventh call waits, whichever process makes it");
  const stored = JSON.parse(store.getCursor(bucketKey("confirmShipment")) ?? "null") as {
    tokens: number;
    at: number;
  };
  assert.is(stored.at, timing.at);
  assert.ok(stored.tokens < 1);
});

test("a 429 drains the bucket for every process", async ({ store, timing }) => {
  const a = new StoreTokenBucket(store, LIMITS, timing);
  const b = new StoreTokenBucket(store, LIMITS, timing);
  a.drain("confirmShipment");
  assert.is(b.available("confirmShipment"), 0);
  await b.take("confirmShipment");
  assert.equal(timing.sleeps, [500]);
});

test("a token is taken inside a store transaction", async ({ store, timing }) => {
  let transactions = 0;
  const counting = withTransaction(store, (work) => {
    transactions += 1;
    return store.transaction(work);
  });
  await new StoreTokenBucket(counting, LIMITS, timing).take("getOrder");
  assert.is(transactions, 1);
});

test("a store busy with another process's write is tried again", async ({ store, timing }) => {
  let failures = 2;
  const busy = withTransaction(store, (work) => {
    if (failures-- > 0) throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    return store.transaction(work);
  });
  await new StoreTokenBucket(busy, LIMITS, timing).take("getOrder");
  assert.is(timing.sleeps.length, 2);
  assert.ok(store.getCursor(bucketKey("getOrder")));
});

test("a store failure that is not contention is not swallowed", async ({ store, timing }) => {
  const broken = withTransaction(store, () => {
    throw Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR" });
  });
  try {
    await new StoreTokenBucket(broken, LIMITS, timing).take("getOrder");
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code?: string }).code, "SQLITE_IOERR");
  }
});

test("an unreadable stored state counts as a full bucket", async ({ store, timing }) => {
  store.setCursor(bucketKey("confirmShipment"), "not json");
  const bucket = new StoreTokenBucket(store, LIMITS, timing);
  assert.is(bucket.available("confirmShipment"), 10);
});

test.run();
