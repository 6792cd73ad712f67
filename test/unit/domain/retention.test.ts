import { suite } from "uvu";
import * as assert from "uvu/assert";
import { checkRetentionPolicy, isPiiDue, piiDeadline, piiPurged } from "../../../src/domain/retention.js";
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
