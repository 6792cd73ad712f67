import { type DeepPartial, deepMerge } from "./deep-merge.js";

/** Orders API v2026-01-01 shapes (sp-api.md section 2), as far as the daemon and the fake use them. */
export type SpApiFulfillmentStatus =
  | "PENDING_AVAILABILITY"
  | "PENDING"
  | "UNSHIPPED"
  | "PARTIALLY_SHIPPED"
  | "SHIPPED"
  | "CANCELLED"
  | "UNFULFILLABLE";

export interface SpApiMoney {
  amount: string;
  currencyCode: string;
}

export interface SpApiWindow {
  earliestDateTime?: string;
  latestDateTime?: string;
}

export interface SpApiAddress {
  name?: string;
  companyName?: string;
  addressLine1?: string;
  addressLine2?: string;
  addressLine3?: string;
  city?: string;
  districtOrCounty?: string;
  stateOrRegion?: string;
  municipality?: string;
  postalCode?: string;
  countryCode?: string;
  phone?: string;
  addressType?: "RESIDENTIAL" | "COMMERCIAL" | "PICKUP_POINT";
}

export interface SpApiOrderItem {
  orderItemId: string;
  quantityOrdered: number;
  product: {
    asin?: string;
    title?: string;
    sellerSku?: string;
    condition?: { conditionType?: string; conditionSubtype?: string };
    price?: { unitPrice?: SpApiMoney };
  };
  /** Returned with includedData FULFILLMENT. */
  fulfillment?: { quantityFulfilled?: number; quantityUnfulfilled?: number };
  /** Returned with includedData CANCELLATION. */
  cancellation?: { cancellationRequest?: { requester?: string; cancelReason?: string } };
}

/** A shipment as Amazon reports it back (includedData PACKAGES); the fake adds one per confirmation. */
export interface SpApiPackage {
  packageReferenceId: string;
  createdTime?: string;
  packageStatus?: { status: string; detailedStatus?: string };
  carrier?: string;
  shipTime?: string;
  shippingService?: string;
  trackingNumber?: string;
  packageItems?: { orderItemId: string; quantity: number }[];
}

export interface SpApiOrder {
  orderId: string;
  orderAliases?: { aliasId: string; aliasType: "SELLER_ORDER_ID" }[];
  createdTime: string;
  lastUpdatedTime: string;
  programs?: string[];
  salesChannel: { channelName?: "AMAZON" | "NON_AMAZON"; marketplaceId: string; marketplaceName?: string };
  /** Returned with includedData BUYER. */
  buyer?: { buyerName?: string; buyerEmail?: string; buyerCompanyName?: string };
  /** Returned with includedData RECIPIENT. */
  recipient?: { deliveryAddress?: SpApiAddress };
  /** Returned with includedData PROCEEDS. */
  proceeds?: { grandTotal?: SpApiMoney };
  /** Returned with includedData FULFILLMENT. */
  fulfillment?: {
    fulfillmentStatus: SpApiFulfillmentStatus;
    fulfilledBy?: "MERCHANT" | "AMAZON";
    fulfillmentServiceLevel?: string;
    shipByWindow?: SpApiWindow;
    deliverByWindow?: SpApiWindow;
  };
  orderItems: SpApiOrderItem[];
  /** Returned with includedData PACKAGES. */
  packages?: SpApiPackage[];
}

/** PII whose appearance anywhere (log, error, file) is a leak; see PII_CANARY_PATTERN. */
export const PII_CANARY = {
  name: "Zebulon Canaryfield",
  addressLine1: "77 Canary Wharf Lane",
  addressLine2: "Suite Canary-9",
  phone: "+1 570-555-0199",
  buyerEmail: "zebulon.canaryfield@marketplace.amazon.com",
} as const;

export const PII_CANARY_PATTERN = /Zebulon|Canary|555-0199/i;

let sequence = 0;

/** A fresh order id in Amazon's "3-7-7" form (prefix 114, apart from order-mother's 113). */
export function anSpApiOrderId(): string {
  sequence += 1;
  const n = sequence;
  return `114-${String(5_300_000 + n).padStart(7, "0")}-${String((n * 7_919) % 10_000_000).padStart(7, "0")}`;
}

export function anSpApiOrderItem(overrides: DeepPartial<SpApiOrderItem> = {}): SpApiOrderItem {
  sequence += 1;
  const item: SpApiOrderItem = {
    orderItemId: String(70_433_918_500_000 + sequence),
    quantityOrdered: 1,
    product: {
      asin: "B00006IFHD",
      title: "Universal Copy Paper, 92 Bright, 20 lb, 8.5 x 11, White, 5,000 Sheets/Carton",
      sellerSku: "DEMO-PAPER-CT",
      condition: { conditionType: "NEW", conditionSubtype: "NEW" },
      price: { unitPrice: { amount: "52.99", currencyCode: "USD" } },
    },
    fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: 1 },
  };
  return deepMerge(item, overrides);
}

export interface SpApiOrderOptions {
  /** Puts PII_CANARY into the ship-to and the buyer. */
  readonly piiCanary?: boolean;
  /** The times are set relative to this (default: the real now): created 3 h, updated 1 h before. */
  readonly now?: Date;
}

/**
 * An MFN, UNSHIPPED, STANDARD order on Amazon.com with one item, a US residential ship-to and
 * a buyer. Overrides merge deeply (arrays are replaced; `key: undefined` removes a field).
 */
export function anSpApiOrder(
  overrides: DeepPartial<SpApiOrder> = {},
  options: SpApiOrderOptions = {},
): SpApiOrder {
  const now = (options.now ?? new Date()).getTime();
  const at = (hours: number) => new Date(now + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const canary = options.piiCanary === true;
  const order: SpApiOrder = {
    orderId: anSpApiOrderId(),
    createdTime: at(-3),
    lastUpdatedTime: at(-1),
    programs: [],
    salesChannel: { channelName: "AMAZON", marketplaceId: "ATVPDKIKX0DER", marketplaceName: "Amazon.com" },
    buyer: {
      buyerName: canary ? PII_CANARY.name : "Ingrid Vasquez-Holloway",
      buyerEmail: canary ? PII_CANARY.buyerEmail : "3k9x2m7q4w8v5p1@marketplace.amazon.com",
    },
    recipient: {
      deliveryAddress: {
        name: canary ? PII_CANARY.name : "Ingrid Vasquez-Holloway",
        addressLine1: canary ? PII_CANARY.addressLine1 : "2290 Thornbury Crossing Dr",
        ...(canary ? { addressLine2: PII_CANARY.addressLine2 } : {}),
        city: "Scranton",
        stateOrRegion: "PA",
        postalCode: "18505-3317",
        countryCode: "US",
        phone: canary ? PII_CANARY.phone : "+1 570-555-0143",
        addressType: "RESIDENTIAL",
      },
    },
    fulfillment: {
      fulfillmentStatus: "UNSHIPPED",
      fulfilledBy: "MERCHANT",
      fulfillmentServiceLevel: "STANDARD",
      shipByWindow: { earliestDateTime: at(-3), latestDateTime: at(45) },
      deliverByWindow: { earliestDateTime: at(93), latestDateTime: at(189) },
    },
    orderItems: overrides.orderItems ?? [anSpApiOrderItem()],
  };
  return deepMerge(order, overrides);
}
