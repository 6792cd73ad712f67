import { cancellationConfirmed } from "./cancellation.js";
import type { AckLineRecord, AckRecord, FulfillmentOrder, PoLine } from "./fulfillment-order.js";
import { moveTo, note } from "./fulfillment-order.js";
import type { OrderState } from "./lifecycle.js";

export type AckStatus = "ACCEPTED" | "PARTIALLY_ACCEPTED" | "REJECTED" | "CANCELLED";

/** An Essendant acknowledgement, decoded and schema-checked by the codec. */
export interface Acknowledgement {
  readonly documentId: string;
  readonly poNumber: string;
  readonly ackDateTime: string;
  readonly status: AckStatus;
  readonly reasonCategory?: string;
  readonly lines: readonly AckLineRecord[];
}

export type AckOutcome =
  | { readonly kind: "applied"; readonly order: FulfillmentOrder }
  | { readonly kind: "ignored"; readonly why: "STALE" | "DUPLICATE_PO"; readonly order: FulfillmentOrder }
  | { readonly kind: "invalid"; readonly problem: string };

const ACKABLE: ReadonlySet<OrderState> = new Set([
  "PO_SENT",
  "ACK_ACCEPTED",
  "ACK_PARTIAL",
  "ACK_BACKORDERED",
  "ACK_REJECTED",
  "SHIPPED_PARTIAL",
  "SHIPPED_FULL",
  "CONFIRMED",
]);

/** Checks an acknowledgement against the PO it answers: every line on the PO, quantities adding up. */
export function checkAcknowledgement(ack: Acknowledgement, poLines: readonly PoLine[]): string | undefined {
  for (const line of ack.lines) {
    if (line.accepted + line.backordered + line.cancelled !== line.ordered) {
      return `line ${line.itemNumber}: accepted ${line.accepted} + backordered ${line.backordered} + cancelled ${line.cancelled} is not ordered ${line.ordered}`;
    }
    const poLine = poLines.find((l) => l.itemNumber === line.itemNumber);
    if (!poLine) return `line ${line.itemNumber} is not on the purchase order`;
    if (line.ordered !== poLine.quantity) {
      return `line ${line.itemNumber}: ordered ${line.ordered} but the purchase order has ${poLine.quantity}`;
    }
  }
  return undefined;
}

function stateFor(ack: Acknowledgement): OrderState {
  if (ack.status === "REJECTED") return "ACK_REJECTED";
  const accepted = ack.lines.reduce((s, l) => s + l.accepted, 0);
  const backordered = ack.lines.reduce((s, l) => s + l.backordered, 0);
  const cancelled = ack.lines.reduce((s, l) => s + l.cancelled, 0);
  if (accepted === 0 && backordered === 0) return "ACK_REJECTED";
  if (backordered === 0 && cancelled === 0) return "ACK_ACCEPTED";
  if (accepted === 0 && cancelled === 0) return "ACK_BACKORDERED";
  return "ACK_PARTIAL";
}

function cancelledReason(ack: Acknowledgement): string | undefined {
  const line = ack.lines.find((l) => l.cancelled > 0);
  if (!line && ack.status !== "REJECTED") return undefined;
  return line?.reasonCategory ?? ack.reasonCategory ?? "OTHER";
}

/**
 * Applies Essendant's acknowledgement to the order. A later ACK supersedes an earlier one only when
 * its ackDateTime is newer; DUPLICATE_PO for a PO already accepted is harmless. Cancelled or
 * rejected quantities are recorded as the order's attention reason.
 */
export function applyAcknowledgement(order: FulfillmentOrder, ack: Acknowledgement, now: Date): AckOutcome {
  const po = order.purchaseOrder;
  if (!po) return { kind: "invalid", problem: `no purchase order was sent for ${ack.poNumber}` };
  const previous = order.acknowledgement;
  if (
    ack.status === "REJECTED" &&
    ack.reasonCategory === "DUPLICATE_PO" &&
    previous &&
    previous.status !== "REJECTED"
  ) {
    return { kind: "ignored", why: "DUPLICATE_PO", order: note(order, now, "DUPLICATE_PO_ACK_IGNORED") };
  }
  if (previous && ack.ackDateTime <= previous.ackDateTime) {
    return { kind: "ignored", why: "STALE", order: note(order, now, "STALE_ACK_IGNORED") };
  }
  const record: AckRecord = {
    documentId: ack.documentId,
    ackDateTime: ack.ackDateTime,
    status: ack.status,
    ...(ack.reasonCategory ? { reasonCategory: ack.reasonCategory } : {}),
    lines: ack.lines,
  };
  if (ack.status === "CANCELLED") {
    if (!order.cancellation?.sentAt) {
      return {
        kind: "invalid",
        problem: "a CANCELLED acknowledgement answers a cancellation request, and none was sent",
      };
    }
    return { kind: "applied", order: cancellationConfirmed({ ...order, acknowledgement: record }, now) };
  }
  const problem = checkAcknowledgement(ack, po.lines);
  if (problem) return { kind: "invalid", problem };
  if (order.cancellation) {
    // Essendant's answer to the original PO crossed our cancellation request: keep it, change nothing else.
    return {
      kind: "applied",
      order: note({ ...order, acknowledgement: record }, now, "ACKNOWLEDGED_WHILE_CANCELLING", ack.status),
    };
  }
  if (!ACKABLE.has(order.state))
    return { kind: "invalid", problem: `an order in state ${order.state} takes no acknowledgement` };
  const reason = cancelledReason(ack);
  const withAck: FulfillmentOrder = {
    ...order,
    acknowledgement: record,
    ...(reason ? { attention: { reason, detail: "Essendant cancelled or rejected quantities" } } : {}),
  };
  // Once goods are moving the shipment states say more than a late acknowledgement.
  if (order.state.startsWith("SHIPPED") || order.state === "CONFIRMED") {
    return { kind: "applied", order: note(withAck, now, "ACKNOWLEDGED", ack.status) };
  }
  const to = stateFor(ack);
  return { kind: "applied", order: moveTo(withAck, to, now, "ACKNOWLEDGED", reason ? { reason } : {}) };
}

/** Units Essendant committed to ship per PO line: accepted plus backordered (cancelled never ship). */
export function committedUnits(order: FulfillmentOrder, line: PoLine): number {
  const ackLine = order.acknowledgement?.lines.find((l) => l.itemNumber === line.itemNumber);
  return ackLine ? ackLine.accepted + ackLine.backordered : line.quantity;
}
