import { committedUnits } from "./acknowledgement.js";
import { amazonCarrier, type CarrierMap } from "./carrier.js";
import {
  type FulfillmentOrder,
  moveTo,
  needsAttention,
  note,
  type PackageConfirmation,
  type PoLine,
  type ShipmentRecord,
} from "./fulfillment-order.js";
import { awaitsSupplier } from "./lifecycle.js";

export interface ShipNoticePackage {
  readonly trackingNumber: string;
  readonly contents: readonly {
    readonly itemNumber: string;
    readonly quantity: number;
    readonly uom: string;
  }[];
}

/** An Essendant ship notice, decoded and schema-checked by the codec. */
export interface ShipNotice {
  readonly documentId: string;
  readonly shipmentId: string;
  readonly poNumber: string;
  readonly shipDateTime: string;
  readonly carrier: { readonly code: string; readonly name: string; readonly service?: string };
  readonly packages: readonly ShipNoticePackage[];
  readonly isFinalForPo?: boolean;
}

export type ShipNoticeOutcome =
  | { readonly kind: "applied"; readonly order: FulfillmentOrder; readonly packages: number }
  | { readonly kind: "duplicate" }
  | { readonly kind: "attention"; readonly order: FulfillmentOrder }
  | { readonly kind: "invalid"; readonly problem: string };

function lineFor(order: FulfillmentOrder, itemNumber: string): PoLine | undefined {
  const lines = order.purchaseOrder?.lines ?? [];
  const direct = lines.find((l) => l.itemNumber === itemNumber);
  if (direct) return direct;
  const substituted = order.acknowledgement?.lines.find((l) => l.substitutedItemNumber === itemNumber);
  return substituted ? lines.find((l) => l.itemNumber === substituted.itemNumber) : undefined;
}

function shippedUnitsBefore(order: FulfillmentOrder, lineNumber: number): number {
  return order.shipments.reduce((sum, s) => sum + (s.unitsByLine[lineNumber] ?? 0), 0);
}

/** Units of a line already assigned to each Amazon order item by earlier packages. */
function allocatedBefore(order: FulfillmentOrder): Map<string, number> {
  const done = new Map<string, number>();
  for (const p of order.packages) {
    for (const i of p.items) done.set(i.orderItemId, (done.get(i.orderItemId) ?? 0) + i.quantity);
  }
  return done;
}

/**
 * Maps shipped units of a PO line back to Amazon order items, filling items in PO order.
 * Returns undefined when the units do not make whole Amazon units (a pack split by the warehouse).
 */
function toAmazonItems(line: PoLine, units: number, used: Map<string, number>) {
  const items: { orderItemId: string; quantity: number }[] = [];
  let rest = units;
  for (const a of line.allocations) {
    if (rest === 0) break;
    const perUnit = a.units / a.amazonQuantity;
    const open = a.amazonQuantity - (used.get(a.orderItemId) ?? 0);
    const take = Math.min(open, Math.floor(rest / perUnit));
    if (take > 0) {
      items.push({ orderItemId: a.orderItemId, quantity: take });
      used.set(a.orderItemId, (used.get(a.orderItemId) ?? 0) + take);
      rest -= take * perUnit;
    }
  }
  return rest === 0 ? items : undefined;
}

function shipmentRecord(asn: ShipNotice, unitsByLine: Record<number, number>): ShipmentRecord {
  return {
    shipmentId: asn.shipmentId,
    documentId: asn.documentId,
    shipDateTime: asn.shipDateTime,
    carrierCode: asn.carrier.code,
    isFinal: asn.isFinalForPo === true,
    unitsByLine,
  };
}

function mergeItems(items: { orderItemId: string; quantity: number }[]) {
  const merged = new Map<string, number>();
  for (const i of items) merged.set(i.orderItemId, (merged.get(i.orderItemId) ?? 0) + i.quantity);
  return [...merged.entries()].map(([orderItemId, quantity]) => ({ orderItemId, quantity }));
}

/**
 * Applies a ship notice: each package becomes one pending Amazon shipment confirmation with a
 * packageReferenceId that is stable for (order, tracking number). Shipped contents may not exceed
 * what Essendant committed to (accepted + backordered); a replayed shipmentId is a duplicate.
 */
export function applyShipNotice(
  order: FulfillmentOrder,
  asn: ShipNotice,
  carriers: CarrierMap,
  now: Date,
): ShipNoticeOutcome {
  if (order.shipments.some((s) => s.shipmentId === asn.shipmentId)) return { kind: "duplicate" };
  if (!order.purchaseOrder)
    return { kind: "invalid", problem: `no purchase order was sent for ${asn.poNumber}` };
  if (order.cancellation || order.state === "CANCELLED" || order.state === "CLOSED") {
    // Goods are on their way for an order Amazon cancelled: nothing is confirmed, a person must act.
    const recorded = { ...order, shipments: [...order.shipments, shipmentRecord(asn, {})] };
    const flagged =
      order.state === "CLOSED"
        ? note(recorded, now, "SHIPPED_AFTER_CANCELLATION", asn.shipmentId)
        : needsAttention(recorded, now, "SHIPPED_AFTER_CANCELLATION", asn.shipmentId);
    return { kind: "attention", order: flagged };
  }

  if (!awaitsSupplier(order.state) || order.state === "ACK_REJECTED")
    return { kind: "invalid", problem: `an order in state ${order.state} takes no ship notice` };
  const known = new Set(order.packages.map((p) => p.trackingNumber));
  const seen = new Set<string>();
  for (const p of asn.packages) {
    if (known.has(p.trackingNumber) || seen.has(p.trackingNumber)) {
      return { kind: "invalid", problem: `tracking number ${p.trackingNumber} is used twice for this PO` };
    }
    seen.add(p.trackingNumber);
  }
  const unitsByLine: Record<number, number> = {};
  const used = allocatedBefore(order);
  const carrier = amazonCarrier(asn.carrier.code, asn.carrier.name, carriers);
  const packages: PackageConfirmation[] = [];
  for (const p of asn.packages) {
    const items: { orderItemId: string; quantity: number }[] = [];
    for (const c of p.contents) {
      const line = lineFor(order, c.itemNumber);
      if (!line) return { kind: "invalid", problem: `item ${c.itemNumber} is not on the purchase order` };
      if (c.uom !== line.uom)
        return {
          kind: "invalid",
          problem: `item ${c.itemNumber} shipped in ${c.uom}, ordered in ${line.uom}`,
        };
      unitsByLine[line.lineNumber] = (unitsByLine[line.lineNumber] ?? 0) + c.quantity;
      if (
        shippedUnitsBefore(order, line.lineNumber) + (unitsByLine[line.lineNumber] ?? 0) >
        committedUnits(order, line)
      ) {
        return { kind: "invalid", problem: `item ${c.itemNumber}: more shipped than Essendant accepted` };
      }
      const mapped = toAmazonItems(line, c.quantity, used);
      if (!mapped)
        return {
          kind: "invalid",
          problem: `item ${c.itemNumber}: ${c.quantity} ${c.uom} is not a whole number of Amazon units`,
        };
      items.push(...mapped);
    }
    packages.push({
      packageReferenceId: String(order.packages.length + packages.length + 1),
      shipmentId: asn.shipmentId,
      trackingNumber: p.trackingNumber,
      shipDate: asn.shipDateTime,
      ...carrier,
      ...(asn.carrier.service ? { shippingMethod: asn.carrier.service } : {}),
      items: mergeItems(items),
      status: "PENDING",
    });
  }
  const shipment = shipmentRecord(asn, unitsByLine);
  const updated: FulfillmentOrder = {
    ...order,
    shipments: [...order.shipments, shipment],
    packages: [...order.packages, ...packages],
  };
  const complete =
    shipment.isFinal ||
    order.purchaseOrder.lines.every(
      (l) => shippedUnitsBefore(updated, l.lineNumber) >= committedUnits(order, l),
    );
  const moved = moveTo(updated, complete ? "SHIPPED_FULL" : "SHIPPED_PARTIAL", now, "SHIPPED", {
    detail: asn.shipmentId,
  });
  return {
    kind: "applied",
    order: complete ? { ...moved, finalShipmentTime: asn.shipDateTime } : moved,
    packages: packages.length,
  };
}
