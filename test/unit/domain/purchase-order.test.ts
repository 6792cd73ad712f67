import { readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  buildPurchaseOrder,
  purchaseOrderFileName,
  serviceLevelOf,
} from "../../../src/domain/purchase-order.js";
import { anItem, shipToFields, someFacts } from "../../support/order-mother.js";
import { MAP, mixedFacts, SETTINGS, skuMap } from "./pipeline.js";

const po = suite("Amazon order → Essendant purchase order");
const example = JSON.parse(
  readFileSync(
    new URL("../../fixtures/essendant/PO_123456_113-4567890-1234567.json", import.meta.url),
    "utf8",
  ),
);

po("the spec's example order becomes exactly the spec's example PO", () => {
  const facts = someFacts({
    orderId: "113-4567890-1234567",
    purchaseDate: "2026-03-01T14:14:58Z",
    latestDeliveryDate: "2026-03-07T06:59:59Z",
    serviceLevel: "Standard",
    items: [
      anItem({ orderItemId: "52986411826454", sellerSku: "PAPER", quantityOrdered: 1 }),
      anItem({ orderItemId: "52986411826455", sellerSku: "PENS", quantityOrdered: 2 }),
    ],
  });
  const shipTo = {
    name: "Jane Doe",
    line1: "123 Main St",
    line2: "Apt 4",
    city: "Springfield",
    stateOrRegion: "IL",
    postalCode: "62701",
    countryCode: "US",
    addressType: "RESIDENTIAL" as const,
  };
  const result = buildPurchaseOrder(facts, shipTo, MAP, {
    ...SETTINGS,
    shipFromLabel: "SHIP FROM: OUR COMPANY LLC",
  });
  assert.ok(result.ok);
  const { action, ...body } = result.purchaseOrder;
  assert.is(action, example.action);
  assert.equal(JSON.parse(JSON.stringify(body)), example.purchaseOrder);
  assert.is(result.fileName, "PO_123456_113-4567890-1234567.json");
});

po("items that map to one item number are merged into one line, and the mapping back is kept", () => {
  const result = buildPurchaseOrder(mixedFacts(), shipToFields(), MAP, SETTINGS);
  assert.ok(result.ok);
  assert.equal(
    result.purchaseOrder.lines.map((l) => [
      l.lineNumber,
      l.itemNumber,
      l.quantity,
      l.uom,
      l.customerLineReference,
    ]),
    [
      [1, "UNV21200", 3, "CT", undefined],
      [2, "BICGSM11BK", 2, "DZ", "10000000000003"],
    ],
  );
  assert.equal(result.lines[0]?.allocations, [
    { orderItemId: "10000000000001", amazonQuantity: 1, units: 1 },
    { orderItemId: "10000000000002", amazonQuantity: 1, units: 2 },
  ]);
});

po("the PO always asks Essendant to reject a duplicate and references the Amazon order", () => {
  const result = buildPurchaseOrder(mixedFacts(), shipToFields(), MAP, SETTINGS);
  assert.ok(result.ok);
  assert.is(result.purchaseOrder.rejectDuplicatePo, true);
  assert.equal(result.purchaseOrder.customerReferences, [
    { qualifier: "AMZ", value: result.purchaseOrder.poNumber },
  ]);
  assert.is(result.purchaseOrder.orderType, "DROP_SHIP");
});

po("the file name is deterministic: the same order always yields the same name", () => {
  const facts = mixedFacts();
  const a = buildPurchaseOrder(facts, shipToFields(), MAP, SETTINGS);
  const b = buildPurchaseOrder(facts, shipToFields({ line2: "Suite 9" }), MAP, SETTINGS);
  assert.ok(a.ok && b.ok);
  assert.is(a.fileName, b.fileName);
  assert.is(a.fileName, purchaseOrderFileName("123456", facts.orderId));
});

po("an unmapped SKU holds the order with UNMAPPED_SKU and names the SKUs (not PII)", () => {
  const facts = someFacts({
    items: [anItem({ sellerSku: "NOPE-1" }), anItem({ sellerSku: "PAPER" }), anItem({ sellerSku: "NOPE-1" })],
  });
  assert.equal(buildPurchaseOrder(facts, shipToFields(), MAP, SETTINGS), {
    ok: false,
    reason: "UNMAPPED_SKU",
    detail: "NOPE-1",
  });
});

po("one item number mapped in two units is a SKU map conflict", () => {
  const map = skuMap(["A", "UNV21200", "CT", 1], ["B", "UNV21200", "EA", 1]);
  const facts = someFacts({ items: [anItem({ sellerSku: "A" }), anItem({ sellerSku: "B" })] });
  const result = buildPurchaseOrder(facts, shipToFields(), map, SETTINGS);
  assert.ok(!result.ok && result.reason === "SKU_MAP_CONFLICT");
});

po("service levels map through the configuration; an unknown one holds the order", () => {
  assert.is(serviceLevelOf("SecondDay"), "SECOND_DAY");
  assert.is(serviceLevelOf("NEXT_DAY"), "NEXT_DAY");
  assert.is(serviceLevelOf("FREE_ECONOMY"), "STANDARD");
  assert.is(serviceLevelOf("Priority"), undefined);
  const held = buildPurchaseOrder(mixedFacts({ serviceLevel: "EXPEDITED" }), shipToFields(), MAP, SETTINGS);
  assert.equal(held, { ok: false, reason: "UNMAPPED_SHIP_METHOD", detail: "EXPEDITED" });
  const ok = buildPurchaseOrder(mixedFacts({ serviceLevel: "SecondDay" }), shipToFields(), MAP, SETTINGS);
  assert.ok(ok.ok && ok.purchaseOrder.shipMethod.essendantCode === "2DAY");
});

po("an address problem holds the order instead of sending a bad label", () => {
  assert.equal(buildPurchaseOrder(mixedFacts(), undefined, MAP, SETTINGS), {
    ok: false,
    reason: "MISSING_ADDRESS",
  });
  const foreign = buildPurchaseOrder(mixedFacts(), shipToFields({ countryCode: "MX" }), MAP, SETTINGS);
  assert.equal(foreign, { ok: false, reason: "NON_US_ADDRESS" });
});

po("no phone number or e-mail address is ever part of the PO", () => {
  const result = buildPurchaseOrder(mixedFacts(), shipToFields(), MAP, SETTINGS);
  assert.ok(result.ok);
  assert.not.ok("phone" in result.purchaseOrder.shipTo);
  assert.not.match(JSON.stringify(result.purchaseOrder), /@/);
});

po.run();
