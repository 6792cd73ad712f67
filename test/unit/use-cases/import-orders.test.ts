import { suite } from "uvu";
import * as assert from "uvu/assert";
import { IntegrationError } from "../../../src/app/errors.js";
import { ORDER_CURSOR } from "../../../src/app/use-cases/import-orders.use-case.js";
import { anApp } from "../../support/app-harness.js";
import { anAmazonOrder, anItem } from "../../support/order-mother.js";

const imp = suite("use case: import orders");
const paper = () => ({ items: [anItem({ sellerSku: "PAPER" })] });

imp("new eligible orders are stored NEW with their ship-to, and the cursor advances", async () => {
  const app = anApp();
  const order = anAmazonOrder({ facts: paper() });
  app.marketplace.add(order);
  const report = await app.importOrders();
  assert.equal(report.counts, { imported: 1 });
  assert.is(app.store.get(order.facts.orderId)?.state, "NEW");
  assert.is(app.store.getShipTo(order.facts.orderId).kind, "held");
  assert.ok(app.store.getCursor(ORDER_CURSOR));
  assert.equal(
    app.log.named("order.imported").map((e) => e.fields.orderId),
    [order.facts.orderId],
  );
});

imp("a second poll imports nothing twice", async () => {
  const app = anApp();
  app.marketplace.add(anAmazonOrder({ facts: paper() }));
  await app.importOrders();
  const again = await app.importOrders();
  assert.equal(again.counts, {});
  assert.is(app.store.inStates(["NEW"]).length, 1);
});

imp(
  "a fault mid-way keeps the pages already stored and reports the failure; the next poll goes on from there",
  async () => {
    const app = anApp({ pageSize: 1 });
    const orders = [
      anAmazonOrder({ facts: paper() }),
      anAmazonOrder({ facts: paper() }),
      anAmazonOrder({ facts: paper() }),
    ];
    for (const o of orders) app.marketplace.add(o);
    app.marketplace.failAfterPages(1, new IntegrationError("SPAPI_UNAVAILABLE", "SP-API answered 503", true));
    const failed = await app.importOrders();
    assert.not.ok(failed.ok);
    assert.is(failed.problems[0]?.code, "SPAPI_UNAVAILABLE");
    assert.equal(
      app.store.inStates(["NEW"]).map((o) => o.facts.orderId),
      [orders[0]?.facts.orderId],
    );
    assert.is(app.store.getCursor(ORDER_CURSOR), "1");
    const retried = await app.importOrders();
    assert.ok(retried.ok);
    assert.equal(retried.counts, { imported: 2 });
    assert.is(app.store.inStates(["NEW"]).length, 3);
  },
);

imp("Easy Ship orders are stored HELD and announced; FBA and pending orders are skipped", async () => {
  const app = anApp();
  app.marketplace.add(anAmazonOrder({ facts: { ...paper(), programs: ["AMAZON_EASY_SHIP"] } }));
  app.marketplace.add(anAmazonOrder({ facts: { ...paper(), fulfilledBy: "AMAZON" } }));
  app.marketplace.add(anAmazonOrder({ facts: { ...paper(), status: "PENDING" } }));
  const report = await app.importOrders();
  assert.equal(report.counts, { imported: 1, held: 1, skipped: 2 });
  assert.is(app.log.named("order.held")[0]?.fields.reason, "EASY_SHIP");
});

imp("a cancellation after the PO left requests one from Essendant and warns the administrator", async () => {
  const app = anApp();
  const order = anAmazonOrder({ facts: paper() });
  app.marketplace.add(order);
  await app.importOrders();
  await app.submit();
  assert.is(app.store.get(order.facts.orderId)?.state, "PO_SENT");
  app.marketplace.change(order.facts.orderId, "CANCELLED");
  await app.importOrders();
  assert.is(app.store.get(order.facts.orderId)?.state, "NEEDS_ATTENTION");
  assert.equal(
    app.alerts.active().map((a) => [a.code, a.severity, a.orderId]),
    [["CANCEL_REQUESTED", "warning", order.facts.orderId]],
  );
});

imp.run();
