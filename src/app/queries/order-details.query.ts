import { inject, injectable } from "inversify";
import type { FulfillmentOrder } from "../../domain/fulfillment-order.js";
import type { ShipToFields } from "../../domain/ship-to.js";
import { EventLog } from "../ports/event-log.port.js";
import { OrderStore } from "../ports/order-store.port.js";

export type PiiView =
  | { readonly kind: "not-requested" }
  | { readonly kind: "held"; readonly shipTo: ShipToFields }
  | { readonly kind: "purged"; readonly at: string }
  | { readonly kind: "none" };

export interface OrderDetails {
  readonly order: FulfillmentOrder;
  readonly pii: PiiView;
}

/**
 * One order's timeline for `orders show`. The ship-to is read only when the administrator asks for
 * it with --pii, and every such read is written to the audit log.
 */
@injectable()
export class OrderDetailsQuery {
  constructor(
    @inject(OrderStore) private readonly store: OrderStore,
    @inject(EventLog) private readonly log: EventLog,
  ) {}

  execute(orderId: string, withPii: boolean): OrderDetails | undefined {
    const order = this.store.get(orderId);
    if (!order) return undefined;
    if (!withPii) return { order, pii: { kind: "not-requested" } };
    const lookup = this.store.getShipTo(orderId);
    this.log.audit("pii.viewed", { orderId, reason: lookup.kind });
    if (lookup.kind === "held") return { order, pii: { kind: "held", shipTo: lookup.shipTo.reveal() } };
    if (lookup.kind === "purged") return { order, pii: { kind: "purged", at: lookup.at } };
    return { order, pii: { kind: "none" } };
  }
}
