import {
  type FulfillmentOrder,
  moveTo,
  needsAttention,
  type PackageConfirmation,
} from "./fulfillment-order.js";

function replacePackage(
  order: FulfillmentOrder,
  ref: string,
  change: Partial<PackageConfirmation>,
): FulfillmentOrder {
  const found = order.packages.some((p) => p.packageReferenceId === ref);
  if (!found) throw new Error(`order ${order.facts.orderId} has no package ${ref}`);
  return {
    ...order,
    packages: order.packages.map((p) => (p.packageReferenceId === ref ? { ...p, ...change } : p)),
  };
}

export function pendingPackages(order: FulfillmentOrder): readonly PackageConfirmation[] {
  return order.packages.filter((p) => p.status === "PENDING");
}

/** Amazon took the package's confirmation; once every package of a complete shipment is in, the order is CONFIRMED. */
export function packageConfirmed(order: FulfillmentOrder, ref: string, now: Date): FulfillmentOrder {
  const updated = replacePackage(order, ref, { status: "CONFIRMED", confirmedAt: now.toISOString() });
  const allIn = updated.packages.every((p) => p.status === "CONFIRMED");
  if (updated.state === "SHIPPED_FULL" && allIn)
    return moveTo(updated, "CONFIRMED", now, "CONFIRMED_TO_AMAZON");
  return updated;
}

/** Amazon refused the confirmation (HTTP 400): the order needs a person, with Amazon's code and message. */
export function packageRejected(
  order: FulfillmentOrder,
  ref: string,
  code: string,
  message: string,
  now: Date,
): FulfillmentOrder {
  const updated = replacePackage(order, ref, { status: "REJECTED", error: { code, message } });
  return needsAttention(updated, now, "AMAZON_REJECTED_CONFIRMATION", `${code}: ${message}`);
}
