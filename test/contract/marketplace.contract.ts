import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { RecordedConfirmation } from "../../src/adapters/sample/confirmation-rules.js";
import type { Marketplace, OrderPage, ShipmentConfirmation } from "../../src/app/ports/marketplace.port.js";
import { type AmazonOrder, isAmazonOrderId } from "../../src/domain/amazon-order.js";
import { REDACTED_SHIP_TO } from "../../src/domain/ship-to.js";

/** One marketplace with a way to make orders appear and to see what it recorded. */
export interface MarketplaceHarness {
  readonly marketplace: Marketplace;
  /** Makes this many new orders appear on the marketplace. */
  newOrders(count: number): void;
  confirmations(): readonly RecordedConfirmation[];
  dispose(): void;
}

async function poll(marketplace: Marketplace, cursor: string | undefined): Promise<OrderPage[]> {
  const pages: OrderPage[] = [];
  for await (const page of marketplace.changedOrders(cursor)) pages.push(page);
  return pages;
}

const ordersOf = (pages: readonly OrderPage[]) => pages.flatMap((p) => p.orders);
const idsOf = (pages: readonly OrderPage[]) => ordersOf(pages).map((o) => o.facts.orderId);
const lastCursor = (pages: readonly OrderPage[]) => pages[pages.length - 1]?.cursor;

function aPackageFor(
  order: AmazonOrder,
  overrides: Partial<ShipmentConfirmation> = {},
): ShipmentConfirmation {
  const item = order.facts.items[0];
  if (!item) throw new Error("order without items");
  return {
    packageReferenceId: "1",
    carrierCode: "UPS",
    shippingMethod: "UPS Ground",
    trackingNumber: "1Z999AA10123456784",
    shipDate: "2026-12-05T15:00:00Z",
    items: [{ orderItemId: item.orderItemId, quantity: item.quantityOrdered }],
    ...overrides,
  };
}

/** The Marketplace contract (marketplace.port.ts): replay-safe cursors, redacted ship-tos, idempotent confirmations. */
export function marketplaceContract(label: string, make: () => MarketplaceHarness): void {
  const test = suite<{ h: MarketplaceHarness }>(`Marketplace contract: ${label}`);
  test.before.each((ctx) => {
    ctx.h = make();
  });
  test.after.each((ctx) => ctx.h.dispose());

  test("every page carries a cursor and polling from the last one returns no order already delivered", async ({
    h,
  }) => {
    h.newOrders(3);
    const first = await poll(h.marketplace, undefined);
    assert.ok(first.length >= 1);
    for (const page of first) assert.ok(page.cursor.length > 0);
    const delivered = new Set(idsOf(first));
    assert.ok(delivered.size > 0);

    const again = await poll(h.marketplace, lastCursor(first));
    assert.equal(idsOf(again), []);
    assert.ok(lastCursor(again));

    h.newOrders(2);
    const later = await poll(h.marketplace, lastCursor(again));
    assert.ok(idsOf(later).length > 0);
    for (const id of idsOf(later)) assert.not.ok(delivered.has(id), `${id} delivered twice`);
  });

  test("polling the same cursor twice returns the same orders", async ({ h }) => {
    h.newOrders(3);
    const cursor = lastCursor(await poll(h.marketplace, undefined));
    h.newOrders(2);
    const once = idsOf(await poll(h.marketplace, cursor));
    const twice = idsOf(await poll(h.marketplace, cursor));
    assert.ok(once.length > 0);
    assert.equal(twice, once);
  });

  test("orders are merchant-fulfilled, have items and a ship-to whose JSON form is redacted", async ({
    h,
  }) => {
    h.newOrders(3);
    const orders = ordersOf(await poll(h.marketplace, undefined));
    assert.ok(orders.length > 0);
    for (const order of orders) {
      assert.ok(isAmazonOrderId(order.facts.orderId));
      assert.is(order.facts.fulfilledBy, "MERCHANT");
      assert.ok(order.facts.items.length > 0);
      const shipTo = order.shipTo?.reveal();
      assert.ok(shipTo);
      const json = JSON.stringify(order);
      assert.ok(json.includes(REDACTED_SHIP_TO));
      assert.not.ok(json.includes(shipTo.name));
      assert.not.ok(json.includes(shipTo.line1));
    }
  });

  test("a valid package is confirmed and re-sending its packageReferenceId edits it instead of adding one", async ({
    h,
  }) => {
    h.newOrders(3);
    const [order] = ordersOf(await poll(h.marketplace, undefined));
    assert.ok(order);
    const id = order.facts.orderId;
    assert.equal(await h.marketplace.confirmShipment(id, aPackageFor(order)), { kind: "confirmed" });
    const edited = aPackageFor(order, { trackingNumber: "1Z999AA10123456795" });
    assert.equal(await h.marketplace.confirmShipment(id, edited), { kind: "confirmed" });
    const mine = h.confirmations().filter((c) => c.orderId === id);
    assert.is(mine.length, 1);
    assert.is(mine[0]?.trackingNumber, "1Z999AA10123456795");
  });

  test("a package with carrierCode Other and no carrierName is rejected with a code and a message", async ({
    h,
  }) => {
    h.newOrders(3);
    const [order] = ordersOf(await poll(h.marketplace, undefined));
    assert.ok(order);
    const outcome = await h.marketplace.confirmShipment(
      order.facts.orderId,
      aPackageFor(order, { carrierCode: "Other" }),
    );
    assert.is(outcome.kind, "rejected");
    if (outcome.kind === "rejected") {
      assert.ok(outcome.code.length > 0);
      assert.ok(outcome.message.length > 0);
    }
    assert.equal(h.confirmations(), []);
  });

  test("a confirmation for an order the marketplace never had is rejected", async ({ h }) => {
    h.newOrders(3);
    const [order] = ordersOf(await poll(h.marketplace, undefined));
    assert.ok(order);
    const outcome = await h.marketplace.confirmShipment("999-0000000-0000000", aPackageFor(order));
    assert.is(outcome.kind, "rejected");
  });

  test.run();
}
