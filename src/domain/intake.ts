import type { AmazonOrder } from "./amazon-order.js";
import { eligibility } from "./eligibility.js";
import {
  type FulfillmentOrder,
  moveTo,
  needsAttention,
  newFulfillmentOrder,
  note,
} from "./fulfillment-order.js";

export type IntakeDecision =
  | { readonly kind: "new"; readonly order: FulfillmentOrder }
  | { readonly kind: "updated"; readonly order: FulfillmentOrder }
  | { readonly kind: "unchanged" }
  | { readonly kind: "skipped"; readonly why: string };

const BEFORE_PO_SENT = new Set(["NEW", "HELD", "PO_READY"]);

/**
 * Decides what an order seen on Amazon means for this system: a new order to fulfil, a status
 * change of a known one, or nothing. Seeing the same order twice is harmless.
 */
export function takeIn(
  incoming: AmazonOrder,
  known: FulfillmentOrder | undefined,
  now: Date,
): IntakeDecision {
  const facts = incoming.facts;
  if (known) return statusChange(known, incoming, now);
  const verdict = eligibility(facts);
  if (verdict.kind === "not-ours") return { kind: "skipped", why: verdict.why };
  const fresh = newFulfillmentOrder(facts, incoming.shipTo !== undefined, now);
  if (verdict.kind === "held") {
    return {
      kind: "new",
      order: {
        ...moveTo(fresh, "HELD", now, "HELD", { reason: verdict.reason }),
        holdReason: verdict.reason,
      },
    };
  }
  return { kind: "new", order: fresh };
}

function statusChange(known: FulfillmentOrder, incoming: AmazonOrder, now: Date): IntakeDecision {
  const facts = incoming.facts;
  if (facts.lastUpdatedTime <= known.facts.lastUpdatedTime && facts.status === known.facts.status) {
    return { kind: "unchanged" };
  }
  const refreshed: FulfillmentOrder = {
    ...known,
    facts: { ...known.facts, status: facts.status, lastUpdatedTime: facts.lastUpdatedTime },
  };
  if (facts.status !== "CANCELLED" || known.facts.status === "CANCELLED")
    return { kind: "updated", order: refreshed };
  if (known.state === "CANCELLED" || known.state === "CLOSED") return { kind: "updated", order: refreshed };
  if (BEFORE_PO_SENT.has(known.state)) {
    // Cancelled before the PO left: it is never sent.
    const cancelled = moveTo(refreshed, "CANCELLED", now, "CANCELLED_BY_AMAZON");
    return { kind: "updated", order: { ...cancelled, cancelledAt: now.toISOString() } };
  }
  if (known.state === "NEEDS_ATTENTION") {
    return { kind: "updated", order: note(refreshed, now, "CANCELLED_BY_AMAZON", "PO already sent") };
  }
  // The PO already left: Essendant is asked to cancel (a POCANCEL document); until it confirms, a person watches.
  const asked = needsAttention(refreshed, now, "CANCEL_REQUESTED", "Amazon cancelled after the PO was sent");
  return { kind: "updated", order: { ...asked, cancellation: { requestedAt: now.toISOString() } } };
}
