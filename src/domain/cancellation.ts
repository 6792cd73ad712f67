import { type FulfillmentOrder, moveTo, note } from "./fulfillment-order.js";

/** A cancellation request waits to be built and sent. */
export function needsCancellationRequest(order: FulfillmentOrder): boolean {
  return order.cancellation !== undefined && order.cancellation.fileName === undefined;
}

export function cancellationPrepared(order: FulfillmentOrder, fileName: string, now: Date): FulfillmentOrder {
  if (!order.cancellation) throw new Error(`order ${order.facts.orderId} has no cancellation to prepare`);
  return {
    ...note(order, now, "POCANCEL_READY", fileName),
    cancellation: { ...order.cancellation, fileName },
  };
}

export function cancellationSent(order: FulfillmentOrder, now: Date): FulfillmentOrder {
  if (!order.cancellation) throw new Error(`order ${order.facts.orderId} has no cancellation to send`);
  const sent = note(order, now, "POCANCEL_SENT");
  return { ...sent, cancellation: { ...order.cancellation, sentAt: now.toISOString() } };
}

/** Essendant's CANCELLED acknowledgement answers our request: the order is cancelled and nothing ships. */
export function cancellationConfirmed(order: FulfillmentOrder, now: Date): FulfillmentOrder {
  const { attention: _a, ...rest } = moveTo(order, "CANCELLED", now, "CANCELLED_BY_ESSENDANT");
  return { ...rest, cancelledAt: now.toISOString() };
}
