import type { AmazonOrderFacts } from "./amazon-order.js";
import type { HoldReason } from "./fulfillment-order.js";

export type Eligibility =
  | { readonly kind: "eligible" }
  | { readonly kind: "held"; readonly reason: HoldReason }
  | { readonly kind: "not-ours"; readonly why: "FULFILLED_BY_AMAZON" | "NOT_YET_PAYABLE" | "NOT_OPEN" };

/** Amazon programs whose shipping this drop-ship flow cannot perform; such orders are held, never sent. */
const UNSERVABLE_PROGRAMS: Readonly<Record<string, HoldReason>> = {
  AMAZON_EASY_SHIP: "EASY_SHIP",
  FBM_SHIP_PLUS: "SHIP_PLUS",
  IN_STORE_PICK_UP: "IN_STORE_PICKUP",
};

/**
 * Which Amazon orders this daemon fulfils: merchant-fulfilled, UNSHIPPED or PARTIALLY_SHIPPED.
 * PENDING orders are left for a later poll (Amazon has not released them for shipping yet).
 */
export function eligibility(facts: AmazonOrderFacts): Eligibility {
  if (facts.fulfilledBy !== "MERCHANT") return { kind: "not-ours", why: "FULFILLED_BY_AMAZON" };
  if (facts.status === "PENDING" || facts.status === "PENDING_AVAILABILITY") {
    return { kind: "not-ours", why: "NOT_YET_PAYABLE" };
  }
  if (facts.status !== "UNSHIPPED" && facts.status !== "PARTIALLY_SHIPPED")
    return { kind: "not-ours", why: "NOT_OPEN" };
  for (const program of facts.programs) {
    const reason = UNSERVABLE_PROGRAMS[program];
    if (reason) return { kind: "held", reason };
  }
  return { kind: "eligible" };
}
