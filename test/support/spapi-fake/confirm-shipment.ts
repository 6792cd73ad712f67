import type { ConfirmShipmentBody, OrderBook } from "./order-book.js";
import type { SpApiOrder, SpApiPackage } from "./orders.js";
import { type FakeReply, invalidInput, notFound } from "./replies.js";

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const CONFIRMABLE = new Set(["UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED"]);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";

/** Checks the request body's shape (sp-api.md section 1.5); a message for the 400 otherwise. */
function parseBody(raw: unknown): ConfirmShipmentBody | string {
  if (!isRecord(raw)) return "The request body must be a JSON object";
  if (!isText(raw.marketplaceId)) return "marketplaceId is required";
  const p = raw.packageDetail;
  if (!isRecord(p)) return "packageDetail is required";
  if (
    !isText(p.packageReferenceId) ||
    !/^\d+$/.test(p.packageReferenceId) ||
    Number(p.packageReferenceId) < 1
  )
    return "packageDetail.packageReferenceId must be a positive numeric string";
  if (!isText(p.carrierCode)) return "packageDetail.carrierCode is required";
  if (p.carrierCode === "Other" && !isText(p.carrierName))
    return "packageDetail.carrierName is required when carrierCode is Other";
  if (!isText(p.trackingNumber)) return "packageDetail.trackingNumber is required";
  if (!isText(p.shipDate) || !ISO_8601.test(p.shipDate) || Number.isNaN(Date.parse(p.shipDate)))
    return "packageDetail.shipDate must be an ISO 8601 date-time";
  if (!Array.isArray(p.orderItems) || p.orderItems.length === 0)
    return "packageDetail.orderItems is required";
  const seen = new Set<string>();
  for (const item of p.orderItems as unknown[]) {
    if (!isRecord(item) || !isText(item.orderItemId))
      return "packageDetail.orderItems[].orderItemId is required";
    if (seen.has(item.orderItemId)) return `orderItemId ${item.orderItemId} is listed twice`;
    seen.add(item.orderItemId);
    if (!Number.isInteger(item.quantity) || (item.quantity as number) < 1)
      return "packageDetail.orderItems[].quantity must be an integer of at least 1";
  }
  return raw as unknown as ConfirmShipmentBody;
}

/** The order after this package: its packages, item quantities and status (Amazon ships it when all is confirmed). */
function applyPackage(order: SpApiOrder, body: ConfirmShipmentBody, nowIso: string): Partial<SpApiOrder> {
  const p = body.packageDetail;
  const pkg: SpApiPackage = {
    packageReferenceId: p.packageReferenceId,
    createdTime: nowIso,
    packageStatus: { status: "SHIPPED" },
    carrier: p.carrierCode === "Other" ? (p.carrierName ?? "Other") : p.carrierCode,
    shipTime: p.shipDate,
    ...(p.shippingMethod ? { shippingService: p.shippingMethod } : {}),
    trackingNumber: p.trackingNumber,
    packageItems: p.orderItems.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantity })),
  };
  const packages = [
    ...(order.packages ?? []).filter((k) => k.packageReferenceId !== p.packageReferenceId),
    pkg,
  ];
  const shipped = (id: string) =>
    packages
      .flatMap((k) => k.packageItems ?? [])
      .reduce((n, i) => n + (i.orderItemId === id ? i.quantity : 0), 0);
  const orderItems = order.orderItems.map((item) => {
    const done = Math.min(shipped(item.orderItemId), item.quantityOrdered);
    return {
      ...item,
      fulfillment: {
        ...item.fulfillment,
        quantityFulfilled: done,
        quantityUnfulfilled: item.quantityOrdered - done,
      },
    };
  });
  const all = orderItems.every((i) => i.fulfillment.quantityUnfulfilled === 0);
  const fulfillment = {
    ...order.fulfillment,
    fulfillmentStatus: all ? "SHIPPED" : "PARTIALLY_SHIPPED",
  } as const;
  return { packages, orderItems, fulfillment };
}

/**
 * POST /orders/v0/orders/{orderId}/shipmentConfirmation → 204. Re-sending a packageReferenceId
 * edits that package. An accepted package shows in the order's `packages`, and the order moves to
 * PARTIALLY_SHIPPED or SHIPPED with a new lastUpdatedTime, as on Amazon.
 */
export function confirmShipment(book: OrderBook, orderId: string, raw: unknown, nowIso: string): FakeReply {
  const order = book.get(orderId);
  if (!order) return notFound(`Order ${orderId} not found`);
  const body = parseBody(raw);
  if (typeof body === "string") return invalidInput(body);
  if (body.marketplaceId !== order.salesChannel.marketplaceId)
    return invalidInput(`marketplaceId ${body.marketplaceId} does not match the order`);
  const status = order.fulfillment?.fulfillmentStatus ?? "UNSHIPPED";
  if (order.fulfillment?.fulfilledBy === "AMAZON") return invalidInput("The order is fulfilled by Amazon");
  if (!CONFIRMABLE.has(status)) return invalidInput(`The order cannot be confirmed in status ${status}`);
  if (order.programs?.includes("FBM_SHIP_PLUS")) return invalidInput("Ship+ orders cannot be confirmed");
  const others = (order.packages ?? []).filter(
    (k) => k.packageReferenceId !== body.packageDetail.packageReferenceId,
  );
  for (const item of body.packageDetail.orderItems) {
    const ordered = order.orderItems.find((i) => i.orderItemId === item.orderItemId);
    if (!ordered) return invalidInput(`orderItemId ${item.orderItemId} is not an item of order ${orderId}`);
    const before = others
      .flatMap((k) => k.packageItems ?? [])
      .filter((i) => i.orderItemId === item.orderItemId);
    const total = item.quantity + before.reduce((n, i) => n + i.quantity, 0);
    if (total > ordered.quantityOrdered)
      return invalidInput(`quantity for orderItemId ${item.orderItemId} exceeds the quantity ordered`);
  }
  book.recordConfirmation(orderId, body, nowIso);
  book.update(orderId, applyPackage(order, body, nowIso), nowIso);
  return { status: 204 };
}
