import type { OrderBook } from "./order-book.js";
import type { SpApiOrder, SpApiOrderItem } from "./orders.js";
import { type FakeReply, invalidInput, notFound } from "./replies.js";

export const INCLUDED_DATA = [
  "BUYER",
  "RECIPIENT",
  "PROCEEDS",
  "EXPENSE",
  "PROMOTION",
  "CANCELLATION",
  "FULFILLMENT",
  "PACKAGES",
  "TAX",
  "PAYMENT",
  "FULFILLMENT_ORDERS",
] as const;
export type IncludedData = (typeof INCLUDED_DATA)[number];

/** Order-level sections returned only when includedData names them; everything else is basic data. */
const ORDER_SECTIONS: Record<string, IncludedData> = {
  buyer: "BUYER",
  recipient: "RECIPIENT",
  proceeds: "PROCEEDS",
  fulfillment: "FULFILLMENT",
  packages: "PACKAGES",
  payment: "PAYMENT",
  tax: "TAX",
  fulfillmentOrders: "FULFILLMENT_ORDERS",
};
const ITEM_SECTIONS: Record<string, IncludedData> = {
  fulfillment: "FULFILLMENT",
  cancellation: "CANCELLATION",
  proceeds: "PROCEEDS",
  expense: "EXPENSE",
  promotion: "PROMOTION",
  tax: "TAX",
};

function keep<T extends object>(value: T, sections: Record<string, IncludedData>, included: Set<string>): T {
  return Object.fromEntries(
    Object.entries(value).filter(([key]) => {
      const needs = sections[key];
      return needs === undefined || included.has(needs);
    }),
  ) as T;
}

/** The order as Amazon returns it: basic data and items always, other sections only when asked for. */
export function orderView(order: SpApiOrder, included: ReadonlySet<string>): SpApiOrder {
  const set = new Set(included);
  const view = keep(order, ORDER_SECTIONS, set);
  return { ...view, orderItems: order.orderItems.map((i: SpApiOrderItem) => keep(i, ITEM_SECTIONS, set)) };
}

/** Parses a comma-joined list and checks every value; a message for the 400 otherwise. */
export function parseList(
  name: string,
  raw: string,
  allowed: readonly string[],
): { values: string[] } | { error: string } {
  const values = raw.split(",");
  const bad = values.find((v) => !allowed.includes(v));
  if (bad !== undefined)
    return { error: `Invalid value '${bad}' for ${name}. Valid values: ${allowed.join(", ")}` };
  return { values };
}

/** GET /orders/2026-01-01/orders/{orderId}. */
export function getOrder(book: OrderBook, orderId: string, query: URLSearchParams): FakeReply {
  for (const key of query.keys())
    if (key !== "includedData") return invalidInput(`Unknown parameter: ${key}`);
  if (query.getAll("includedData").length > 1)
    return invalidInput("includedData must be a comma-separated list");
  const raw = query.get("includedData");
  let included: string[] = [];
  if (raw !== null) {
    const parsed = parseList("includedData", raw, INCLUDED_DATA);
    if ("error" in parsed) return invalidInput(parsed.error);
    included = parsed.values;
  }
  const order = book.get(orderId);
  if (!order) return notFound(`Order ${orderId} not found`);
  return { status: 200, body: { order: orderView(order, new Set(included)) } };
}
