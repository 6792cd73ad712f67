import type { ShipmentConfirmation } from "../../app/ports/marketplace.port.js";

const POSITIVE_NUMBER = /^[1-9]\d*$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The checks Amazon's confirmShipment applies to a package of an order with these items (HTTP 400
 * InvalidInput otherwise).
 * Returns the reason it would be refused, or undefined. Messages carry no request data.
 */
export function confirmationProblem(
  c: ShipmentConfirmation,
  orderItemIds: ReadonlySet<string>,
): string | undefined {
  if (!POSITIVE_NUMBER.test(c.packageReferenceId)) return "packageReferenceId must be a positive number";
  if (!c.carrierCode?.trim()) return "carrierCode is required";
  if (c.carrierCode === "Other" && !c.carrierName?.trim())
    return "carrierName is required when carrierCode is Other";
  if (!c.trackingNumber?.trim()) return "trackingNumber is required";
  if (!ISO_INSTANT.test(c.shipDate) || Number.isNaN(Date.parse(c.shipDate)))
    return "shipDate must be an ISO 8601 date-time";
  if (c.items.length === 0) return "orderItems must not be empty";
  for (const item of c.items) {
    if (!orderItemIds.has(item.orderItemId)) return "orderItemId is not an item of this order";
    if (!Number.isInteger(item.quantity) || item.quantity <= 0) return "quantity must be a positive integer";
  }
  return undefined;
}

export type RecordedConfirmation = ShipmentConfirmation & { readonly orderId: string };

/** Re-sending a packageReferenceId edits the shipment: the latest record for (order, package) wins. */
export function latestPerPackage(records: readonly RecordedConfirmation[]): RecordedConfirmation[] {
  const latest = new Map<string, RecordedConfirmation>();
  for (const r of records) {
    const key = `${r.orderId}/${r.packageReferenceId}`;
    latest.delete(key);
    latest.set(key, r);
  }
  return [...latest.values()];
}
