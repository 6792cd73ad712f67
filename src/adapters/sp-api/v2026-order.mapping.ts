import {
  AMAZON_ORDER_STATUSES,
  type AmazonOrder,
  type AmazonOrderItem,
  type AmazonOrderStatus,
  type FulfilledBy,
} from "../../domain/amazon-order.js";
import { type AddressType, ShipTo } from "../../domain/ship-to.js";

/** Why an order from Amazon could not be read: the field path, never the value. */
export class MalformedOrder extends Error {
  constructor(readonly path: string) {
    super(`malformed order field ${path}`);
    this.name = "MalformedOrder";
  }
}

type Json = Record<string, unknown>;

const STATUSES: ReadonlySet<string> = new Set(AMAZON_ORDER_STATUSES);
const ADDRESS_TYPES: ReadonlySet<string> = new Set(["RESIDENTIAL", "COMMERCIAL", "PICKUP_POINT"]);

/** A reader of one JSON object that names the path of whatever is missing or of the wrong type. */
class Reader {
  constructor(
    private readonly value: Json,
    private readonly path: string,
  ) {}

  static of(value: unknown, path: string): Reader {
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new MalformedOrder(path);
    return new Reader(value as Json, path);
  }

  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  string(key: string): string {
    const v = this.value[key];
    if (typeof v !== "string" || v.length === 0) throw new MalformedOrder(this.at(key));
    return v;
  }

  optionalString(key: string): string | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") throw new MalformedOrder(this.at(key));
    return v;
  }

  object(key: string): Reader {
    return Reader.of(this.value[key], this.at(key));
  }

  optionalObject(key: string): Reader | undefined {
    const v = this.value[key];
    return v === undefined || v === null ? undefined : Reader.of(v, this.at(key));
  }

  array(key: string): unknown[] {
    const v = this.value[key];
    if (!Array.isArray(v)) throw new MalformedOrder(this.at(key));
    return v;
  }

  optionalArray(key: string): unknown[] {
    const v = this.value[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw new MalformedOrder(this.at(key));
    return v;
  }

  count(key: string): number {
    const v = this.value[key];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new MalformedOrder(this.at(key));
    return v;
  }
}

/** The order id, if the order has a usable one, to name it in a warning. */
export function orderIdOf(raw: unknown): string | undefined {
  const id = (raw as { orderId?: unknown } | null)?.orderId;
  return typeof id === "string" && /^\d{3}-\d{7}-\d{7}$/.test(id) ? id : undefined;
}

/**
 * An Orders API v2026-01-01 order (sp-api.md 2) as the domain's AmazonOrder. Only what the
 * drop-ship flow needs is kept: the recipient's phone and `extendedFields` are dropped on purpose
 * (data minimisation, ADR 0002), as is everything about the buyer. Throws MalformedOrder.
 */
export function toAmazonOrder(raw: unknown, defaultMarketplaceId: string): AmazonOrder {
  const order = Reader.of(raw, "");
  const fulfillment = order.object("fulfillment");
  const status = fulfillment.string("fulfillmentStatus");
  if (!STATUSES.has(status)) throw new MalformedOrder(fulfillment.at("fulfillmentStatus"));
  // The query asks for fulfilledBy=MERCHANT only, so an order without the field is one of ours.
  const fulfilledBy = fulfillment.optionalString("fulfilledBy") ?? "MERCHANT";
  if (fulfilledBy !== "MERCHANT" && fulfilledBy !== "AMAZON")
    throw new MalformedOrder(fulfillment.at("fulfilledBy"));
  const latestShipDate = fulfillment.optionalObject("shipByWindow")?.optionalString("latestDateTime");
  const latestDeliveryDate = fulfillment.optionalObject("deliverByWindow")?.optionalString("latestDateTime");
  const items = order.array("orderItems").map((item, i) => toItem(item, `orderItems[${i}]`));
  if (items.length === 0) throw new MalformedOrder("orderItems");
  const programs = order.optionalArray("programs").map((p, i) => {
    if (typeof p !== "string") throw new MalformedOrder(`programs[${i}]`);
    return p;
  });
  const shipTo = shipToOf(order.optionalObject("recipient")?.optionalObject("deliveryAddress"));
  return {
    facts: {
      orderId: order.string("orderId"),
      marketplaceId:
        order.optionalObject("salesChannel")?.optionalString("marketplaceId") ?? defaultMarketplaceId,
      purchaseDate: order.string("createdTime"),
      lastUpdatedTime: order.string("lastUpdatedTime"),
      status: status as AmazonOrderStatus,
      fulfilledBy: fulfilledBy as FulfilledBy,
      // No service level leaves the order held as UNMAPPED_SHIP_METHOD rather than guessing one.
      serviceLevel: fulfillment.optionalString("fulfillmentServiceLevel") ?? "UNSPECIFIED",
      programs,
      ...(latestShipDate ? { latestShipDate } : {}),
      ...(latestDeliveryDate ? { latestDeliveryDate } : {}),
      items,
    },
    ...(shipTo ? { shipTo } : {}),
  };
}

function toItem(raw: unknown, path: string): AmazonOrderItem {
  const item = Reader.of(raw, path);
  const product = item.object("product");
  const asin = product.optionalString("asin");
  const unitPrice = product.optionalObject("price")?.optionalObject("unitPrice")?.optionalString("amount");
  return {
    orderItemId: item.string("orderItemId"),
    sellerSku: product.string("sellerSku"),
    ...(asin ? { asin } : {}),
    quantityOrdered: item.count("quantityOrdered"),
    ...(unitPrice ? { unitPrice } : {}),
  };
}

/**
 * The delivery address without phone and extendedFields. A missing part becomes an empty string,
 * which the domain holds as ADDRESS_INVALID for a person to fix; a part of the wrong type is malformed.
 */
function shipToOf(address: Reader | undefined): ShipTo | undefined {
  if (!address) return undefined;
  const text = (key: string) => address.optionalString(key) ?? "";
  const optional = (key: string) => {
    const v = address.optionalString(key);
    return v ? v : undefined;
  };
  const company = optional("companyName");
  const line2 = optional("addressLine2");
  const line3 = optional("addressLine3");
  const addressType = address.optionalString("addressType");
  return ShipTo.of({
    name: text("name"),
    ...(company ? { company } : {}),
    line1: text("addressLine1"),
    ...(line2 ? { line2 } : {}),
    ...(line3 ? { line3 } : {}),
    city: text("city"),
    stateOrRegion: text("stateOrRegion"),
    postalCode: text("postalCode"),
    countryCode: text("countryCode"),
    ...(addressType && ADDRESS_TYPES.has(addressType) ? { addressType: addressType as AddressType } : {}),
  });
}
