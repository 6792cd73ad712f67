import { suite } from "uvu";
import * as assert from "uvu/assert";
import { moveTo, needsAttention, newFulfillmentOrder } from "../../../src/domain/fulfillment-order.js";
import { canTransition, IllegalTransitionError, ORDER_STATES } from "../../../src/domain/lifecycle.js";
import { someFacts } from "../../support/order-mother.js";

const lifecycle = suite("order lifecycle");
const now = new Date("2026-11-02T16:00:00Z");

lifecycle("the happy path is new → PO ready → PO sent → acknowledged → shipped → confirmed → closed", () => {
  const path = ["NEW", "PO_READY", "PO_SENT", "ACK_ACCEPTED", "SHIPPED_FULL", "CONFIRMED", "CLOSED"] as const;
  for (let i = 1; i < path.length; i++)
    assert.ok(canTransition(path[i - 1] ?? "NEW", path[i] ?? "NEW"), `${path[i - 1]} → ${path[i]}`);
});

lifecycle("illegal transitions throw and say which", () => {
  const order = newFulfillmentOrder(someFacts(), true, now);
  assert.throws(
    () => moveTo(order, "PO_SENT", now, "PO_SENT"),
    (e: unknown) =>
      e instanceof IllegalTransitionError && /NEW cannot move to PO_SENT/.test((e as Error).message),
  );
  assert.not.ok(canTransition("CONFIRMED", "PO_SENT"));
  assert.not.ok(canTransition("CANCELLED", "PO_READY"), "a cancelled order is never sent");
  assert.not.ok(canTransition("PO_READY", "HELD"), "stored PO bytes are never rebuilt");
});

lifecycle("closed is terminal", () => {
  for (const to of ORDER_STATES) assert.not.ok(canTransition("CLOSED", to), `CLOSED → ${to}`);
});

lifecycle("a transition is recorded in the timeline; needs-attention keeps its reason", () => {
  const order = needsAttention(newFulfillmentOrder(someFacts(), true, now), now, "PO_INVALID", "lines/0/uom");
  assert.is(order.state, "NEEDS_ATTENTION");
  assert.equal(order.attention, { reason: "PO_INVALID", detail: "lines/0/uom" });
  assert.equal(order.timeline.at(-1), {
    at: now.toISOString(),
    event: "NEEDS_ATTENTION",
    state: "NEEDS_ATTENTION",
    reason: "PO_INVALID",
    detail: "lines/0/uom",
  });
});

lifecycle.run();
