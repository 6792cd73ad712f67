import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type App, anApp } from "../../support/app-harness.js";
import { ackFile, asnFile, invoiceFile, uploadedPo } from "../../support/essendant-answers.js";
import { anAmazonOrder, anItem } from "../../support/order-mother.js";

const invoices = suite("use case: invoice reconciliation");

async function shipped(app: App, ship = true) {
  const order = anAmazonOrder({ facts: { items: [anItem({ sellerSku: "PENS", quantityOrdered: 2 })] } });
  app.marketplace.add(order);
  await app.importOrders();
  await app.submit();
  const po = uploadedPo(app.gateway, order.facts.orderId);
  app.gateway.dropInbound("ACK.json", ackFile(po));
  if (ship) app.gateway.dropInbound("ASN.json", asnFile(po));
  await app.collect();
  return { id: order.facts.orderId, po };
}

invoices(
  "an invoice matching what shipped at the acknowledged cost reconciles without an alert",
  async () => {
    const app = anApp();
    const { id, po } = await shipped(app);
    app.gateway.dropInbound("INV.json", invoiceFile(po));
    await app.collect();
    assert.equal(
      app.store.get(id)?.invoices?.map((i) => [i.invoiceNumber, i.total, i.mismatches]),
      [["8100000001", "22.40", []]],
    );
    assert.equal(app.alerts.active(), []);
  },
);

invoices(
  "a quantity or price mismatch is reported as an alert and never blocks the confirmation",
  async () => {
    const app = anApp();
    const { id, po } = await shipped(app);
    app.gateway.dropInbound("INV.json", invoiceFile(po, { price: "12.00", quantity: { BICGSM11BK: 3 } }));
    await app.collect();
    assert.equal(app.store.get(id)?.invoices?.[0]?.mismatches, [
      "BICGSM11BK: invoiced 3, shipped 2",
      "BICGSM11BK: invoiced at 12.00, acknowledged at 11.20",
    ]);
    const alert = app.alerts.active()[0];
    assert.equal([alert?.code, alert?.orderId], ["INVOICE_MISMATCH", id]);
    assert.equal((await app.confirm()).counts, { confirmed: 1 });
    assert.is(app.store.get(id)?.state, "CONFIRMED");
  },
);

invoices(
  "an invoice for goods not shipped yet is a mismatch; the same invoice again is ignored",
  async () => {
    const app = anApp();
    const { id, po } = await shipped(app, false);
    app.gateway.dropInbound("INV.json", invoiceFile(po));
    await app.collect();
    assert.equal(app.store.get(id)?.invoices?.[0]?.mismatches, ["BICGSM11BK: invoiced 2, shipped 0"]);
    app.gateway.dropInbound("INV_again.json", invoiceFile(po, { price: "11.2" }));
    const again = await app.collect();
    assert.equal(again.counts, { ignored: 1 });
    assert.is(app.store.get(id)?.invoices?.length, 1);
  },
);

invoices.run();
