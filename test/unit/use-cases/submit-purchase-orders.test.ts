import { suite } from "uvu";
import * as assert from "uvu/assert";
import { IntegrationError } from "../../../src/app/errors.js";
import type { FulfillmentOrder } from "../../../src/domain/fulfillment-order.js";
import type { OrderState } from "../../../src/domain/lifecycle.js";
import type { SkuMapping } from "../../../src/domain/sku-map.js";
import { anApp, HARNESS_SKUS } from "../../support/app-harness.js";
import { MemoryOrderStore } from "../../support/fakes/memory.order-store.js";
import { anAmazonOrder, anItem } from "../../support/order-mother.js";

const submit = suite("use case: submit purchase orders");
const withSkus = (...skus: string[]) =>
  anAmazonOrder({ facts: { items: skus.map((sellerSku) => anItem({ sellerSku })) } });

/** An app with one order whose PO was stored but not sent (Essendant unreachable), and that PO. */
async function aPoLeftUnsent() {
  const app = anApp();
  const order = withSkus("PAPER");
  app.marketplace.add(order);
  await app.importOrders();
  app.gateway.failNextOpen(new IntegrationError("SFTP_UNREACHABLE", "connection refused", true));
  const failed = await app.submit();
  const [stored] = app.store.unsentOutbound();
  if (!stored) throw new Error("no PO was left unsent");
  return { app, order, failed, stored };
}

submit("an eligible order's PO is stored, uploaded, and the order moves to PO_SENT", async () => {
  const app = anApp();
  const order = withSkus("PAPER", "PENS");
  app.marketplace.add(order);
  await app.importOrders();
  const report = await app.submit();
  assert.equal(report.counts, { prepared: 1, sent: 1 });
  const stored = app.store.get(order.facts.orderId);
  assert.is(stored?.state, "PO_SENT");
  const fileName = `PO_123456_${order.facts.orderId}.json`;
  assert.is(stored?.purchaseOrder?.fileName, fileName);
  const uploaded = JSON.parse(new TextDecoder().decode(app.gateway.remoteOutbound.get(fileName)));
  assert.is(uploaded.purchaseOrder.poNumber, order.facts.orderId);
  assert.is(uploaded.purchaseOrder.rejectDuplicatePo, true);
  assert.equal(app.store.unsentOutbound(), []);
});

submit(
  "when Essendant cannot be reached the PO stays stored and goes out unchanged on the next pass",
  async () => {
    const { app, order, failed, stored } = await aPoLeftUnsent();
    assert.not.ok(failed.ok);
    assert.is(app.store.get(order.facts.orderId)?.state, "PO_READY");
    const retried = await app.submit();
    assert.equal(retried.counts, { sent: 1 });
    assert.equal(
      app.gateway.remoteOutbound.get(stored.fileName),
      stored.bytes,
      "the stored bytes were sent, not rebuilt",
    );
    assert.is(app.store.get(order.facts.orderId)?.state, "PO_SENT");
  },
);

submit("a PO left from an earlier pass goes out before those prepared in this one", async () => {
  const { app, order: earlier, stored: left } = await aPoLeftUnsent();
  const later = withSkus("PENS");
  app.marketplace.add(later);
  await app.importOrders();
  const report = await app.submit();
  assert.equal(report.counts, { prepared: 1, sent: 2 });
  assert.equal(
    [...app.gateway.remoteOutbound.keys()],
    [earlier, later].map((o) => `PO_123456_${o.facts.orderId}.json`),
  );
  assert.equal(app.gateway.remoteOutbound.get(left.fileName), left.bytes);
  const sent = JSON.parse(
    new TextDecoder().decode(app.gateway.remoteOutbound.get(`PO_123456_${later.facts.orderId}.json`)),
  );
  assert.is(sent.purchaseOrder.poNumber, later.facts.orderId);
  for (const o of [earlier, later]) assert.is(app.store.get(o.facts.orderId)?.state, "PO_SENT");
  assert.equal(app.store.unsentOutbound(), []);
});

submit("an order another process moved after it was listed gets no PO", async () => {
  /** Cancels `victim` right after the use case has listed the orders waiting for a PO, as another process could. */
  class MovingStore extends MemoryOrderStore {
    victim: string | undefined;
    override inStates(states: readonly OrderState[]): FulfillmentOrder[] {
      const listed = super.inStates(states);
      const order = this.victim ? this.get(this.victim) : undefined;
      if (order && states.includes("NEW")) this.update({ ...order, state: "CANCELLED" });
      return listed;
    }
  }
  const store = new MovingStore();
  const app = anApp({ store });
  const [kept, cancelled] = [withSkus("PAPER"), withSkus("PENS")];
  for (const o of [kept, cancelled]) app.marketplace.add(o);
  await app.importOrders();
  store.victim = cancelled.facts.orderId;
  const report = await app.submit();
  assert.equal(report.counts, { prepared: 1, sent: 1 });
  assert.equal([...app.gateway.remoteOutbound.keys()], [`PO_123456_${kept.facts.orderId}.json`]);
  assert.is(app.store.get(cancelled.facts.orderId)?.state, "CANCELLED");
});

submit("a PO already on the server with the same size counts as sent", async () => {
  const { app, order, stored } = await aPoLeftUnsent();
  app.gateway.remoteOutbound.set(stored.fileName, stored.bytes);
  await app.submit();
  assert.is(app.store.get(order.facts.orderId)?.state, "PO_SENT");
  assert.match(app.store.get(order.facts.orderId)?.timeline.at(-1)?.event ?? "", /PO_FOUND_ON_SERVER/);
});

submit(
  "a different file under the PO's name is never overwritten: the order needs attention and an alert is raised",
  async () => {
    const app = anApp();
    const order = withSkus("PAPER");
    app.marketplace.add(order);
    await app.importOrders();
    const fileName = `PO_123456_${order.facts.orderId}.json`;
    const other = new TextEncoder().encode("{}");
    app.gateway.remoteOutbound.set(fileName, other);
    const report = await app.submit();
    assert.not.ok(report.ok);
    assert.equal(app.gateway.remoteOutbound.get(fileName), other);
    assert.is(app.store.get(order.facts.orderId)?.state, "NEEDS_ATTENTION");
    assert.is(app.alerts.active()[0]?.code, "REMOTE_FILE_CONFLICT");
    const again = await app.submit();
    assert.ok(again.ok, "the conflicting PO is not retried every pass");
  },
);

submit("an unmapped SKU holds the order, and the next pass after the map gains it sends the PO", async () => {
  const skus = new Map(HARNESS_SKUS);
  const app = anApp({ skuMap: skus });
  const order = withSkus("PAPER", "TONER");
  app.marketplace.add(order);
  await app.importOrders();
  assert.equal((await app.submit()).counts, { held: 1 });
  const held = app.store.get(order.facts.orderId);
  assert.equal([held?.state, held?.holdReason, held?.holdDetail], ["HELD", "UNMAPPED_SKU", "TONER"]);
  assert.equal((await app.submit()).counts, {}, "an unchanged hold is not re-recorded");
  skus.set("TONER", {
    sellerSku: "TONER",
    itemNumber: "HEW26A",
    uom: "EA",
    unitsPerSku: 1,
  } satisfies SkuMapping);
  assert.equal((await app.submit()).counts, { prepared: 1, sent: 1 });
  const sent = app.store.get(order.facts.orderId);
  assert.is(sent?.state, "PO_SENT");
  assert.is(sent?.holdReason, undefined);
});

submit("a program hold is never re-evaluated into a PO", async () => {
  const app = anApp();
  app.marketplace.add(
    anAmazonOrder({ facts: { items: [anItem({ sellerSku: "PAPER" })], programs: ["FBM_SHIP_PLUS"] } }),
  );
  await app.importOrders();
  assert.equal((await app.submit()).counts, {});
  assert.is(app.gateway.remoteOutbound.size, 0);
});

submit("an order without a released ship-to is held MISSING_ADDRESS", async () => {
  const app = anApp();
  const order = anAmazonOrder({ facts: { items: [anItem({ sellerSku: "PAPER" })] }, shipTo: undefined });
  app.marketplace.add(order);
  await app.importOrders();
  await app.submit();
  assert.is(app.store.get(order.facts.orderId)?.holdReason, "MISSING_ADDRESS");
});

submit(
  "a PO the interface schema refuses is never uploaded: the order needs attention, the alert names the field",
  async () => {
    const skus = new Map(HARNESS_SKUS);
    skus.set("ODD", { sellerSku: "ODD", itemNumber: "bad item", uom: "EA", unitsPerSku: 1 });
    const app = anApp({ skuMap: skus });
    const order = withSkus("ODD");
    app.marketplace.add(order);
    await app.importOrders();
    const report = await app.submit();
    assert.is(report.problems[0]?.code, "PO_INVALID");
    assert.is(app.gateway.remoteOutbound.size, 0);
    assert.equal(app.store.unsentOutbound(), []);
    const stored = app.store.get(order.facts.orderId);
    assert.is(stored?.state, "NEEDS_ATTENTION");
    assert.match(stored?.attention?.detail ?? "", /\/purchaseOrder\/lines\/0\/itemNumber/);
    assert.match(app.alerts.active()[0]?.message ?? "", /itemNumber/);
  },
);

submit.run();
