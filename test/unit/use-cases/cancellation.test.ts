import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type App, anApp } from "../../support/app-harness.js";
import { ackFile, asnFile, cancelAckFile, uploadedPo } from "../../support/essendant-answers.js";
import { anAmazonOrder, anItem } from "../../support/order-mother.js";

const cancel = suite("use cases: an Amazon cancellation after the PO left");

async function sentThenCancelled(app: App) {
  const order = anAmazonOrder({ facts: { items: [anItem({ sellerSku: "PENS" })] } });
  app.marketplace.add(order);
  await app.importOrders();
  await app.submit();
  const po = uploadedPo(app.gateway, order.facts.orderId);
  app.marketplace.change(order.facts.orderId, "CANCELLED");
  await app.importOrders();
  return { id: order.facts.orderId, po };
}

cancel("a POCANCEL goes to Essendant once, and its CANCELLED acknowledgement cancels the order", async () => {
  const app = anApp();
  const { id, po } = await sentThenCancelled(app);
  assert.equal((await app.submit()).counts, { cancellationsPrepared: 1, sent: 1 });
  const file = `POCANCEL_123456_${id}.json`;
  const sent = JSON.parse(new TextDecoder().decode(app.gateway.remoteOutbound.get(file)));
  assert.equal([sent.action, sent.purchaseOrder.poNumber], ["CANCEL", id]);
  assert.is(app.store.get(id)?.cancellation?.sentAt, app.clock.now().toISOString());
  assert.equal((await app.submit()).counts, {}, "the request is sent once");
  app.gateway.dropInbound("ACK_cancel.json", cancelAckFile(po));
  assert.equal((await app.collect()).counts, { applied: 1 });
  const order = app.store.get(id);
  assert.equal([order?.state, order?.attention], ["CANCELLED", undefined]);
  assert.equal(app.alerts.active(), [], "the cancellation warning is resolved");
  assert.equal(
    app.log.named("order.cancelled").map((e) => e.fields.orderId),
    [id],
  );
});

cancel(
  "Essendant's answer to the original PO crossing the request changes nothing; a ship notice raises a critical alert and confirms nothing",
  async () => {
    const app = anApp();
    const { id, po } = await sentThenCancelled(app);
    await app.submit();
    app.gateway.dropInbound("ACK_1.json", ackFile(po));
    await app.collect();
    assert.equal(
      [app.store.get(id)?.state, app.store.get(id)?.acknowledgement?.status],
      ["NEEDS_ATTENTION", "ACCEPTED"],
    );
    app.gateway.dropInbound("ASN_1.json", asnFile(po));
    await app.collect();
    const order = app.store.get(id);
    assert.equal(
      [order?.state, order?.attention?.reason, order?.packages.length],
      ["NEEDS_ATTENTION", "SHIPPED_AFTER_CANCELLATION", 0],
    );
    assert.ok(
      app.alerts.active().some((a) => a.code === "SHIPPED_AFTER_CANCELLATION" && a.severity === "critical"),
    );
    assert.equal((await app.confirm()).counts, {});
  },
);

cancel("an order cancelled while its stored PO waited to be sent never sends it", async () => {
  const app = anApp();
  const order = anAmazonOrder({ facts: { items: [anItem({ sellerSku: "PENS" })] } });
  app.marketplace.add(order);
  await app.importOrders();
  app.gateway.failNextOpen(new Error("down"));
  await app.submit();
  assert.is(app.store.get(order.facts.orderId)?.state, "PO_READY");
  app.marketplace.change(order.facts.orderId, "CANCELLED");
  await app.importOrders();
  assert.is(app.store.get(order.facts.orderId)?.state, "CANCELLED");
  await app.submit();
  assert.is(app.gateway.remoteOutbound.size, 0);
});

cancel("a CANCELLED acknowledgement nobody asked for is refused", async () => {
  const app = anApp();
  const order = anAmazonOrder({ facts: { items: [anItem({ sellerSku: "PENS" })] } });
  app.marketplace.add(order);
  await app.importOrders();
  await app.submit();
  app.gateway.dropInbound("ACK_x.json", cancelAckFile(uploadedPo(app.gateway, order.facts.orderId)));
  const report = await app.collect();
  assert.is(report.problems[0]?.code, "ACK_REFUSED");
  assert.is(app.store.get(order.facts.orderId)?.state, "PO_SENT");
});

cancel.run();
