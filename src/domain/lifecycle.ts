import { DomainError } from "./errors.js";

/**
 * The order lifecycle. Each state names where the order stands with Essendant and Amazon;
 * acknowledgement and shipment outcomes are states of their own so `status` can count them.
 */
export const ORDER_STATES = [
  "NEW",
  "HELD",
  "PO_READY",
  "PO_SENT",
  "ACK_ACCEPTED",
  "ACK_PARTIAL",
  "ACK_BACKORDERED",
  "ACK_REJECTED",
  "SHIPPED_PARTIAL",
  "SHIPPED_FULL",
  "CONFIRMED",
  "CLOSED",
  "CANCELLED",
  "NEEDS_ATTENTION",
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

const ACKNOWLEDGED: readonly OrderState[] = [
  "ACK_ACCEPTED",
  "ACK_PARTIAL",
  "ACK_BACKORDERED",
  "ACK_REJECTED",
];
const SHIPPED: readonly OrderState[] = ["SHIPPED_PARTIAL", "SHIPPED_FULL"];

const TRANSITIONS: Readonly<Record<OrderState, readonly OrderState[]>> = {
  NEW: ["HELD", "PO_READY", "CANCELLED", "NEEDS_ATTENTION"],
  HELD: ["HELD", "PO_READY", "CANCELLED", "NEEDS_ATTENTION"],
  PO_READY: ["PO_SENT", "CANCELLED", "NEEDS_ATTENTION"],
  // A ship notice may overtake its acknowledgement; Essendant does not promise their order.
  PO_SENT: [...ACKNOWLEDGED, ...SHIPPED, "CANCELLED", "NEEDS_ATTENTION"],
  // A newer acknowledgement supersedes an older one.
  ACK_ACCEPTED: [...ACKNOWLEDGED, ...SHIPPED, "CANCELLED", "NEEDS_ATTENTION"],
  ACK_PARTIAL: [...ACKNOWLEDGED, ...SHIPPED, "CANCELLED", "NEEDS_ATTENTION"],
  ACK_BACKORDERED: [...ACKNOWLEDGED, ...SHIPPED, "CANCELLED", "NEEDS_ATTENTION"],
  ACK_REJECTED: [...ACKNOWLEDGED, "CANCELLED", "NEEDS_ATTENTION", "CLOSED"],
  SHIPPED_PARTIAL: ["SHIPPED_PARTIAL", "SHIPPED_FULL", "NEEDS_ATTENTION"],
  SHIPPED_FULL: ["CONFIRMED", "NEEDS_ATTENTION"],
  CONFIRMED: ["CLOSED", "NEEDS_ATTENTION"],
  CLOSED: [],
  CANCELLED: ["CLOSED", "NEEDS_ATTENTION"],
  NEEDS_ATTENTION: ["NEEDS_ATTENTION", "PO_READY", "CANCELLED", "CLOSED"],
};

export class IllegalTransitionError extends DomainError {
  constructor(
    readonly from: OrderState,
    readonly to: OrderState,
  ) {
    super("ILLEGAL_TRANSITION", `an order in state ${from} cannot move to ${to}`);
    this.name = "IllegalTransitionError";
  }
}

export function canTransition(from: OrderState, to: OrderState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws IllegalTransitionError unless the lifecycle allows `from` → `to`. */
export function assertTransition(from: OrderState, to: OrderState): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

export function isAcknowledged(state: OrderState): boolean {
  return ACKNOWLEDGED.includes(state);
}

/** States in which the PO has left and Essendant's answers are expected. */
export function awaitsSupplier(state: OrderState): boolean {
  return state === "PO_SENT" || isAcknowledged(state) || state === "SHIPPED_PARTIAL";
}

/** Terminal for the pipeline: nothing further is sent or expected. */
export function isFinished(state: OrderState): boolean {
  return state === "CONFIRMED" || state === "CLOSED" || state === "CANCELLED";
}
