import { suite } from "uvu";
import * as assert from "uvu/assert";
import { IntegrationError } from "../../../src/app/errors.js";
import { type App, anApp } from "../../support/app-harness.js";
import { ackFile, asnFile, uploadedPo } from "../../support/essendant-answers.js";
import { anAmazonOrder, anItem } from "../../support/order-mother.js";

const purge = suite("use cases: PII purge and the cycle");

async function confirmedOrder(app: App): Promise<string> {
  const order = anAmazonOrder({ facts: { items: [anItem({ sellerSku: "PENS" })] } });
  app.marketplace.add(order);
  await app.importOrders();
  await app.submit();
  const po = uploadedPo(app.gateway, order.facts.orderId);
  app.gateway.dropInbound("ACK.json", ackFile(po));
  app.gateway.dropInbound("ASN.json", asnFile(po));
  await app.collect();
  await app.confirm();
  return order.facts.orderId;
}

purge(
  "the ship-to is kept until the deadline and destroyed at it; the order is closed and keeps its history",
  async () => {
    const app = anApp();
    const id = await confirmedOrder(app);
    // The ASN shipped at 2026-12-04T20:00:00Z; 30 days later is the deadline.
    app.clock.set("2027-01-03T19:59:59Z");
    assert.equal((await app.purge()).counts, { purged: 0 });
    assert.is(app.store.getShipTo(id).kind, "held");
    app.clock.set("2027-01-03T20:00:00Z");
    assert.equal((await app.purge()).counts, { purged: 1 });
    assert.equal(app.store.getShipTo(id), { kind: "purged", at: "2027-01-03T20:00:00.000Z" });
    const order = app.store.get(id);
    assert.equal([order?.state, order?.pii.status, order?.packages.length], ["CLOSED", "PURGED", 1]);
    const audit = app.log.events.filter((e) => e.level === "audit" && e.event === "pii.purged");
    assert.equal(
      audit.map((e) => [e.fields.count, e.fields.from_date]),
      [
        [0, undefined],
        [1, "2027-01-03T20:00:00.000Z"],
      ],
    );
  },
);

purge("a dry run counts without destroying anything", async () => {
  const app = anApp();
  const id = await confirmedOrder(app);
  app.clock.set("2027-02-01T00:00:00Z");
  assert.equal((await app.purge(true)).counts, { wouldPurge: 1 });
  assert.is(app.store.getShipTo(id).kind, "held");
});

purge("an order that never ships raises an alert before the hard cap, then loses its PII at it", async () => {
  const app = anApp();
  const order = anAmazonOrder({
    facts: { items: [anItem({ sellerSku: "NOT-MAPPED" })], purchaseDate: "2026-12-01T00:00:00Z" },
  });
  app.marketplace.add(order);
  await app.importOrders();
  app.clock.set("2027-01-24T00:00:00Z");
  assert.equal((await app.purge()).counts, { approachingHardCap: 1, purged: 0 });
  assert.is(app.alerts.active()[0]?.code, "PII_HARD_CAP_APPROACHING");
  app.clock.set("2027-01-30T00:00:00Z");
  assert.equal((await app.purge()).counts, { purged: 1 });
  assert.is(app.store.get(order.facts.orderId)?.state, "NEW", "an open order keeps its state");
});

purge("a failing step is reported and the other steps of the cycle still run", async () => {
  const app = anApp();
  const order = anAmazonOrder({ facts: { items: [anItem({ sellerSku: "PENS" })] } });
  app.marketplace.add(order);
  app.gateway.failNextOpen(new IntegrationError("SFTP_UNREACHABLE", "connection refused", true));
  const reports = await app.steps.cycle();
  assert.equal(
    reports.map((r) => [r.step, r.ok]),
    [
      ["import", true],
      ["submit", false],
      ["collect", true],
      ["confirm", true],
    ],
  );
  assert.is(app.store.get(order.facts.orderId)?.state, "PO_READY");
  assert.equal(
    app.store.lastJobRuns().map((r) => [r.job, r.ok]),
    [
      ["collect", true],
      ["confirm", true],
      ["import", true],
      ["submit", false],
    ],
  );
  assert.is(app.log.named("step.problem")[0]?.fields.errorCode, "SFTP_UNREACHABLE");
});

purge(
  "a step that throws unexpectedly is caught, reported without its message, and the cycle goes on",
  async () => {
    const app = anApp();
    app.marketplace.failNext(
      Object.assign(new TypeError("boom for jane.doe@example.com"), { code: "EWEIRD" }),
    );
    const reports = await app.steps.cycle();
    assert.equal(reports[0]?.problems[0], { code: "EWEIRD", message: "unexpected TypeError" });
    assert.is(reports.length, 4);
    assert.not.match(JSON.stringify(app.log.events), /jane\.doe/);
  },
);

purge.run();
