import type { SpApiOperation } from "./token-buckets.js";

export interface Route {
  readonly operation: SpApiOperation;
  /** The SP-API region of the host; undefined for Login with Amazon. */
  readonly region?: "na" | "eu" | "fe";
  readonly orderId?: string;
}

const SP_API_HOST = /^sellingpartnerapi-(na|eu|fe)\.amazon\.com$/;
const ORDER_PATH = /^\/orders\/2026-01-01\/orders\/([^/]+)$/;
const CONFIRM_PATH = /^\/orders\/v0\/orders\/([^/]+)\/shipmentConfirmation$/;

/** Which operation a request is, from its Host header, method and path; undefined for anything else. */
export function route(hostHeader: string, method: string, pathname: string): Route | undefined {
  const host = hostHeader.replace(/:\d+$/, "").toLowerCase();
  if (host === "api.amazon.com") {
    return method === "POST" && pathname === "/auth/o2/token" ? { operation: "lwaToken" } : undefined;
  }
  const region = SP_API_HOST.exec(host)?.[1] as Route["region"];
  if (!region) return undefined;
  if (method === "GET" && pathname === "/orders/2026-01-01/orders")
    return { operation: "searchOrders", region };
  const order = ORDER_PATH.exec(pathname);
  if (method === "GET" && order?.[1])
    return { operation: "getOrder", region, orderId: decodeURIComponent(order[1]) };
  const confirm = CONFIRM_PATH.exec(pathname);
  if (method === "POST" && confirm?.[1])
    return { operation: "confirmShipment", region, orderId: decodeURIComponent(confirm[1]) };
  return undefined;
}
