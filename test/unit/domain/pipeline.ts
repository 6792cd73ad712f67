import type { Acknowledgement } from "../../../src/domain/acknowledgement.js";
import type { AmazonOrderFacts } from "../../../src/domain/amazon-order.js";
import { type FulfillmentOrder, moveTo, newFulfillmentOrder } from "../../../src/domain/fulfillment-order.js";
import { buildPurchaseOrder, type PurchaseOrderSettings } from "../../../src/domain/purchase-order.js";
import type { ShipNotice } from "../../../src/domain/ship-notice.js";
import type { SkuMap, SkuMapping } from "../../../src/domain/sku-map.js";
import { anItem, shipToFields, someFacts } from "../../support/order-mother.js";

/** Test helpers that walk an order through the real domain functions, so tests start from honest states. */
export const T0 = new Date("2026-11-02T16:00:00Z");

export function skuMap(...rows: [string, string, string, number, string?][]): SkuMap {
  return new Map(
    rows.map(([sellerSku, itemNumber, uom, unitsPerSku, cost]): [string, SkuMapping] => [
      sellerSku,
      { sellerSku, itemNumber, uom, unitsPerSku, ...(cost ? { expectedUnitCost: cost } : {}) },
    ]),
  );
}

export const SETTINGS: PurchaseOrderSettings = {
  accountNumber: "123456",
  shipMethods: { STANDARD: "GRND", SECOND_DAY: "2DAY", NEXT_DAY: "NDAY" },
  backorderPolicy: "SHIP_AVAILABLE_CANCEL_REST",
  facilitySplit: "ALLOW_SPLIT",
};

export const MAP = skuMap(
  ["PAPER", "UNV21200", "CT", 1, "37.95"],
  ["PAPER-2PK", "UNV21200", "CT", 2],
  ["PENS", "BICGSM11BK", "DZ", 1],
);

/** Paper ×1 (item A), paper 2-pack ×1 (item B, merged into the same line), pens ×2 (item C). */
export function mixedFacts(overrides: Partial<AmazonOrderFacts> = {}): AmazonOrderFacts {
  return someFacts({
    items: [
      anItem({ orderItemId: "10000000000001", sellerSku: "PAPER", quantityOrdered: 1 }),
      anItem({ orderItemId: "10000000000002", sellerSku: "PAPER-2PK", quantityOrdered: 1 }),
      anItem({ orderItemId: "10000000000003", sellerSku: "PENS", quantityOrdered: 2 }),
    ],
    ...overrides,
  });
}

/** An order whose PO was built by the domain and sent. */
export function sentOrder(facts: AmazonOrderFacts = mixedFacts(), map: SkuMap = MAP): FulfillmentOrder {
  const built = buildPurchaseOrder(facts, shipToFields(), map, SETTINGS);
  if (!built.ok) throw new Error(`test order could not be built: ${built.reason}`);
  const ready = moveTo(newFulfillmentOrder(facts, true, T0), "PO_READY", T0, "PO_READY");
  const record = {
    poNumber: facts.orderId,
    fileName: built.fileName,
    documentId: "6f1d2d1e-5a3b-4c2e-9d4e-0b8c2a7f1e11",
    sha256: "0".repeat(64),
    createdAt: T0.toISOString(),
    lines: built.lines,
    sentAt: T0.toISOString(),
  };
  return { ...moveTo(ready, "PO_SENT", T0, "PO_SENT"), purchaseOrder: record };
}

export function ackFor(
  order: FulfillmentOrder,
  overrides: Partial<Acknowledgement> = {},
  cut: Record<string, { backordered?: number; cancelled?: number }> = {},
): Acknowledgement {
  const lines = (order.purchaseOrder?.lines ?? []).map((l) => {
    const c = cut[l.itemNumber] ?? {};
    const backordered = c.backordered ?? 0;
    const cancelled = c.cancelled ?? 0;
    return {
      itemNumber: l.itemNumber,
      ordered: l.quantity,
      accepted: l.quantity - backordered - cancelled,
      backordered,
      cancelled,
      lineStatus: backordered || cancelled ? "PARTIAL" : "ACCEPTED",
      ...(cancelled ? { reasonCategory: "OUT_OF_STOCK" } : {}),
    };
  });
  return {
    documentId: "0e7c3a52-2f8e-4c55-a7a1-0d5d2e7f6b10",
    poNumber: order.facts.orderId,
    ackDateTime: "2026-11-02T17:00:00Z",
    status: lines.some((l) => l.backordered || l.cancelled) ? "PARTIALLY_ACCEPTED" : "ACCEPTED",
    lines,
    ...overrides,
  };
}

export function asnFor(
  order: FulfillmentOrder,
  packages: ShipNotice["packages"],
  overrides: Partial<ShipNotice> = {},
): ShipNotice {
  return {
    documentId: "7a9e9a8e-14d2-4b8f-9a55-3c1f0e2b7d21",
    shipmentId: "S000981",
    poNumber: order.facts.orderId,
    shipDateTime: "2026-11-03T22:40:00Z",
    carrier: { code: "UPSN", name: "UPS", service: "GROUND" },
    packages,
    ...overrides,
  };
}
