import { type DeepPartial, deepMerge } from "./deep-merge.js";
import type { SpApiOrder } from "./orders.js";

/** The body of an accepted confirmShipment, as Amazon received it (sp-api.md section 1.5). */
export interface ConfirmShipmentBody {
  marketplaceId: string;
  packageDetail: {
    packageReferenceId: string;
    carrierCode: string;
    carrierName?: string;
    shippingMethod?: string;
    trackingNumber: string;
    shipDate: string;
    orderItems: { orderItemId: string; quantity: number }[];
  };
}

/** One package confirmed to the fake; re-sending its packageReferenceId replaces it. */
export interface ConfirmationRecord {
  readonly orderId: string;
  readonly packageReferenceId: string;
  readonly body: ConfirmShipmentBody;
  /** The fake's clock when the current version arrived. */
  readonly receivedAt: string;
  /** 1 for the first request, then +1 per edit (same orderId and packageReferenceId). */
  readonly version: number;
}

/** The seller's orders as Amazon holds them, and the packages confirmed against them. */
export class OrderBook {
  private readonly orders = new Map<string, SpApiOrder>();
  private readonly confirmations = new Map<string, ConfirmationRecord>();

  add(order: SpApiOrder): void {
    if (this.orders.has(order.orderId)) throw new Error(`order ${order.orderId} is already in the fake`);
    this.orders.set(order.orderId, structuredClone(order));
  }

  /** Merges `changes` deeply; lastUpdatedTime becomes `nowIso` unless `changes` sets it. */
  update(orderId: string, changes: DeepPartial<SpApiOrder>, nowIso: string): SpApiOrder {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`order ${orderId} is not in the fake`);
    const updated = deepMerge(order, { lastUpdatedTime: nowIso, ...changes });
    this.orders.set(orderId, updated);
    return structuredClone(updated);
  }

  get(orderId: string): SpApiOrder | undefined {
    const order = this.orders.get(orderId);
    return order ? structuredClone(order) : undefined;
  }

  all(): SpApiOrder[] {
    return [...this.orders.values()].map((o) => structuredClone(o));
  }

  /** Stores or replaces the package; returns the stored record. */
  recordConfirmation(orderId: string, body: ConfirmShipmentBody, nowIso: string): ConfirmationRecord {
    const key = `${orderId}\u0000${body.packageDetail.packageReferenceId}`;
    const previous = this.confirmations.get(key);
    const record: ConfirmationRecord = {
      orderId,
      packageReferenceId: body.packageDetail.packageReferenceId,
      body: structuredClone(body),
      receivedAt: nowIso,
      version: (previous?.version ?? 0) + 1,
    };
    this.confirmations.set(key, record);
    return record;
  }

  confirmationsOf(orderId?: string): ConfirmationRecord[] {
    return [...this.confirmations.values()].filter((c) => orderId === undefined || c.orderId === orderId);
  }
}
