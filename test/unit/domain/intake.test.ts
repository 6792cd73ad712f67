import { suite } from "uvu";
import * as assert from "uvu/assert";
import { eligibility } from "../../../src/domain/eligibility.js";
import { takeIn } from "../../../src/domain/intake.js";
import { anAmazonOrder, anOrder, someFacts } from "../../support/order-mother.js";
import { sentOrder, T0 } from "./pipeline.js";

const intake = suite("intake and eligibility");

intake("merchant-fulfilled UNSHIPPED and PARTIALLY_SHIPPED orders are eligible", () => {
  assert.equal(eligibility(someFacts({ status: "UNSHIPPED" })), { kind: "eligible" });
  assert.equal(eligibility(someFacts({ status: "PARTIALLY_SHIPPED" })), { kind: "eligible" });
});

intake("Amazon-fulfilled, pending and closed orders are not ours", () => {
  assert.equal(eligibility(someFacts({ fulfilledBy: "AMAZON" })).kind, "not-ours");
  assert.equal(eligibility(someFacts({ status: "PENDING" })), { kind: "not-ours", why: "NOT_YET_PAYABLE" });
  assert.equal(eligibility(someFacts({ status: "SHIPPED" })), { kind: "not-ours", why: "NOT_OPEN" });
  assert.equal(eligibility(someFacts({ status: "CANCELLED" })), { kind: "not-ours", why: "NOT_OPEN" });
});

intake("Easy Ship, Ship+ and in-store pick-up orders are held with their reason, never sent", () => {
  assert.equal(eligibility(someFacts({ programs: ["PRIME", "AMAZON_EASY_SHIP"] })), {
    kind: "held",
    reason: "EASY_SHIP",
  });
  assert.equal(eligibility(someFacts({ programs: ["FBM_SHIP_PLUS"] })), {
    kind: "held",
    reason: "SHIP_PLUS",
  });
  assert.equal(eligibility(someFacts({ programs: ["IN_STORE_PICK_UP"] })), {
    kind: "held",
    reason: "IN_STORE_PICKUP",
  });
  const decision = takeIn(anAmazonOrder({ facts: { programs: ["AMAZON_EASY_SHIP"] } }), undefined, T0);
  assert.ok(
    decision.kind === "new" && decision.order.state === "HELD" && decision.order.holdReason === "EASY_SHIP",
  );
});

intake("a new eligible order starts NEW with its PII marked held", () => {
  const decision = takeIn(anAmazonOrder(), undefined, T0);
  assert.ok(decision.kind === "new");
  assert.is(decision.order.state, "NEW");
  assert.is(decision.order.pii.status, "HELD");
  assert.not.match(JSON.stringify(decision.order), /Marisol/);
});

intake("a pending order is skipped until a later poll sees it UNSHIPPED", () => {
  assert.equal(takeIn(anAmazonOrder({ facts: { status: "PENDING" } }), undefined, T0), {
    kind: "skipped",
    why: "NOT_YET_PAYABLE",
  });
});

intake("seeing a known order again unchanged is harmless", () => {
  const known = anOrder();
  assert.equal(takeIn({ facts: known.facts }, known, T0), { kind: "unchanged" });
});

intake("cancelled before the PO was sent: the order is cancelled and never sent", () => {
  const known = anOrder({ state: "HELD", holdReason: "UNMAPPED_SKU" });
  const decision = takeIn(
    { facts: { ...known.facts, status: "CANCELLED", lastUpdatedTime: "2026-11-02T18:00:00Z" } },
    known,
    T0,
  );
  assert.ok(decision.kind === "updated");
  assert.is(decision.order.state, "CANCELLED");
  assert.is(decision.order.cancelledAt, T0.toISOString());
});

intake(
  "cancelled after the PO was sent: a cancellation is requested and the order needs attention meanwhile",
  () => {
    const known = sentOrder();
    const decision = takeIn(
      { facts: { ...known.facts, status: "CANCELLED", lastUpdatedTime: "2026-11-02T18:00:00Z" } },
      known,
      T0,
    );
    assert.ok(decision.kind === "updated");
    assert.is(decision.order.state, "NEEDS_ATTENTION");
    assert.is(decision.order.attention?.reason, "CANCEL_REQUESTED");
    assert.equal(decision.order.cancellation, { requestedAt: T0.toISOString() });
  },
);

intake.run();
