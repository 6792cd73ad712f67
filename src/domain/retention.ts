import { type FulfillmentOrder, moveTo } from "./fulfillment-order.js";
import type { OrderState } from "./lifecycle.js";
import { addDays } from "./time.js";

/** The privacy policy's ceiling: customer PII lives no longer than 30 days after delivery. */
export const MAX_PII_DAYS_AFTER_SHIPMENT = 30;
/** Amazon's Data Protection Policy asks for 12 months of logs; the seller's policy for at least 90 days. */
export const MIN_LOG_DAYS = 90;

export interface RetentionPolicy {
  /** Days after the final shipment that the ship-to is kept; at most 30. */
  readonly piiDaysAfterShipment: number;
  /** Orders that never ship lose their PII this many days after purchase. */
  readonly piiHardCapDays: number;
  /** How many days before the hard cap an alert is raised. */
  readonly hardCapAlertDays: number;
}

export type PiiDeadlineBasis = "SHIPPED" | "CANCELLED" | "REJECTED" | "HARD_CAP";

export interface PiiDeadline {
  readonly deadline: Date;
  readonly basis: PiiDeadlineBasis;
  /** For orders on the hard cap: when to warn that their PII will be purged unshipped. */
  readonly alertAt?: Date;
}

/** Returns a problem with the policy, or undefined when it keeps the seller's promises. */
export function checkRetentionPolicy(policy: RetentionPolicy): string | undefined {
  if (policy.piiDaysAfterShipment > MAX_PII_DAYS_AFTER_SHIPMENT) {
    return `retention.piiDaysAfterShipment is ${policy.piiDaysAfterShipment}; the privacy policy allows at most ${MAX_PII_DAYS_AFTER_SHIPMENT}`;
  }
  if (policy.hardCapAlertDays >= policy.piiHardCapDays) {
    return "retention.hardCapAlertDays must be smaller than retention.piiHardCapDays";
  }
  return undefined;
}

/**
 * When an order's ship-to must be gone. Delivery is never earlier than shipment, so the final
 * shipment time plus the configured days stays inside "30 days after delivery". Cancelled and
 * rejected orders go at the next daily run; orders that never ship hit a hard cap from purchase.
 */
export function piiDeadline(order: FulfillmentOrder, policy: RetentionPolicy): PiiDeadline {
  if (order.finalShipmentTime) {
    return { deadline: addDays(order.finalShipmentTime, policy.piiDaysAfterShipment), basis: "SHIPPED" };
  }
  if (order.state === "CANCELLED") {
    return { deadline: new Date(order.cancelledAt ?? order.facts.lastUpdatedTime), basis: "CANCELLED" };
  }
  if (order.state === "ACK_REJECTED") {
    return {
      deadline: new Date(order.acknowledgement?.ackDateTime ?? order.facts.lastUpdatedTime),
      basis: "REJECTED",
    };
  }
  const deadline = addDays(order.facts.purchaseDate, policy.piiHardCapDays);
  return { deadline, basis: "HARD_CAP", alertAt: addDays(deadline, -policy.hardCapAlertDays) };
}

/**
 * True when piiDeadline gives `a` and `b` the same result: they agree on everything it reads (the
 * final shipment, whether the order is cancelled or rejected and when, the purchase and last update
 * times). A store can then keep the deadline it computed for `a`.
 */
export function sameDeadlineBasis(a: FulfillmentOrder, b: FulfillmentOrder): boolean {
  return (
    a.finalShipmentTime === b.finalShipmentTime &&
    (a.state === "CANCELLED") === (b.state === "CANCELLED") &&
    (a.state === "ACK_REJECTED") === (b.state === "ACK_REJECTED") &&
    a.cancelledAt === b.cancelledAt &&
    a.acknowledgement?.ackDateTime === b.acknowledgement?.ackDateTime &&
    a.facts.purchaseDate === b.facts.purchaseDate &&
    a.facts.lastUpdatedTime === b.facts.lastUpdatedTime
  );
}

export function isPiiDue(order: FulfillmentOrder, policy: RetentionPolicy, now: Date): boolean {
  return order.pii.status === "HELD" && piiDeadline(order, policy).deadline.getTime() <= now.getTime();
}

export function piiPurged(order: FulfillmentOrder, now: Date): FulfillmentOrder {
  const entry = { at: now.toISOString(), event: "PII_PURGED" };
  return {
    ...order,
    pii: { status: "PURGED", purgedAt: now.toISOString() },
    timeline: [...order.timeline, entry],
  };
}

/** States in which an order is finished: once its PII is purged it is CLOSED. */
export const CLOSED_AFTER_PURGE: readonly OrderState[] = ["CONFIRMED", "CANCELLED", "ACK_REJECTED"];

/**
 * What the purge makes of an order: PII purged at `at` and, when the order is finished, CLOSED.
 * Open orders keep their state for the administrator. A store may record the purge once and apply
 * this when it reads the order, so the same order always reads the same.
 */
export function afterPiiPurge(order: FulfillmentOrder, at: Date): FulfillmentOrder {
  const purged = piiPurged(order, at);
  return CLOSED_AFTER_PURGE.includes(order.state) ? moveTo(purged, "CLOSED", at, "CLOSED") : purged;
}
