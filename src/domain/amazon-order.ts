import type { ShipTo } from "./ship-to.js";

/** Amazon's order-level fulfillment status (Orders API v2026-01-01 `fulfillment.fulfillmentStatus`). */
export const AMAZON_ORDER_STATUSES = [
  "PENDING_AVAILABILITY",
  "PENDING",
  "UNSHIPPED",
  "PARTIALLY_SHIPPED",
  "SHIPPED",
  "CANCELLED",
  "UNFULFILLABLE",
] as const;
export type AmazonOrderStatus = (typeof AMAZON_ORDER_STATUSES)[number];

export type FulfilledBy = "MERCHANT" | "AMAZON";

export interface AmazonOrderItem {
  readonly orderItemId: string;
  readonly sellerSku: string;
  readonly asin?: string;
  readonly quantityOrdered: number;
  /** Per-unit price as a decimal string, when Amazon sent one. */
  readonly unitPrice?: string;
}

/** The non-PII facts of an Amazon order: safe to store in the clear, log by id, and keep after purge. */
export interface AmazonOrderFacts {
  readonly orderId: string;
  readonly marketplaceId: string;
  readonly purchaseDate: string;
  readonly lastUpdatedTime: string;
  readonly status: AmazonOrderStatus;
  readonly fulfilledBy: FulfilledBy;
  /** Amazon's shipment service level, e.g. STANDARD, SECOND_DAY. */
  readonly serviceLevel: string;
  readonly programs: readonly string[];
  readonly latestShipDate?: string;
  readonly latestDeliveryDate?: string;
  readonly items: readonly AmazonOrderItem[];
}

/** An order as the marketplace hands it over: the facts plus the ship-to, when Amazon released it. */
export interface AmazonOrder {
  readonly facts: AmazonOrderFacts;
  readonly shipTo?: ShipTo;
}

const ORDER_ID = /^\d{3}-\d{7}-\d{7}$/;

/** Amazon order ids are "3-7-7" digits; anything else is refused before it reaches a file name. */
export function isAmazonOrderId(value: string): boolean {
  return ORDER_ID.test(value);
}
