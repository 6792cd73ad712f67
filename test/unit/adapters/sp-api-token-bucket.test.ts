import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { SpApiTiming } from "../../../src/adapters/sp-api/spapi-timing.js";
import {
  bucketKey,
  reserveTokens,
  StoreTokenBucket,
} from "../../../src/adapters/sp-api/store.token-bucket.js";
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

test("the reserve is 50 ms of Amazon's refill, at most a quarter of the burst beyond one token", () => {
  assert.ok(Math.abs(reserveTokens({ rate: 2, burst: 10 }) - 0.1) < 1e-12);
  assert.ok(Math.abs(reserveTokens({ rate: 0.0056, burst: 20 }) - 0.00028) < 1e-12);
  assert.is(reserveTokens({ rate: 400, burst: 10 }), 2.25);
  assert.is(reserveTokens({ rate: 100, burst: 5 }), 1);
  assert.is(reserveTokens({ rate: 400, burst: 1 }), 0);
});

test("a fresh bucket lets all but the last token of the burst through at once, the last after 50 ms, then spaces calls at the refill rate", async ({
  store,
  timing,
}) => {
  const bucket = new StoreTokenBucket(store, LIMITS, timing);
  assert.ok(Math.abs(bucket.available("confirmShipment") - 9.9) < 1e-9);
  for (let i = 0; i < 9; i++) await bucket.take("confirmShipment");
  assert.equal(timing.sleeps, []);
  // 0.9 tokens left: the tenth waits (1 − 0.9) / 2 per s = 50 ms, the reserve's only cost.
  await bucket.take("confirmShipment");
  assert.equal(timing.sleeps, [50]);
  await bucket.take("confirmShipment");
  assert.equal(timing.sleeps, [50, 500]);
  await bucket.take("confirmShipment");
  assert.equal(timing.sleeps, [50, 500, 500]);
});

test("the model stays the reserve behind Amazon's bucket: the first wait is (1 + reserve − Amazon's tokens) / rate", async ({
  store,
  timing,
}) => {
  // 100/s with a burst of 5: the reserve is a quarter of 5 − 1 = 1 token (below 100 × 50 ms = 5).
  const fast = { ...LIMITS, confirmShipment: { rate: 100, burst: 5 } };
  const bucket = new StoreTokenBucket(store, fast, timing);
  for (let i = 0; i < 4; i++) await bucket.take("confirmShipment");
  assert.equal(timing.sleeps, []);
  // Amazon's bucket still holds 5 − 4 = 1 token, the model none: (1 + 1 − 1) / 100 per s = 10 ms.
  assert.ok(Math.abs(bucket.available("confirmShipment")) < 1e-9);
  await bucket.take("confirmShipment");
  assert.equal(timing.sleeps, [10]);
  // From then on exactly Amazon's pace, 10 ms a call, one token behind Amazon.
  for (let i = 0; i < 3; i++) await bucket.take("confirmShipment");
  assert.equal(timing.sleeps, [10, 10, 10, 10]);
});

test("searchOrders after its burst waits Amazon's restore interval of about 180 seconds", async ({
  store,
  timing,
}) => {
  const bucket = new StoreTokenBucket(store, LIMITS, timing);
  for (let i = 0; i < 20; i++) await bucket.take("searchOrders");
  assert.is(timing.sleeps.length, 1);
  // The reserve, 0.00028 tokens, is 50 ms at 0.0056/s (51 after rounding up a float's last digit).
  assert.ok(Math.abs((timing.sleeps[0] ?? 0) - 50) <= 1, String(timing.sleeps[0]));
  await bucket.take("searchOrders");
  assert.is(timing.sleeps.length, 2);
  assert.ok(Math.abs((timing.sleeps[1] ?? 0) - 1000 / 0.0056) < 2, String(timing.sleeps[1]));
});

test("tokens refill with time but never beyond the burst less the reserve", async ({ store, timing }) => {
  const bucket = new StoreTokenBucket(store, LIMITS, timing);
  for (let i = 0; i < 10; i++) await bucket.take("confirmShipment");
  assert.ok(bucket.available("confirmShipment") < 1);
  timing.at += 2_000;
  assert.ok(Math.abs(bucket.available("confirmShipment") - 4) < 1e-9);
  timing.at += 3_600_000;
  assert.ok(Math.abs(bucket.available("confirmShipment") - 9.9) < 1e-9);
});

test("operations have separate buckets", async ({ store, timing }) => {
  const bucket = new StoreTokenBucket(store, LIMITS, timing);
  for (let i = 0; i < 9; i++) await bucket.take("confirmShipment");
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
  for (let i = 0; i < 4; i++) await byHand.take("confirmShipment");
  assert.equal(timing.sleeps, []);
  await daemon.take("confirmShipment");
  assert.equal(timing.sleeps, [50], "the tenth call waits, whichever process makes it");
  const stored = JSON.parse(store.getCursor(bucketKey("confirmShipment")) ?? "null") as {
    tokens: number;
    at: number;
  };
  assert.is(stored.at, timing.at);
  assert.ok(stored.tokens < 1);
});

test("a 429 drains the bucket, reserve included, for every process", async ({ store, timing }) => {
  const a = new StoreTokenBucket(store, LIMITS, timing);
  const b = new StoreTokenBucket(store, LIMITS, timing);
  a.drain("confirmShipment");
  assert.ok(Math.abs(b.available("confirmShipment") + 0.1) < 1e-9);
  await b.take("confirmShipment");
  assert.equal(timing.sleeps, [550], "a full refill interval plus the reserve's 50 ms");
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
  assert.ok(Math.abs(bucket.available("confirmShipment") - 9.9) < 1e-9);
});

test("a stored state below minus the burst (never written) is read as minus the burst", async ({
  store,
  timing,
}) => {
  store.setCursor(bucketKey("confirmShipment"), JSON.stringify({ tokens: -50, at: timing.at }));
  const bucket = new StoreTokenBucket(store, LIMITS, timing);
  assert.is(bucket.available("confirmShipment"), -10);
});

test.run();
