import { suite } from "uvu";
import * as assert from "uvu/assert";
import { IntegrationError } from "../../../src/app/errors.js";
import { type App, anApp } from "../../support/app-harness.js";
import { ackFile, asnFile, uploadedPo } from "../../support/essendant-answers.js";
import { anAmazonOrder, anItem } from "../../support/order-mother.js";

const flow = suite("use cases: collect supplier documents, confirm shipments");

async function sentOrder(app: App, skus = ["PAPER", "PAPER-2PK", "PENS"]) {
  const order = anAmazonOrder({ facts: { items: skus.map((sellerSku) => anItem({ sellerSku })) } });
  app.marketplace.add(order);
  await app.importOrders();
  await app.submit();
  return { id: order.facts.orderId, po: uploadedPo(app.gateway, order.facts.orderId) };
}

flow(
  "ACK then ASN: the order is acknowledged, shipped, and each package confirmed to Amazon once",
  async () => {
    const app = anApp();
    const { id, po } = await sentOrder(app);
    app.gateway.dropInbound(`ACK_123456_${id}_1.json`, ackFile(po));
    assert.equal((await app.collect()).counts, { applied: 1 });
    assert.is(app.store.get(id)?.state, "ACK_ACCEPTED");
    app.gateway.dropInbound(`ASN_123456_${id}_S1.json`, asnFile(po, "S1"));
    assert.equal((await app.collect()).counts, { applied: 1 });
    assert.is(app.store.get(id)?.state, "SHIPPED_FULL");
    assert.equal((await app.confirm()).counts, { confirmed: 2 });
    assert.is(app.store.get(id)?.state, "CONFIRMED");
    const confirmations = app.marketplace.confirmations();
    assert.equal(
      confirmations.map((c) => [c.orderId, c.packageReferenceId, c.carrierCode]),
      [
        [id, "1", "UPS"],
        [id, "2", "UPS"],
      ],
    );
    assert.equal(
      confirmations[0]?.items.map((i) => i.quantity),
      [1, 1],
      "paper line maps back to both Amazon items",
    );
    assert.equal((await app.confirm()).counts, {}, "nothing is confirmed twice");
    assert.equal([...app.gateway.archived.keys()].sort(), [
      `ACK_123456_${id}_1.json`,
      `ASN_123456_${id}_S1.json`,
    ]);
  },
);

flow("collecting the same files again changes nothing and queues no second confirmation", async () => {
  const app = anApp();
  const { id, po } = await sentOrder(app);
  const ack = ackFile(po);
  const asn = asnFile(po, "S1");
  app.gateway.dropInbound("ACK_1.json", ack);
  app.gateway.dropInbound("ASN_1.json", asn);
  await app.collect();
  await app.confirm();
  const before = app.store.get(id);
  app.gateway.dropInbound("ACK_1.json", ack);
  app.gateway.dropInbound("ASN_1.json", asn);
  assert.equal((await app.collect()).counts, { duplicates: 2 });
  assert.equal(app.store.get(id), before);
  assert.equal(app.store.withPendingPackages(), []);
  assert.is(app.marketplace.confirmations().length, 2);
});

flow(
  "an invalid file goes to the errors folder with an alert while the valid files of the same poll are applied",
  async () => {
    const app = anApp();
    const { id, po } = await sentOrder(app);
    app.gateway.dropInbound("ACK_0_broken.json", "{ not json");
    app.gateway.dropInbound(`ACK_123456_${id}_1.json`, ackFile(po));
    app.gateway.dropInbound(
      "ACK_9_unknown.json",
      ackFile({ ...po, purchaseOrder: { ...po.purchaseOrder, poNumber: "113-9999999-9999999" } }),
    );
    const report = await app.collect();
    assert.equal(report.counts, { rejected: 2, applied: 1 });
    assert.equal(report.problems.map((p) => p.code).sort(), ["INVALID_JSON", "UNKNOWN_PO"]);
    assert.equal([...app.gateway.rejected.keys()].sort(), ["ACK_0_broken.json", "ACK_9_unknown.json"]);
    assert.is(app.store.get(id)?.state, "ACK_ACCEPTED");
    assert.ok(app.alerts.active().every((a) => a.code === "INBOUND_DOCUMENT_REJECTED"));
    assert.is(app.alerts.active().length, 2);
  },
);

flow("an ASN shipping more than was accepted is refused and the order stays as it was", async () => {
  const app = anApp();
  const { id, po } = await sentOrder(app);
  app.gateway.dropInbound("ACK.json", ackFile(po, { cancel: { BICGSM11BK: 1 } }));
  await app.collect();
  assert.is(app.store.get(id)?.state, "ACK_PARTIAL");
  assert.is(app.alerts.active()[0]?.code, "OUT_OF_STOCK");
  app.gateway.dropInbound("ASN.json", asnFile(po));
  const report = await app.collect();
  assert.is(report.problems[0]?.code, "ASN_REFUSED");
  assert.is(app.store.get(id)?.state, "ACK_PARTIAL");
});

flow(
  "Amazon refusing one package puts that order in NEEDS_ATTENTION; other orders are still confirmed",
  async () => {
    const app = anApp();
    const a = await sentOrder(app, ["PENS"]);
    const b = await sentOrder(app, ["PENS"]);
    for (const [x, s] of [
      [a, "SA"],
      [b, "SB"],
    ] as const) {
      app.gateway.dropInbound(`ACK_${s}.json`, ackFile(x.po));
      app.gateway.dropInbound(`ASN_${s}.json`, asnFile(x.po, s, `1Z${s}`));
    }
    await app.collect();
    app.marketplace.rejectNext("InvalidInput", "Invalid tracking number");
    const report = await app.confirm();
    assert.equal(report.counts, { rejected: 1, confirmed: 1 });
    const states = [app.store.get(a.id)?.state, app.store.get(b.id)?.state].sort();
    assert.equal(states, ["CONFIRMED", "NEEDS_ATTENTION"]);
    assert.is(app.alerts.active()[0]?.code, "AMAZON_REJECTED_CONFIRMATION");
  },
);

flow("Amazon unreachable: packages stay pending and are confirmed on the next pass", async () => {
  const app = anApp();
  const { id, po } = await sentOrder(app, ["PENS"]);
  app.gateway.dropInbound("ACK.json", ackFile(po));
  app.gateway.dropInbound("ASN.json", asnFile(po));
  await app.collect();
  app.marketplace.failNext(new IntegrationError("SPAPI_UNAVAILABLE", "SP-API answered 503", true));
  const failed = await app.confirm();
  assert.equal([failed.ok, failed.problems[0]?.code], [false, "SPAPI_UNAVAILABLE"]);
  assert.is(app.store.get(id)?.state, "SHIPPED_FULL");
  assert.equal((await app.confirm()).counts, { confirmed: 1 });
  assert.is(app.store.get(id)?.state, "CONFIRMED");
});

flow.run();
