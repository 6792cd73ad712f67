import type { MemorySupplierGateway } from "./fakes/memory.supplier-gateway.js";

/** Essendant's side in use-case tests: answers built from the PO the application actually uploaded. */
interface PoFile {
  purchaseOrder: {
    poNumber: string;
    accountNumber: string;
    lines: { lineNumber: number; itemNumber: string; quantity: number; uom: string }[];
  };
  documentId: string;
}

let docs = 0;
const uuid = () => `aaaaaaaa-0000-4000-8000-${String(++docs).padStart(12, "0")}`;
const envelope = (documentType: string) => ({
  schemaVersion: "1.0",
  documentType,
  documentId: uuid(),
  createdAt: "2026-12-04T10:30:00Z",
  sender: { id: "ESSENDANT" },
  receiver: { id: "TP-OURCO" },
  environment: "TEST",
});

export function uploadedPo(gateway: MemorySupplierGateway, orderId: string): PoFile {
  const bytes = gateway.remoteOutbound.get(`PO_123456_${orderId}.json`);
  if (!bytes) throw new Error(`no PO was uploaded for ${orderId}`);
  return JSON.parse(new TextDecoder().decode(bytes)) as PoFile;
}

/** An ACK for the uploaded PO; `cancel` maps item numbers to cancelled quantities. */
export function ackFile(
  po: PoFile,
  options: { cancel?: Record<string, number>; ackDateTime?: string; documentId?: string } = {},
): string {
  const lines = po.purchaseOrder.lines.map((l) => {
    const cancelled = options.cancel?.[l.itemNumber] ?? 0;
    return {
      lineNumber: l.lineNumber,
      itemNumber: l.itemNumber,
      quantityOrdered: l.quantity,
      quantityAccepted: l.quantity - cancelled,
      quantityBackordered: 0,
      quantityCancelled: cancelled,
      uom: l.uom,
      unitCost: "11.20",
      lineStatus: cancelled ? "PARTIAL" : "ACCEPTED",
      reasonCategory: cancelled ? "OUT_OF_STOCK" : "NONE",
    };
  });
  const partial = lines.some((l) => l.quantityCancelled > 0);
  return JSON.stringify({
    ...envelope("PurchaseOrderAcknowledgement"),
    ...(options.documentId ? { documentId: options.documentId } : {}),
    acknowledgement: {
      poNumber: po.purchaseOrder.poNumber,
      inReplyToDocumentId: po.documentId,
      ackDateTime: options.ackDateTime ?? "2026-12-04T10:30:00Z",
      status: partial ? "PARTIALLY_ACCEPTED" : "ACCEPTED",
      rawStatusCode: partial ? "59" : "00",
      lines,
    },
  });
}

/** An ASN shipping every PO line in one package each. */
export function asnFile(po: PoFile, shipmentId = "S000001", trackingPrefix = "1Z999AA1"): string {
  return JSON.stringify({
    ...envelope("ShipNotice"),
    shipment: {
      shipmentId,
      poNumber: po.purchaseOrder.poNumber,
      shipDateTime: "2026-12-04T20:00:00Z",
      carrier: { code: "UPSN", name: "UPS", service: "GROUND" },
      packages: po.purchaseOrder.lines.map((l) => ({
        trackingNumber: `${trackingPrefix}${String(l.lineNumber).padStart(10, "0")}`,
        contents: [{ lineNumber: l.lineNumber, itemNumber: l.itemNumber, quantity: l.quantity, uom: l.uom }],
      })),
      isFinalForPo: true,
    },
  });
}

/** Essendant's answer to a POCANCEL: every line cancelled on request. */
export function cancelAckFile(po: PoFile, ackDateTime = "2026-12-04T11:00:00Z"): string {
  return JSON.stringify({
    ...envelope("PurchaseOrderAcknowledgement"),
    acknowledgement: {
      poNumber: po.purchaseOrder.poNumber,
      ackDateTime,
      status: "CANCELLED",
      reasonCategory: "CANCELLED_ON_REQUEST",
      lines: po.purchaseOrder.lines.map((l) => ({
        lineNumber: l.lineNumber,
        itemNumber: l.itemNumber,
        quantityOrdered: l.quantity,
        quantityAccepted: 0,
        quantityBackordered: 0,
        quantityCancelled: l.quantity,
        uom: l.uom,
        lineStatus: "CANCELLED",
        reasonCategory: "CANCELLED_ON_REQUEST",
      })),
    },
  });
}

/** An invoice for every PO line at `price`; `quantity` overrides what is invoiced per item number. */
export function invoiceFile(
  po: PoFile,
  options: { price?: string; quantity?: Record<string, number>; invoiceNumber?: string } = {},
): string {
  const price = options.price ?? "11.20";
  const lines = po.purchaseOrder.lines.map((l) => {
    const quantityInvoiced = options.quantity?.[l.itemNumber] ?? l.quantity;
    const cents = Math.round(Number(price) * 100) * quantityInvoiced;
    return {
      lineNumber: l.lineNumber,
      itemNumber: l.itemNumber,
      quantityInvoiced,
      uom: l.uom,
      unitPrice: price,
      extendedAmount: (cents / 100).toFixed(2),
    };
  });
  const total = lines.reduce((sum, l) => sum + Math.round(Number(l.extendedAmount) * 100), 0);
  return JSON.stringify({
    ...envelope("Invoice"),
    invoice: {
      invoiceNumber: options.invoiceNumber ?? "8100000001",
      invoiceDate: "2026-12-05",
      poNumber: po.purchaseOrder.poNumber,
      currency: "USD",
      lines,
      total: (total / 100).toFixed(2),
    },
  });
}
