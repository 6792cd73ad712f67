import type { AmazonOrder, AmazonOrderFacts, AmazonOrderItem } from "../../src/domain/amazon-order.js";
import type { FulfillmentOrder, PackageConfirmation } from "../../src/domain/fulfillment-order.js";
import { ShipTo, type ShipToFields } from "../../src/domain/ship-to.js";

/**
 * Builders for orders and ship-tos with realistic but invented values. Every builder takes
 * overrides; ids come from a counter, so two builds never collide.
 */

let sequence = 0;
function next(): number {
  sequence += 1;
  return sequence;
}

/** A fresh order id in Amazon's "3-7-7" form. */
export function anOrderId(): string {
  const n = next();
  return `113-${String(4_200_000 + n).padStart(7, "0")}-${String((n * 7_919) % 10_000_000).padStart(7, "0")}`;
}

export function anItem(overrides: Partial<AmazonOrderItem> = {}): AmazonOrderItem {
  return {
    orderItemId: String(60_519_873_200_000 + next()),
    sellerSku: "UNV-27420-BLK",
    asin: "B07QX5T9RK",
    quantityOrdered: 1,
    unitPrice: "14.89",
    ...overrides,
  };
}

export function someFacts(overrides: Partial<AmazonOrderFacts> = {}): AmazonOrderFacts {
  return {
    marketplaceId: "ATVPDKIKX0DER",
    purchaseDate: "2026-11-02T15:04:05Z",
    lastUpdatedTime: "2026-11-02T15:09:41Z",
    status: "UNSHIPPED",
    fulfilledBy: "MERCHANT",
    serviceLevel: "STANDARD",
    programs: [],
    latestShipDate: "2026-11-04T07:59:59Z",
    latestDeliveryDate: "2026-11-10T07:59:59Z",
    ...overrides,
    orderId: overrides.orderId ?? anOrderId(),
    items: overrides.items ?? [anItem()],
  };
}

export function shipToFields(overrides: Partial<ShipToFields> = {}): ShipToFields {
  return {
    name: "Marisol Okonkwo-Lindqvist",
    line1: "4817 Larkspur Hollow Rd",
    line2: "Apt 12B",
    city: "Dunmore",
    stateOrRegion: "PA",
    postalCode: "18512-2044",
    countryCode: "US",
    addressType: "RESIDENTIAL",
    ...overrides,
  };
}

export function aShipTo(overrides: Partial<ShipToFields> = {}): ShipTo {
  return ShipTo.of(shipToFields(overrides));
}

/** An order as the marketplace hands it over; `shipTo: undefined` for one Amazon did not release. */
export function anAmazonOrder(
  overrides: { readonly facts?: Partial<AmazonOrderFacts>; readonly shipTo?: ShipTo | undefined } = {},
): AmazonOrder {
  const shipTo = "shipTo" in overrides ? overrides.shipTo : aShipTo();
  return { facts: someFacts(overrides.facts), ...(shipTo ? { shipTo } : {}) };
}

/** One shipment confirmation waiting for Amazon (status PENDING unless overridden). */
export function aPackage(overrides: Partial<PackageConfirmation> = {}): PackageConfirmation {
  const n = next();
  return {
    packageReferenceId: "1",
    shipmentId: `SHP-${String(880_000 + n)}`,
    trackingNumber: `1Z4E7W96${String(3_100_000_000 + n)}`,
    shipDate: "2026-11-03T18:22:00Z",
    carrierCode: "UPS",
    shippingMethod: "UPS Ground",
    items: [{ orderItemId: String(60_519_873_200_000 + n), quantity: 1 }],
    status: "PENDING",
    ...overrides,
  };
}

export type OrderOverrides = Partial<Omit<FulfillmentOrder, "facts">> & {
  readonly facts?: Partial<AmazonOrderFacts>;
};

/**
 * A FulfillmentOrder as the store holds it: NEW with its ship-to held unless overridden. The state
 * is set as given, not walked through the lifecycle; pass the records that state implies.
 */
export function anOrder(overrides: OrderOverrides = {}): FulfillmentOrder {
  const { facts: factOverrides, ...rest } = overrides;
  const facts = someFacts(factOverrides);
  return {
    facts,
    state: "NEW",
    shipments: [],
    packages: [],
    pii: { status: "HELD" },
    timeline: [{ at: facts.lastUpdatedTime, event: "IMPORTED", state: "NEW" }],
    ...rest,
  };
}
