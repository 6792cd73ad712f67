import { randomBytes } from "node:crypto";
import type { OrderBook } from "./order-book.js";
import { INCLUDED_DATA, orderView, parseList } from "./order-views.js";
import type { SpApiOrder } from "./orders.js";
import { type FakeReply, invalidInput } from "./replies.js";

const FULFILLMENT_STATUSES = [
  "PENDING_AVAILABILITY",
  "PENDING",
  "UNSHIPPED",
  "PARTIALLY_SHIPPED",
  "SHIPPED",
  "CANCELLED",
  "UNFULFILLABLE",
];
const FULFILLED_BY = ["MERCHANT", "AMAZON"];
const KNOWN = [
  "createdAfter",
  "createdBefore",
  "lastUpdatedAfter",
  "lastUpdatedBefore",
  "fulfillmentStatuses",
  "marketplaceIds",
  "fulfilledBy",
  "maxResultsPerPage",
  "paginationToken",
  "includedData",
];
/** A paginationToken only lets these change between pages (sp-api.md section 2). */
const MAY_CHANGE_BETWEEN_PAGES = new Set(["maxResultsPerPage", "includedData", "paginationToken"]);
const TWO_MINUTES = 120_000;
const TOKEN_LIFETIME = 24 * 3_600_000;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Amazon's times: whole seconds without ".000". */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

interface PageCursor {
  readonly filters: string;
  readonly before: number;
  readonly last: { readonly time: number; readonly orderId: string };
  readonly issuedAt: number;
}

type Mode = "created" | "lastUpdated";
const timeOf = (order: SpApiOrder, mode: Mode) =>
  Date.parse(mode === "created" ? order.createdTime : order.lastUpdatedTime);
const byKey = (a: { time: number; orderId: string }, b: { time: number; orderId: string }) =>
  a.time - b.time || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);

function parseTime(query: URLSearchParams, name: string): number | string | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const ms = Date.parse(raw);
  if (!ISO_8601.test(raw) || Number.isNaN(ms)) return `${name} must be an ISO 8601 date-time`;
  return ms;
}

/**
 * GET /orders/2026-01-01/orders. Validates as Amazon documents it, answers the orders in
 * (After, Before] sorted by time then id, and pages with a keyset cursor kept server-side, so an
 * order updated between pages leaves the window rather than shifting the pages.
 */
export class SearchOrders {
  private readonly cursors = new Map<string, PageCursor>();

  constructor(private readonly book: OrderBook) {}

  handle(query: URLSearchParams, nowMs: number): FakeReply {
    for (const key of new Set(query.keys())) {
      if (!KNOWN.includes(key)) return invalidInput(`Unknown parameter: ${key}`);
      if (query.getAll(key).length > 1)
        return invalidInput(`${key} must be given once, as a comma-separated list`);
    }
    const times: Record<string, number | undefined> = {};
    for (const name of ["createdAfter", "createdBefore", "lastUpdatedAfter", "lastUpdatedBefore"]) {
      const parsed = parseTime(query, name);
      if (typeof parsed === "string") return invalidInput(parsed);
      times[name] = parsed;
    }
    const hasCreated = query.has("createdAfter");
    const hasUpdated = query.has("lastUpdatedAfter");
    if (hasCreated === hasUpdated)
      return invalidInput("Exactly one of createdAfter and lastUpdatedAfter must be specified");
    const mode: Mode = hasCreated ? "created" : "lastUpdated";
    const other = mode === "created" ? "lastUpdatedBefore" : "createdBefore";
    if (query.has(other)) return invalidInput(`${other} cannot be combined with ${mode}After`);
    const after = times[`${mode}After`] as number;
    const explicitBefore = times[`${mode}Before`];
    if (explicitBefore !== undefined) {
      if (explicitBefore < after) return invalidInput(`${mode}Before must be equal to or after ${mode}After`);
      if (explicitBefore > nowMs - TWO_MINUTES)
        return invalidInput(`${mode}Before must be at least 2 minutes before the time of the request`);
    }
    const lists: Record<string, string[] | undefined> = {};
    for (const [name, allowed] of [
      ["fulfillmentStatuses", FULFILLMENT_STATUSES],
      ["fulfilledBy", FULFILLED_BY],
      ["includedData", INCLUDED_DATA],
    ] as const) {
      const raw = query.get(name);
      if (raw === null) continue;
      const parsed = parseList(name, raw, allowed);
      if ("error" in parsed) return invalidInput(parsed.error);
      lists[name] = parsed.values;
    }
    const marketplaceIds = query.get("marketplaceIds")?.split(",");
    const rawMax = query.get("maxResultsPerPage") ?? "100";
    const max = Number(rawMax);
    if (!/^\d+$/.test(rawMax) || max < 1 || max > 100)
      return invalidInput("maxResultsPerPage must be an integer between 1 and 100");

    const filters = [...query.entries()]
      .filter(([k]) => !MAY_CHANGE_BETWEEN_PAGES.has(k))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join("&");
    let before = explicitBefore ?? nowMs - TWO_MINUTES;
    let last: PageCursor["last"] | undefined;
    const token = query.get("paginationToken");
    if (token !== null) {
      const cursor = this.cursors.get(token);
      if (!cursor) return invalidInput("Invalid paginationToken");
      if (nowMs - cursor.issuedAt > TOKEN_LIFETIME) return invalidInput("The paginationToken has expired");
      if (cursor.filters !== filters)
        return invalidInput("paginationToken must be used with the same parameters as the original request");
      before = cursor.before;
      last = cursor.last;
    }

    const matches = this.book
      .all()
      .filter((o) => {
        const t = timeOf(o, mode);
        return t > after && t <= before;
      })
      .filter(
        (o) =>
          !lists.fulfillmentStatuses ||
          lists.fulfillmentStatuses.includes(o.fulfillment?.fulfillmentStatus ?? ""),
      )
      .filter((o) => !lists.fulfilledBy || lists.fulfilledBy.includes(o.fulfillment?.fulfilledBy ?? ""))
      .filter((o) => !marketplaceIds || marketplaceIds.includes(o.salesChannel.marketplaceId))
      .map((order) => ({ order, time: timeOf(order, mode), orderId: order.orderId }))
      .filter((k) => !last || byKey(k, last) > 0)
      .sort(byKey);
    const page = matches.slice(0, max);
    const included = new Set(lists.includedData ?? []);
    const body: Record<string, unknown> = { orders: page.map((k) => orderView(k.order, included)) };
    const end = page.at(-1);
    if (matches.length > max && end) {
      const nextToken = randomBytes(36).toString("base64");
      this.cursors.set(nextToken, {
        filters,
        before,
        last: { time: end.time, orderId: end.orderId },
        issuedAt: nowMs,
      });
      body.pagination = { nextToken };
    }
    body[`${mode}Before`] = isoTime(before);
    return { status: 200, body };
  }
}
