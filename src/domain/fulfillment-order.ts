import type { AmazonOrderFacts } from "./amazon-order.js";
import type { InvoiceRecord } from "./invoice.js";
import { assertTransition, type OrderState } from "./lifecycle.js";

/** Why an order waits instead of going to Essendant. Config-driven reasons clear themselves on a later pass. */
export const HOLD_REASONS = [
  "UNMAPPED_SKU",
  "UNMAPPED_SHIP_METHOD",
  "SKU_MAP_CONFLICT",
  "EASY_SHIP",
  "SHIP_PLUS",
  "IN_STORE_PICKUP",
  "MISSING_ADDRESS",
  "NON_US_ADDRESS",
  "ADDRESS_INVALID",
  "ADDRESS_TOO_LONG",
] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** One Amazon order item's share of a PO line. */
export interface LineAllocation {
  readonly orderItemId: string;
  readonly amazonQuantity: number;
  /** Units of the line's `uom`: amazonQuantity × unitsPerSku. */
  readonly units: number;
}

/** A PO line and the Amazon order items merged into it: Essendant answers by item number. */
export interface PoLine {
  readonly lineNumber: number;
  readonly itemNumber: string;
  readonly uom: string;
  readonly quantity: number;
  readonly allocations: readonly LineAllocation[];
}

export interface PurchaseOrderRecord {
  readonly poNumber: string;
  readonly fileName: string;
  readonly documentId: string;
  readonly sha256: string;
  readonly createdAt: string;
  readonly lines: readonly PoLine[];
  readonly sentAt?: string;
}

export interface AckLineRecord {
  readonly itemNumber: string;
  readonly substitutedItemNumber?: string;
  readonly ordered: number;
  readonly accepted: number;
  readonly backordered: number;
  readonly cancelled: number;
  readonly lineStatus: string;
  readonly reasonCategory?: string;
  readonly unitCost?: string;
}

export interface AckRecord {
  readonly documentId: string;
  readonly ackDateTime: string;
  readonly status: string;
  readonly reasonCategory?: string;
  readonly lines: readonly AckLineRecord[];
}

export interface ShipmentRecord {
  readonly shipmentId: string;
  readonly documentId: string;
  readonly shipDateTime: string;
  readonly carrierCode: string;
  readonly isFinal: boolean;
  /** Units shipped per PO line number in this shipment. */
  readonly unitsByLine: Readonly<Record<number, number>>;
}

export type ConfirmationStatus = "PENDING" | "CONFIRMED" | "REJECTED";

/** One package = one Amazon shipment confirmation. */
export interface PackageConfirmation {
  readonly packageReferenceId: string;
  readonly shipmentId: string;
  readonly trackingNumber: string;
  readonly shipDate: string;
  readonly carrierCode: string;
  readonly carrierName?: string;
  readonly shippingMethod?: string;
  readonly items: readonly { readonly orderItemId: string; readonly quantity: number }[];
  readonly status: ConfirmationStatus;
  readonly confirmedAt?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface TimelineEntry {
  readonly at: string;
  readonly event: string;
  readonly state?: OrderState;
  readonly reason?: string;
  readonly detail?: string;
}

export type PiiStatus = "HELD" | "PURGED" | "NONE";

/** The order as this system tracks it. It holds no PII: the ship-to lives apart, in the store. */
export interface FulfillmentOrder {
  readonly facts: AmazonOrderFacts;
  readonly state: OrderState;
  readonly holdReason?: HoldReason;
  readonly holdDetail?: string;
  readonly attention?: { readonly reason: string; readonly detail?: string };
  readonly purchaseOrder?: PurchaseOrderRecord;
  readonly acknowledgement?: AckRecord;
  readonly shipments: readonly ShipmentRecord[];
  readonly packages: readonly PackageConfirmation[];
  readonly invoices?: readonly InvoiceRecord[];
  readonly finalShipmentTime?: string;
  readonly cancelledAt?: string;
  /** Amazon cancelled after the PO left: Essendant is asked to cancel with a POCANCEL document. */
  readonly cancellation?: {
    readonly requestedAt: string;
    readonly fileName?: string;
    readonly sentAt?: string;
  };
  readonly pii: { readonly status: PiiStatus; readonly purgedAt?: string };
  readonly timeline: readonly TimelineEntry[];
}

export function newFulfillmentOrder(
  facts: AmazonOrderFacts,
  hasShipTo: boolean,
  now: Date,
): FulfillmentOrder {
  return {
    facts,
    state: "NEW",
    shipments: [],
    packages: [],
    pii: { status: hasShipTo ? "HELD" : "NONE" },
    timeline: [{ at: now.toISOString(), event: "IMPORTED", state: "NEW" }],
  };
}

/**
 * Moves the order to `to` through the lifecycle's rules, recording the step in its timeline.
 * Throws IllegalTransitionError for a move the lifecycle forbids.
 */
export function moveTo(
  order: FulfillmentOrder,
  to: OrderState,
  now: Date,
  event: string,
  extra: { reason?: string; detail?: string } = {},
): FulfillmentOrder {
  assertTransition(order.state, to);
  const entry: TimelineEntry = { at: now.toISOString(), event, state: to, ...extra };
  return { ...order, state: to, timeline: [...order.timeline, entry] };
}

export function note(order: FulfillmentOrder, now: Date, event: string, detail?: string): FulfillmentOrder {
  const entry: TimelineEntry = { at: now.toISOString(), event, ...(detail ? { detail } : {}) };
  return { ...order, timeline: [...order.timeline, entry] };
}

/** Puts the order in NEEDS_ATTENTION with a reason the administrator can act on. */
export function needsAttention(
  order: FulfillmentOrder,
  now: Date,
  reason: string,
  detail?: string,
): FulfillmentOrder {
  const moved = moveTo(order, "NEEDS_ATTENTION", now, "NEEDS_ATTENTION", {
    reason,
    ...(detail ? { detail } : {}),
  });
  return { ...moved, attention: { reason, ...(detail ? { detail } : {}) } };
}
