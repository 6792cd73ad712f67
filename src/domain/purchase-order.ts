import { type EssendantAddress, formatAddress } from "./address-format.js";
import type { AmazonOrderFacts } from "./amazon-order.js";
import type { HoldReason, LineAllocation, PoLine } from "./fulfillment-order.js";
import type { ShipToFields } from "./ship-to.js";
import type { SkuMap } from "./sku-map.js";
import { utcSeconds } from "./time.js";

/** Service levels of the Essendant PO (purchase-order.schema.json shipMethod.serviceLevel). */
export const SERVICE_LEVELS = [
  "STANDARD",
  "EXPEDITED",
  "SECOND_DAY",
  "NEXT_DAY",
  "SAME_DAY",
  "SCHEDULED",
] as const;
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];

export type BackorderPolicy =
  | "SHIP_AVAILABLE_CANCEL_REST"
  | "SHIP_AVAILABLE_BACKORDER_REST"
  | "SHIP_COMPLETE_ONLY";
export type FacilitySplit = "ALLOW_SPLIT" | "NO_SPLIT" | "PRIMARY_FACILITY_ONLY";

export interface PurchaseOrderSettings {
  readonly accountNumber: string;
  /** Amazon service level → Essendant ship-method code. */
  readonly shipMethods: Readonly<Record<string, string>>;
  readonly backorderPolicy: BackorderPolicy;
  readonly facilitySplit: FacilitySplit;
  /** Printed on the label so the seller, not Essendant, is the shipper of record (Amazon drop-ship policy). */
  readonly shipFromLabel?: string;
}

export interface PurchaseOrderLine {
  readonly lineNumber: number;
  readonly itemNumber: string;
  readonly quantity: number;
  readonly uom: string;
  readonly expectedUnitCost?: string;
  readonly customerLineReference?: string;
}

/** The purchase order as the business sees it; the codec adds the document envelope. */
export interface PurchaseOrder {
  readonly action: "CREATE" | "CANCEL";
  readonly poNumber: string;
  readonly poDate: string;
  readonly accountNumber: string;
  readonly orderType: "DROP_SHIP";
  readonly rejectDuplicatePo: true;
  readonly customerReferences: readonly { readonly qualifier: string; readonly value: string }[];
  readonly shipTo: EssendantAddress;
  readonly shipMethod: { readonly serviceLevel: ServiceLevel; readonly essendantCode: string };
  readonly latestDeliveryDate?: string;
  readonly backorderPolicy: BackorderPolicy;
  readonly facilitySplit: FacilitySplit;
  readonly label?: { readonly shippingInstructions: readonly string[] };
  readonly lines: readonly PurchaseOrderLine[];
}

export type PurchaseOrderResult =
  | {
      readonly ok: true;
      readonly purchaseOrder: PurchaseOrder;
      readonly fileName: string;
      readonly lines: readonly PoLine[];
    }
  | { readonly ok: false; readonly reason: HoldReason; readonly detail?: string };

/** Deterministic: the same order always yields the same name, so a second upload collides. */
export function purchaseOrderFileName(accountNumber: string, poNumber: string): string {
  return `PO_${accountNumber}_${poNumber}.json`;
}

/** Amazon's level (STANDARD, SecondDay, FREE_ECONOMY …) as an Essendant service level, if it has one. */
export function serviceLevelOf(amazonLevel: string): ServiceLevel | undefined {
  const upper = amazonLevel
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .replace(/[\s-]+/g, "_")
    .toUpperCase();
  if (upper === "FREE_ECONOMY") return "STANDARD";
  return (SERVICE_LEVELS as readonly string[]).includes(upper) ? (upper as ServiceLevel) : undefined;
}

function mergeLines(facts: AmazonOrderFacts, skuMap: SkuMap): PurchaseOrderResult | PoLine[] {
  const unmapped = facts.items.filter((i) => !skuMap.has(i.sellerSku)).map((i) => i.sellerSku);
  if (unmapped.length > 0)
    return { ok: false, reason: "UNMAPPED_SKU", detail: [...new Set(unmapped)].join(",") };
  const byItem = new Map<string, { uom: string; allocations: LineAllocation[] }>();
  for (const item of facts.items) {
    const mapping = skuMap.get(item.sellerSku);
    if (!mapping) continue;
    const line = byItem.get(mapping.itemNumber) ?? { uom: mapping.uom, allocations: [] };
    if (line.uom !== mapping.uom) {
      return {
        ok: false,
        reason: "SKU_MAP_CONFLICT",
        detail: `${mapping.itemNumber} maps to ${line.uom} and ${mapping.uom}`,
      };
    }
    const units = item.quantityOrdered * mapping.unitsPerSku;
    line.allocations.push({ orderItemId: item.orderItemId, amazonQuantity: item.quantityOrdered, units });
    byItem.set(mapping.itemNumber, line);
  }
  return [...byItem.entries()].map(([itemNumber, line], index) => ({
    lineNumber: index + 1,
    itemNumber,
    uom: line.uom,
    quantity: line.allocations.reduce((sum, a) => sum + a.units, 0),
    allocations: line.allocations,
  }));
}

function expectedCost(lineItemNumber: string, facts: AmazonOrderFacts, skuMap: SkuMap): string | undefined {
  for (const item of facts.items) {
    const m = skuMap.get(item.sellerSku);
    if (m?.itemNumber === lineItemNumber && m.expectedUnitCost) return m.expectedUnitCost;
  }
  return undefined;
}

/**
 * Builds Essendant's purchase order for an Amazon order (spec/essendant README, "Semantics"):
 * one line per item number, quantities in whole `uom` units, the ship-to fitted to the field
 * widths. An order that cannot be sent as it is comes back as a hold reason, never an exception.
 */
export function buildPurchaseOrder(
  facts: AmazonOrderFacts,
  shipTo: ShipToFields | undefined,
  skuMap: SkuMap,
  settings: PurchaseOrderSettings,
): PurchaseOrderResult {
  const merged = mergeLines(facts, skuMap);
  if (!Array.isArray(merged)) return merged;
  const serviceLevel = serviceLevelOf(facts.serviceLevel);
  const essendantCode = serviceLevel ? settings.shipMethods[serviceLevel] : undefined;
  if (!serviceLevel || !essendantCode)
    return { ok: false, reason: "UNMAPPED_SHIP_METHOD", detail: facts.serviceLevel };
  const address = formatAddress(shipTo);
  if (!address.ok)
    return { ok: false, reason: address.problem, ...(address.field ? { detail: address.field } : {}) };
  const lines: PurchaseOrderLine[] = merged.map((line) => {
    const cost = expectedCost(line.itemNumber, facts, skuMap);
    const only = line.allocations.length === 1 ? line.allocations[0] : undefined;
    return {
      lineNumber: line.lineNumber,
      itemNumber: line.itemNumber,
      quantity: line.quantity,
      uom: line.uom,
      ...(cost ? { expectedUnitCost: cost } : {}),
      ...(only ? { customerLineReference: only.orderItemId } : {}),
    };
  });
  const purchaseOrder: PurchaseOrder = {
    action: "CREATE",
    poNumber: facts.orderId,
    poDate: utcSeconds(facts.purchaseDate),
    accountNumber: settings.accountNumber,
    orderType: "DROP_SHIP",
    rejectDuplicatePo: true,
    customerReferences: [{ qualifier: "AMZ", value: facts.orderId }],
    shipTo: address.address,
    shipMethod: { serviceLevel, essendantCode },
    ...(facts.latestDeliveryDate ? { latestDeliveryDate: facts.latestDeliveryDate.slice(0, 10) } : {}),
    backorderPolicy: settings.backorderPolicy,
    facilitySplit: settings.facilitySplit,
    ...(settings.shipFromLabel ? { label: { shippingInstructions: [settings.shipFromLabel] } } : {}),
    lines,
  };
  return {
    ok: true,
    purchaseOrder,
    fileName: purchaseOrderFileName(settings.accountNumber, facts.orderId),
    lines: merged,
  };
}

/** The cancellation request's file: `POCANCEL_{accountNumber}_{poNumber}.json`, deterministic like the PO's. */
export function cancellationFileName(accountNumber: string, poNumber: string): string {
  return `POCANCEL_${accountNumber}_${poNumber}.json`;
}
