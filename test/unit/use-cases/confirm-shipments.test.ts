import { suite } from "uvu";
import * as assert from "uvu/assert";
import { IntegrationError } from "../../../src/app/errors.js";
import type {
  ConfirmOutcome,
  Marketplace,
  OrderPage,
  ShipmentConfirmation,
} from "../../../src/app/ports/marketplace.port.js";
import { ConfirmShipments, ORDERS_IN_FLIGHT } from "../../../src/app/use-cases/confirm-shipments.use-case.js";
import { FixedClock } from "../../support/fakes/fixed.clock.js";
import { MemoryAlertSink } from "../../support/fakes/memory.alert-sink.js";
import { MemoryEventLog } from "../../support/fakes/memory.event-log.js";
import { MemoryOrderStore } from "../../support/fakes/memory.order-store.js";
import { anItem, anOrder, aPackage } from "../../support/order-mother.js";

interface Call {
  readonly orderId: string;
  readonly packageReferenceId: string;
  /** Calls in flight, this one included, when it started. */
  readonly inFlight: number;
  /** Calls of the same order in flight, this one included, when it started. */
  readonly sameOrderInFlight: number;
}

/** Amazon taking `delayMs` per confirmation; `fail` decides which calls throw instead. */
class SlowMarketplace implements Marketplace {
  readonly calls: Call[] = [];
  readonly #inFlight: string[] = [];

  constructor(
    private readonly delayMs: (call: number) => number,
    private readonly fail: (call: number) => Error | undefined = () => undefined,
  ) {}

  // biome-ignore lint/correctness/useYield: confirmations only; a poll finds nothing.
  async *changedOrders(): AsyncIterable<OrderPage> {
    return;
  }

  async confirmShipment(orderId: string, c: ShipmentConfirmation): Promise<ConfirmOutcome> {
    const n = this.calls.length;
    this.#inFlight.push(orderId);
    this.calls.push({
      orderId,
      packageReferenceId: c.packageReferenceId,
      inFlight: this.#inFlight.length,
      sameOrderInFlight: this.#inFlight.filter((id) => id === orderId).length,
    });
    await new Promise((resolve) => setTimeout(resolve, this.delayMs(n)));
    this.#inFlight.splice(this.#inFlight.indexOf(orderId), 1);
    const failure = this.fail(n);
    if (failure) throw failure;
    return { kind: "confirmed" };
  }
}

/** `orders` shipped orders in the store, each with `packages` packages waiting for Amazon. */
function shipped(orders: number, packages: number): { store: MemoryOrderStore; ids: string[] } {
  const store = new MemoryOrderStore();
  const ids: string[] = [];
  for (let i = 0; i < orders; i++) {
    const item = anItem();
    const order = anOrder({
      facts: { items: [{ ...item, quantityOrdered: packages }] },
      state: "SHIPPED_FULL",
      packages: Array.from({ length: packages }, (_, p) =>
        aPackage({
          packageReferenceId: String(p + 1),
          trackingNumber: `1ZCONC${i}P${p}`,
          items: [{ orderItemId: item.orderItemId, quantity: 1 }],
        }),
      ),
      pii: { status: "NONE" },
    });
    store.insert(order, undefined);
    ids.push(order.facts.orderId);
  }
  return { store, ids };
}

function confirmer(marketplace: Marketplace, store: MemoryOrderStore) {
  const clock = new FixedClock("2026-12-04T10:00:00Z");
  return new ConfirmShipments(marketplace, store, clock, new MemoryEventLog(), new MemoryAlertSink(clock));
}

const unavailable = () => new IntegrationError("SPAPI_UNAVAILABLE", "SP-API answered 503", true);

const test = suite("use case: confirm shipments, several orders at once");

test("two orders' confirmations overlap in time while one order's packages go one after another", async () => {
  const { store, ids } = shipped(2, 3);
  const amazon = new SlowMarketplace(() => 5);
  const report = await confirmer(amazon, store).execute();
  assert.equal(report.counts, { confirmed: 6 });
  assert.is(Math.max(...amazon.calls.map((c) => c.inFlight)), 2, "both orders were in flight at once");
  assert.is(Math.max(...amazon.calls.map((c) => c.sameOrderInFlight)), 1, "never two calls of one order");
  for (const id of ids) {
    const refs = amazon.calls.filter((c) => c.orderId === id).map((c) => c.packageReferenceId);
    assert.equal(refs, ["1", "2", "3"]);
    assert.is(store.get(id)?.state, "CONFIRMED");
  }
});

test(`at most ${ORDERS_IN_FLIGHT} orders are confirmed at once`, async () => {
  const { store } = shipped(10, 1);
  const amazon = new SlowMarketplace((n) => 2 + (n % 3));
  const report = await confirmer(amazon, store).execute();
  assert.equal(report.counts, { confirmed: 10 });
  assert.is(Math.max(...amazon.calls.map((c) => c.inFlight)), ORDERS_IN_FLIGHT);
});

test("a retryable fault starts no further call, lets the calls in flight finish, and is reported once", async () => {
  const { store, ids } = shipped(10, 1);
  // The first two calls fail quickly, the other two in flight succeed later.
  const amazon = new SlowMarketplace(
    (n) => (n < 2 ? 2 : 15),
    (n) => (n < 2 ? unavailable() : undefined),
  );
  const report = await confirmer(amazon, store).execute();
  assert.is(amazon.calls.length, ORDERS_IN_FLIGHT, "no call after the fault");
  assert.equal(report.counts, { confirmed: 2 });
  assert.equal(
    report.problems.map((p) => p.code),
    ["SPAPI_UNAVAILABLE"],
  );
  const states = ids.map((id) => store.get(id)?.state);
  assert.is(states.filter((s) => s === "CONFIRMED").length, 2);
  assert.is(states.filter((s) => s === "SHIPPED_FULL").length, 8, "the rest waits for the next pass");
});

test("a fault that is not retryable is reported and the other packages go on", async () => {
  const { store } = shipped(3, 2);
  const refused = new IntegrationError("SPAPI_REQUEST_FAILED", "Amazon refused the request", false);
  const amazon = new SlowMarketplace(
    () => 1,
    (n) => (n === 0 ? refused : undefined),
  );
  const report = await confirmer(amazon, store).execute();
  assert.is(amazon.calls.length, 6);
  assert.equal(report.counts, { confirmed: 5 });
  assert.equal(
    report.problems.map((p) => p.code),
    ["SPAPI_REQUEST_FAILED"],
  );
});

test.run();
