import { createHash } from "node:crypto";

/** A PO line as the simulator answers it: what ships now, later, or never. */
export interface SimulatedLine {
  readonly lineNumber: number;
  readonly itemNumber: string;
  readonly uom: string;
  readonly ordered: number;
  readonly accepted: number;
  readonly backordered: number;
  readonly cancelled: number;
  readonly expectedUnitCost?: string;
  /** Invoiced unit price: the PO's expected cost, or a demo list price. */
  readonly price: string;
}

export type SimulatedStep =
  | { readonly kind: "ack"; readonly dueAt: string; done: boolean }
  | {
      readonly kind: "asn";
      readonly dueAt: string;
      done: boolean;
      readonly quantity: "accepted" | "backordered";
      readonly shipment: number;
      readonly final: boolean;
    }
  | { readonly kind: "inv"; readonly dueAt: string; done: boolean };

/** What the simulator remembers of a PO (never the ship-to) and the answers still to write. */
export interface SimulatedPo {
  readonly poNumber: string;
  readonly accountNumber: string;
  readonly documentId: string;
  readonly ackSeq: number;
  readonly duplicate: boolean;
  readonly orderNumber: string;
  readonly environment: "TEST" | "PRODUCTION";
  readonly receiver: { readonly id: string; readonly name?: string };
  readonly lines: readonly SimulatedLine[];
  readonly steps: SimulatedStep[];
}

export interface Envelope {
  readonly documentId: string;
  readonly createdAt: string;
}

export interface SimulatedDocument {
  readonly fileName: string;
  readonly body: object;
}

const DROP_SHIP_FEE = "3.50";
const SCALE = 10_000n;

const hex = (text: string) => createHash("sha256").update(text).digest("hex");
export const digits = (text: string, n: number) =>
  (BigInt(`0x${hex(text)}`) % 10n ** BigInt(n)).toString().padStart(n, "0");

/** Money as integer ten-thousandths, so sums of decimal strings stay exact. */
function toUnits(money: string): bigint {
  const [whole = "0", fraction = ""] = money.replace("-", "").split(".");
  const units = BigInt(whole) * SCALE + BigInt(fraction.padEnd(4, "0"));
  return money.startsWith("-") ? -units : units;
}

function toMoney(units: bigint): string {
  const sign = units < 0n ? "-" : "";
  const abs = units < 0n ? -units : units;
  const fraction = (abs % SCALE).toString().padStart(4, "0").replace(/00$/, "");
  return `${sign}${abs / SCALE}.${fraction}`;
}

function header(po: SimulatedPo, documentType: string, env: Envelope) {
  return {
    schemaVersion: "1.0",
    documentType,
    documentId: env.documentId,
    createdAt: env.createdAt,
    sender: { id: "ESSENDANT", name: "Essendant Inc" },
    receiver: po.receiver,
    environment: po.environment,
  };
}

function ackLine(po: SimulatedPo, l: SimulatedLine) {
  const [lineStatus, reasonCategory] = po.duplicate
    ? ["REJECTED", "DUPLICATE_PO"]
    : l.backordered > 0
      ? ["BACKORDERED", "BACKORDERED"]
      : l.cancelled > 0
        ? ["CANCELLED", "OUT_OF_STOCK"]
        : ["ACCEPTED", "NONE"];
  return {
    lineNumber: l.lineNumber,
    itemNumber: l.itemNumber,
    quantityOrdered: l.ordered,
    quantityAccepted: l.accepted,
    quantityBackordered: l.backordered,
    quantityCancelled: l.cancelled,
    uom: l.uom,
    ...(l.expectedUnitCost ? { unitCost: l.expectedUnitCost } : {}),
    lineStatus,
    rawReasonCode: lineStatus === "ACCEPTED" ? "00" : po.duplicate ? "99" : "59",
    reasonCategory,
  };
}

/** The ACK: 00 ACCEPTED, 59 PARTIALLY_ACCEPTED, or 99 REJECTED (a duplicate PO, or nothing to ship). */
export function ackDocument(po: SimulatedPo, at: string, env: Envelope): SimulatedDocument {
  const all = po.lines.every((l) => l.accepted === l.ordered);
  const none = po.lines.every((l) => l.accepted + l.backordered === 0);
  const [status, rawStatusCode] =
    po.duplicate || none ? ["REJECTED", "99"] : all ? ["ACCEPTED", "00"] : ["PARTIALLY_ACCEPTED", "59"];
  const reasonCategory = po.duplicate ? "DUPLICATE_PO" : none ? "OUT_OF_STOCK" : undefined;
  return {
    fileName: `ACK_${po.accountNumber}_${po.poNumber}_${po.ackSeq}.json`,
    body: {
      ...header(po, "PurchaseOrderAcknowledgement", env),
      acknowledgement: {
        poNumber: po.poNumber,
        inReplyToDocumentId: po.documentId,
        accountNumber: po.accountNumber,
        essendantOrderNumbers: [po.orderNumber],
        ackDateTime: at,
        status,
        rawStatusCode,
        ...(reasonCategory ? { reasonCategory } : {}),
        lines: po.lines.map((l) => ackLine(po, l)),
      },
    },
  };
}

/** One ASN: one UPS package per line with units of the given kind; tracking numbers derive from the PO. */
export function asnDocument(
  po: SimulatedPo,
  step: SimulatedStep & { kind: "asn" },
  env: Envelope,
): SimulatedDocument {
  const shipmentId = `S${digits(po.poNumber, 8)}${step.shipment}`;
  const packages = po.lines
    .filter((l) => l[step.quantity] > 0)
    .map((l) => ({
      containerId: `C${step.shipment}${l.lineNumber}`,
      trackingNumber: `1Z${hex(`${po.poNumber}:${step.shipment}:${l.lineNumber}`).slice(0, 16).toUpperCase()}`,
      contents: [
        { lineNumber: l.lineNumber, itemNumber: l.itemNumber, quantity: l[step.quantity], uom: l.uom },
      ],
    }));
  return {
    fileName: `ASN_${po.accountNumber}_${po.poNumber}_${shipmentId}.json`,
    body: {
      ...header(po, "ShipNotice", env),
      shipment: {
        shipmentId,
        poNumber: po.poNumber,
        essendantOrderNumber: po.orderNumber,
        shipDateTime: step.dueAt,
        carrier: { code: "UPSN", name: "UPS", service: "GROUND" },
        packages,
        isFinalForPo: step.final,
      },
    },
  };
}

/** The invoice for everything shipped, plus the drop-ship fee; amounts are exact decimal strings. */
export function invoiceDocument(po: SimulatedPo, step: SimulatedStep, env: Envelope): SimulatedDocument {
  const invoiceNumber = digits(`${po.poNumber}:invoice`, 10);
  const lines = po.lines
    .filter((l) => l.accepted + l.backordered > 0)
    .map((l) => {
      const quantity = l.accepted + l.backordered;
      return {
        lineNumber: l.lineNumber,
        itemNumber: l.itemNumber,
        quantityInvoiced: quantity,
        uom: l.uom,
        unitPrice: l.price,
        extendedAmount: toMoney(toUnits(l.price) * BigInt(quantity)),
      };
    });
  const total = lines.reduce((sum, l) => sum + toUnits(l.extendedAmount), toUnits(DROP_SHIP_FEE));
  return {
    fileName: `INV_${po.accountNumber}_${invoiceNumber}.json`,
    body: {
      ...header(po, "Invoice", env),
      invoice: {
        invoiceNumber,
        invoiceDate: step.dueAt.slice(0, 10),
        accountNumber: po.accountNumber,
        poNumber: po.poNumber,
        currency: "USD",
        lines,
        charges: [{ type: "DROP_SHIP_FEE", amount: DROP_SHIP_FEE }],
        total: toMoney(total),
      },
    },
  };
}
