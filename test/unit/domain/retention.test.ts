import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { FulfillmentOrder } from "../../../src/domain/fulfillment-order.js";
import {
  checkRetentionPolicy,
  isPiiDue,
  piiDeadline,
  piiPurged,
  sameDeadlineBasis,
} from "../../../src/domain/retention.js";
import { anOrder } from "../../support/order-mother.js";

const retention = suite("retention policy");
const POLICY = { piiDaysAfterShipment: 30, piiHardCapDays: 60, hardCapAlertDays: 7 };

retention("a shipped order's PII deadline is its final shipment plus the configured days", () => {
  const order = anOrder({ state: "CONFIRMED", finalShipmentTime: "2026-11-03T22:40:00Z" });
  assert.equal(piiDeadline(order, POLICY), { deadline: new Date("2026-12-03T22:40:00Z"), basis: "SHIPPED" });
  assert.not.ok(isPiiDue(order, POLICY, new Date("2026-12-03T22:39:59Z")));
  assert.ok(isPiiDue(order, POLICY, new Date("2026-12-03T22:40:00Z")));
});

retention("cancelled and rejected orders are due at once (the next daily run)", () => {
  const cancelled = anOrder({ state: "CANCELLED", cancelledAt: "2026-11-05T10:00:00Z" });
  assert.equal(piiDeadline(cancelled, POLICY), {
    deadline: new Date("2026-11-05T10:00:00Z"),
    basis: "CANCELLED",
  });
  const rejected = anOrder({ state: "ACK_REJECTED" });
  assert.is(piiDeadline(rejected, POLICY).basis, "REJECTED");
  assert.ok(isPiiDue(cancelled, POLICY, new Date("2026-11-06T03:15:00Z")));
});

retention("an order that never ships hits the hard cap, with an alert date before it", () => {
  const open = anOrder({ state: "ACK_BACKORDERED", facts: { purchaseDate: "2026-11-01T00:00:00Z" } });
  assert.equal(piiDeadline(open, POLICY), {
    deadline: new Date("2026-12-31T00:00:00Z"),
    basis: "HARD_CAP",
    alertAt: new Date("2026-12-24T00:00:00Z"),
  });
});

retention(
  "orders on the same deadline basis get the same deadline; each input piiDeadline reads breaks it",
  () => {
    const base = anOrder({ state: "PO_SENT", facts: { purchaseDate: "2026-11-01T00:00:00Z" } });
    const ack = { documentId: "d", ackDateTime: "2026-11-02T00:00:00Z", status: "REJECTED", lines: [] };
    // Moves through the open states keep it: the hard cap counts from the purchase.
    assert.ok(sameDeadlineBasis(base, { ...base, state: "ACK_ACCEPTED" }));
    const changes: [string, FulfillmentOrder, FulfillmentOrder][] = [
      ["shipped", base, { ...base, state: "SHIPPED_FULL", finalShipmentTime: "2026-11-03T22:40:00Z" }],
      ["cancelled", base, { ...base, state: "CANCELLED" }],
      [
        "cancelled at another time",
        { ...base, state: "CANCELLED", cancelledAt: "2026-11-05T10:00:00Z" },
        { ...base, state: "CANCELLED", cancelledAt: "2026-11-06T10:00:00Z" },
      ],
      ["rejected", base, { ...base, state: "ACK_REJECTED" }],
      [
        "rejected at another time",
        { ...base, state: "ACK_REJECTED" },
        { ...base, state: "ACK_REJECTED", acknowledgement: ack } as FulfillmentOrder,
      ],
      [
        "purchased at another time",
        base,
        { ...base, facts: { ...base.facts, purchaseDate: "2026-11-02T00:00:00Z" } },
      ],
      [
        "updated at another time",
        { ...base, state: "CANCELLED" },
        { ...base, state: "CANCELLED", facts: { ...base.facts, lastUpdatedTime: "2026-11-09T00:00:00Z" } },
      ],
    ];
    for (const [what, a, b] of changes) {
      assert.not.ok(sameDeadlineBasis(a, b), what);
      assert.not.equal(piiDeadline(a, POLICY), piiDeadline(b, POLICY), `${what}: the deadline differs`);
    }
  },
);

retention("purged PII is not due again", () => {
  const order = piiPurged(
    anOrder({ state: "CANCELLED", cancelledAt: "2026-11-05T10:00:00Z" }),
    new Date("2026-11-06T03:15:00Z"),
  );
  assert.equal(order.pii, { status: "PURGED", purgedAt: "2026-11-06T03:15:00.000Z" });
  assert.not.ok(isPiiDue(order, POLICY, new Date("2027-01-01T00:00:00Z")));
});

retention("more than 30 days after shipment breaks the privacy policy", () => {
  assert.match(checkRetentionPolicy({ ...POLICY, piiDaysAfterShipment: 45 }) ?? "", /at most 30/);
  assert.is(checkRetentionPolicy(POLICY), undefined);
  assert.ok(checkRetentionPolicy({ ...POLICY, hardCapAlertDays: 60 }));
});

retention.run();
