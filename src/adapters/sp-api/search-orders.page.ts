import { SpApiError, safeToken } from "./spapi-errors.js";

/** One searchOrders answer (v2026-01-01, no `payload` wrapper): orders still unchecked, one by one. */
export interface SearchOrdersPage {
  readonly orders: readonly unknown[];
  readonly nextToken?: string;
  readonly lastUpdatedBefore?: string;
}

/** The envelope of a searchOrders answer; the orders inside are checked one by one by the mapping. */
export function readSearchOrdersPage(json: unknown, requestId: string | undefined): SearchOrdersPage {
  const fault = (field: string) =>
    new SpApiError(
      "SPAPI_BAD_RESPONSE",
      `the answer's ${field} is missing or of the wrong type`,
      { operation: "searchOrders", status: 200, ...(requestId ? { requestId } : {}) },
      true,
    );
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw fault("body");
  const body = json as { orders?: unknown; pagination?: unknown; lastUpdatedBefore?: unknown };
  if (!Array.isArray(body.orders)) throw fault("orders");
  let nextToken: string | undefined;
  if (body.pagination !== undefined && body.pagination !== null) {
    if (typeof body.pagination !== "object") throw fault("pagination");
    const token = (body.pagination as { nextToken?: unknown }).nextToken;
    if (token !== undefined && token !== null && typeof token !== "string")
      throw fault("pagination.nextToken");
    if (typeof token === "string" && token.length > 0) nextToken = token;
  }
  const before = body.lastUpdatedBefore;
  if (before !== undefined && before !== null && typeof before !== "string") throw fault("lastUpdatedBefore");
  return {
    orders: body.orders,
    ...(nextToken ? { nextToken } : {}),
    ...(typeof before === "string" ? { lastUpdatedBefore: before } : {}),
  };
}

/** Amazon's error code and message from a 400/404, fit to show an administrator (no body, no control characters). */
export function rejection(json: unknown, status: number): { code: string; message: string } {
  const errors = (json as { errors?: unknown } | null | undefined)?.errors;
  const first = (Array.isArray(errors) ? errors[0] : undefined) as
    | { code?: unknown; message?: unknown }
    | undefined;
  const code = printable(first?.code, 80) ?? safeToken(`HTTP_${status}`) ?? "HTTP_ERROR";
  const message = printable(first?.message, 300) ?? `Amazon refused the request with HTTP ${status}`;
  return { code, message };
}

function printable(value: unknown, max: number): string | undefined {
  if (typeof value !== "string") return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = value.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return clean.length > 0 ? clean.slice(0, max) : undefined;
}
