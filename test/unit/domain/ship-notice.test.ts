import { suite } from "uvu";
import * as assert from "uvu/assert";
import { applyAcknowledgement } from "../../../src/domain/acknowledgement.js";
import { amazonCarrier } from "../../../src/domain/carrier.js";
import { packageConfirmed, packageRejected } from "../../../src/domain/confirmation.js";
import type { FulfillmentOrder } from "../../../src/domain/fulfillment-order.js";
import { applyShipNotice } from "../../../src/domain/ship-notice.js";
import { ackFor, asnFor, sentOrder, T0 } from "./pipeline.js";

const asn = suite("applying a ship notice and confirming packages");
const CARRIERS = { UPSN: "UPS", FDEG: "FedEx" };

function accepted(cut = {}): FulfillmentOrder {
  const order = sentOrder();
  const outcome = applyAcknowledgement(order, ackFor(order, {}, cut), T0);
  if (outcome.kind !== "applied") throw new Error("ack not applied");
  return outcome.order;
}

const paper = {
  trackingNumber: "1Z999AA10123456784",
  contents: [{ itemNumber: "UNV21200", quantity: 3, uom: "CT" }],
};
const pens = {
  trackingNumber: "1Z999AA10123456795",
  contents: [{ itemNumber: "BICGSM11BK", quantity: 2, uom: "DZ" }],
};
const everything = [paper, pens];

asn("each package becomes one pending confirmation, mapped back to Amazon order items", () => {
  const outcome = applyShipNotice(accepted(), asnFor(accepted(), everything), CARRIERS, T0);
  assert.ok(outcome.kind === "applied");
  assert.is(outcome.order.state, "SHIPPED_FULL");
  assert.is(outcome.order.finalShipmentTime, "2026-11-03T22:40:00Z");
  assert.equal(
    outcome.order.packages.map((p) => [
      p.packageReferenceId,
      p.trackingNumber,
      p.carrierCode,
      p.items,
      p.status,
    ]),
    [
      [
        "1",
        "1Z999AA10123456784",
        "UPS",
        [
          { orderItemId: "10000000000001", quantity: 1 },
          { orderItemId: "10000000000002", quantity: 1 },
        ],
        "PENDING",
      ],
      ["2", "1Z999AA10123456795", "UPS", [{ orderItemId: "10000000000003", quantity: 2 }], "PENDING"],
    ],
  );
});

asn("a partial shipment leaves the order SHIPPED_PARTIAL; the next package numbers continue", () => {
  const order = accepted();
  const first = applyShipNotice(order, asnFor(order, [paper]), CARRIERS, T0);
  assert.ok(first.kind === "applied" && first.order.state === "SHIPPED_PARTIAL");
  const second = applyShipNotice(
    first.order,
    asnFor(order, [pens], {
      shipmentId: "S000982",
      documentId: "9a9e9a8e-14d2-4b8f-9a55-3c1f0e2b7d21",
    }),
    CARRIERS,
    T0,
  );
  assert.ok(second.kind === "applied" && second.order.state === "SHIPPED_FULL");
  assert.equal(
    second.order.packages.map((p) => p.packageReferenceId),
    ["1", "2"],
  );
});

asn("a replayed shipment is a duplicate and changes nothing", () => {
  const order = accepted();
  const first = applyShipNotice(order, asnFor(order, everything), CARRIERS, T0);
  assert.ok(first.kind === "applied");
  assert.equal(applyShipNotice(first.order, asnFor(order, everything), CARRIERS, T0), { kind: "duplicate" });
});

asn("shipping more than Essendant accepted is refused", () => {
  const order = accepted({ BICGSM11BK: { cancelled: 1 } });
  const outcome = applyShipNotice(order, asnFor(order, everything), CARRIERS, T0);
  assert.equal(outcome, {
    kind: "invalid",
    problem: "item BICGSM11BK: more shipped than Essendant accepted",
  });
});

asn("a tracking number used twice for one PO is refused", () => {
  const order = accepted();
  const twice = [paper, { ...pens, trackingNumber: paper.trackingNumber }];
  const outcome = applyShipNotice(order, asnFor(order, twice), CARRIERS, T0);
  assert.ok(outcome.kind === "invalid" && /used twice/.test(outcome.problem));
});

asn("an item not on the PO, or a split pack, is refused", () => {
  const order = accepted();
  const stranger = applyShipNotice(
    order,
    asnFor(order, [
      { trackingNumber: "1ZX1", contents: [{ itemNumber: "ZZZ1234", quantity: 1, uom: "EA" }] },
    ]),
    CARRIERS,
    T0,
  );
  assert.ok(stranger.kind === "invalid");
  // 3 CT = item A (1 CT) + item B (a 2-pack): 2 CT alone would be item A plus half of item B.
  const split = applyShipNotice(
    order,
    asnFor(order, [
      { trackingNumber: "1ZX2", contents: [{ itemNumber: "UNV21200", quantity: 2, uom: "CT" }] },
    ]),
    CARRIERS,
    T0,
  );
  assert.ok(split.kind === "invalid" && /whole number of Amazon units/.test(split.problem));
});

asn("a ship notice for a cancelled order puts it in NEEDS_ATTENTION", () => {
  const order = { ...accepted(), state: "CANCELLED" as const };
  const outcome = applyShipNotice(order, asnFor(order, everything), CARRIERS, T0);
  assert.ok(outcome.kind === "attention" && outcome.order.attention?.reason === "SHIPPED_AFTER_CANCELLATION");
});

asn("unknown carrier codes confirm as Other with the carrier's name", () => {
  assert.equal(amazonCarrier("UPSN", "UPS", CARRIERS), { carrierCode: "UPS" });
  assert.equal(amazonCarrier("ODFL", "Old Dominion", CARRIERS), {
    carrierCode: "Other",
    carrierName: "Old Dominion",
  });
  assert.equal(amazonCarrier("XYZ", "", CARRIERS), { carrierCode: "Other", carrierName: "XYZ" });
});

asn("the order is CONFIRMED only when every package of a complete shipment is confirmed", () => {
  const order = accepted();
  const shipped = applyShipNotice(order, asnFor(order, everything), CARRIERS, T0);
  assert.ok(shipped.kind === "applied");
  const one = packageConfirmed(shipped.order, "1", T0);
  assert.is(one.state, "SHIPPED_FULL");
  const both = packageConfirmed(one, "2", T0);
  assert.is(both.state, "CONFIRMED");
  assert.ok(both.packages.every((p) => p.status === "CONFIRMED" && p.confirmedAt === T0.toISOString()));
});

asn("a package Amazon refuses puts the order in NEEDS_ATTENTION with Amazon's code", () => {
  const order = accepted();
  const shipped = applyShipNotice(order, asnFor(order, everything), CARRIERS, T0);
  assert.ok(shipped.kind === "applied");
  const refused = packageRejected(shipped.order, "2", "InvalidInput", "Invalid tracking number", T0);
  assert.is(refused.state, "NEEDS_ATTENTION");
  assert.equal(refused.attention, {
    reason: "AMAZON_REJECTED_CONFIRMATION",
    detail: "InvalidInput: Invalid tracking number",
  });
  assert.equal(refused.packages[1]?.error, { code: "InvalidInput", message: "Invalid tracking number" });
});

asn("a substituted item ships under its new number and is confirmed as the Amazon item it replaces", () => {
  const order = sentOrder();
  const base = ackFor(order);
  const lines = base.lines.map((l) =>
    l.itemNumber === "BICGSM11BK"
      ? { ...l, substitutedItemNumber: "BICGSM11BL", lineStatus: "SUBSTITUTED" }
      : l,
  );
  const acked = applyAcknowledgement(order, { ...base, lines }, T0);
  assert.ok(acked.kind === "applied");
  const outcome = applyShipNotice(
    acked.order,
    asnFor(order, [
      {
        trackingNumber: "1ZSUB0000000000001",
        contents: [{ itemNumber: "BICGSM11BL", quantity: 2, uom: "DZ" }],
      },
    ]),
    CARRIERS,
    T0,
  );
  assert.ok(outcome.kind === "applied");
  assert.equal(outcome.order.packages[0]?.items, [{ orderItemId: "10000000000003", quantity: 2 }]);
});

asn.run();
