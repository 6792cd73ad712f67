import type { FulfillmentOrder, PoLine } from "./fulfillment-order.js";

/** An Essendant invoice, decoded and schema-checked by the codec. */
export interface Invoice {
  readonly documentId: string;
  readonly invoiceNumber: string;
  readonly poNumber: string;
  readonly total: string;
  readonly lines: readonly {
    readonly itemNumber: string;
    readonly quantityInvoiced: number;
    readonly unitPrice: string;
  }[];
}

export interface InvoiceRecord {
  readonly invoiceNumber: string;
  readonly documentId: string;
  readonly total: string;
  /** What does not match shipped quantities or acknowledged costs; empty when the invoice reconciles. */
  readonly mismatches: readonly string[];
}

/** A decimal string (`-?\d+(\.\d{1,4})?`) in ten-thousandths, exact: money is never a float. */
function tenThousandths(value: string): bigint {
  const [whole = "0", fraction = ""] = value.replace(/^-/, "").split(".");
  const magnitude = BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, "0").slice(0, 4));
  return value.startsWith("-") ? -magnitude : magnitude;
}

function lineFor(order: FulfillmentOrder, itemNumber: string): PoLine | undefined {
  const lines = order.purchaseOrder?.lines ?? [];
  const substituted = order.acknowledgement?.lines.find(
    (l) => l.substitutedItemNumber === itemNumber,
  )?.itemNumber;
  return lines.find((l) => l.itemNumber === itemNumber || l.itemNumber === substituted);
}

function shippedUnits(order: FulfillmentOrder, line: PoLine): number {
  return order.shipments.reduce((sum, s) => sum + (s.unitsByLine[line.lineNumber] ?? 0), 0);
}

/**
 * Reconciles an invoice with what shipped and what Essendant acknowledged it would cost. Mismatches are
 * reported for the administrator; they never hold up a shipment confirmation.
 */
export function reconcileInvoice(order: FulfillmentOrder, invoice: Invoice): InvoiceRecord {
  const mismatches: string[] = [];
  const invoicedLines = new Set<number>();
  for (const il of invoice.lines) {
    const line = lineFor(order, il.itemNumber);
    if (!line) {
      mismatches.push(`${il.itemNumber}: invoiced but not on the purchase order`);
      continue;
    }
    invoicedLines.add(line.lineNumber);
    const shipped = shippedUnits(order, line);
    if (il.quantityInvoiced !== shipped)
      mismatches.push(`${il.itemNumber}: invoiced ${il.quantityInvoiced}, shipped ${shipped}`);
    const acknowledged = order.acknowledgement?.lines.find((l) => l.itemNumber === line.itemNumber)?.unitCost;
    if (acknowledged && tenThousandths(acknowledged) !== tenThousandths(il.unitPrice)) {
      mismatches.push(`${il.itemNumber}: invoiced at ${il.unitPrice}, acknowledged at ${acknowledged}`);
    }
  }
  for (const line of order.purchaseOrder?.lines ?? []) {
    const shipped = shippedUnits(order, line);
    if (shipped > 0 && !invoicedLines.has(line.lineNumber))
      mismatches.push(`${line.itemNumber}: shipped ${shipped}, not invoiced`);
  }
  return {
    invoiceNumber: invoice.invoiceNumber,
    documentId: invoice.documentId,
    total: invoice.total,
    mismatches,
  };
}
