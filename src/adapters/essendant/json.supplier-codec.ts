import { inject, injectable } from "inversify";
import type { Config } from "../../app/config/config.js";
import { AppConfig } from "../../app/config/config.token.js";
import { IntegrationError } from "../../app/errors.js";
import type {
  DecodeResult,
  DocumentEnvelope,
  InboundDocument,
  SupplierCodec,
} from "../../app/ports/supplier-codec.port.js";
import type { Acknowledgement, AckStatus } from "../../domain/acknowledgement.js";
import type { Invoice } from "../../domain/invoice.js";
import type { PurchaseOrder } from "../../domain/purchase-order.js";
import type { ShipNotice } from "../../domain/ship-notice.js";
import { type EssendantDocumentType, schemaProblem, validators } from "./essendant-schemas.js";

const INBOUND_TYPES: ReadonlySet<string> = new Set(["PurchaseOrderAcknowledgement", "ShipNotice", "Invoice"]);
const UTF8 = new TextEncoder();
/** Refuses malformed UTF-8; keeps a BOM (refused before decoding). Stateless between calls (no `stream`). */
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Wire shapes after schema validation: only the fields the mapping reads. */
interface WireAck {
  poNumber: string;
  ackDateTime: string;
  status: AckStatus;
  reasonCategory?: string;
  lines: {
    itemNumber: string;
    substitutedItemNumber?: string;
    quantityOrdered: number;
    quantityAccepted: number;
    quantityBackordered: number;
    quantityCancelled: number;
    lineStatus: string;
    reasonCategory?: string;
    unitCost?: string;
  }[];
}
interface WireShipment {
  shipmentId: string;
  poNumber: string;
  shipDateTime: string;
  carrier: { code: string; name: string; service?: string };
  packages: { trackingNumber: string; contents: { itemNumber: string; quantity: number; uom: string }[] }[];
  isFinalForPo?: boolean;
}
interface WireInvoice {
  invoiceNumber: string;
  poNumber: string;
  total: string;
  lines: { itemNumber: string; quantityInvoiced: number; unitPrice: string }[];
}
interface WireDocument {
  documentType: EssendantDocumentType;
  documentId: string;
  acknowledgement?: WireAck;
  shipment?: WireShipment;
  invoice?: WireInvoice;
}

class Rejected extends Error {
  constructor(
    readonly reason: string,
    readonly detail: string,
  ) {
    super(reason);
  }
}

/** Essendant's documents nest six levels at most; anything far deeper is hostile, and recursion over it could overflow. */
const MAX_DEPTH = 32;

/** The deepest nesting of arrays and objects in JSON text, counted without parsing (strings skipped). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return deepest;
}

/**
 * JSON.parse that refuses prototype-polluting keys and integers beyond 2^53 (they would silently
 * round). JSON.parse makes every key an own data property, so a walk of the result finds them; a
 * reviver would do the same checks at several times the cost. Call it on text whose nesting is
 * bounded (nestingDepth): the walk recurses.
 */
function parseStrict(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Rejected("INVALID_JSON", "the file is not one JSON document");
  }
  refuseHostileValues(parsed);
  return parsed;
}

function refuseHostileValues(value: unknown): void {
  if (typeof value === "number") {
    if (Number.isInteger(value) && !Number.isSafeInteger(value))
      throw new Rejected("UNSAFE_NUMBER", "an integer beyond 2^53");
  } else if (Array.isArray(value)) {
    for (const item of value) refuseHostileValues(item);
  } else if (typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) throw new Rejected("FORBIDDEN_KEY", key);
      refuseHostileValues((value as Record<string, unknown>)[key]);
    }
  }
}

const opt = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

function toAck(documentId: string, a: WireAck): Acknowledgement {
  const bad = a.lines.find(
    (l) => l.quantityAccepted + l.quantityBackordered + l.quantityCancelled !== l.quantityOrdered,
  );
  if (bad) throw new Rejected("QUANTITIES_DO_NOT_ADD_UP", `/acknowledgement/lines/${a.lines.indexOf(bad)}`);
  return {
    documentId,
    poNumber: a.poNumber,
    ackDateTime: a.ackDateTime,
    status: a.status,
    ...opt("reasonCategory", a.reasonCategory),
    lines: a.lines.map((l) => ({
      itemNumber: l.itemNumber,
      ...opt("substitutedItemNumber", l.substitutedItemNumber),
      ordered: l.quantityOrdered,
      accepted: l.quantityAccepted,
      backordered: l.quantityBackordered,
      cancelled: l.quantityCancelled,
      lineStatus: l.lineStatus,
      ...opt("reasonCategory", l.reasonCategory),
      ...opt("unitCost", l.unitCost),
    })),
  };
}

function toShipNotice(documentId: string, s: WireShipment): ShipNotice {
  return {
    documentId,
    shipmentId: s.shipmentId,
    poNumber: s.poNumber,
    shipDateTime: s.shipDateTime,
    carrier: { code: s.carrier.code, name: s.carrier.name, ...opt("service", s.carrier.service) },
    packages: s.packages.map((p) => ({
      trackingNumber: p.trackingNumber,
      contents: p.contents.map((c) => ({ itemNumber: c.itemNumber, quantity: c.quantity, uom: c.uom })),
    })),
    ...opt("isFinalForPo", s.isFinalForPo),
  };
}

function toInvoice(documentId: string, i: WireInvoice): Invoice {
  return {
    documentId,
    invoiceNumber: i.invoiceNumber,
    poNumber: i.poNumber,
    total: i.total,
    lines: i.lines.map((l) => ({
      itemNumber: l.itemNumber,
      quantityInvoiced: l.quantityInvoiced,
      unitPrice: l.unitPrice,
    })),
  };
}

function toDomain(doc: WireDocument): InboundDocument {
  const { documentId } = doc;
  if (doc.acknowledgement) {
    const ack = toAck(documentId, doc.acknowledgement);
    return { kind: "acknowledgement", documentId, poNumber: ack.poNumber, ack };
  }
  if (doc.shipment) {
    const asn = toShipNotice(documentId, doc.shipment);
    return { kind: "ship-notice", documentId, poNumber: asn.poNumber, asn };
  }
  if (!doc.invoice) throw new Rejected("SCHEMA_VIOLATION", "/ required");
  const invoice = toInvoice(documentId, doc.invoice);
  return { kind: "invoice", documentId, poNumber: invoice.poNumber, invoice };
}

/** Essendant's JSON interface 1.0 (spec/essendant): the schemas are normative, both ways. */
@injectable()
export class JsonSupplierCodec implements SupplierCodec {
  constructor(@inject(AppConfig) private readonly config: Config) {
    validators();
  }

  encodePurchaseOrder(po: PurchaseOrder, envelope: DocumentEnvelope): Uint8Array {
    const { senderId, senderName, environment } = this.config.essendant;
    const { action, ...purchaseOrder } = po;
    const document = {
      schemaVersion: "1.0",
      documentType: "PurchaseOrder",
      documentId: envelope.documentId,
      createdAt: envelope.createdAt,
      sender: { id: senderId, ...opt("name", senderName) },
      receiver: { id: "ESSENDANT", name: "Essendant Inc" },
      environment,
      action,
      purchaseOrder,
    };
    const problem = schemaProblem("PurchaseOrder", document);
    // The path and keyword name the field, never its value (it may be the customer's address).
    if (problem)
      throw new IntegrationError(
        "PO_SCHEMA_VIOLATION",
        `purchase order document is invalid at ${problem}`,
        false,
      );
    return UTF8.encode(`${JSON.stringify(document, null, 2)}\n`);
  }

  decode(_fileName: string, bytes: Uint8Array): DecodeResult {
    try {
      return { ok: true, document: this.decodeOrThrow(bytes) };
    } catch (error) {
      if (error instanceof Rejected) return { ok: false, reason: error.reason, detail: error.detail };
      return { ok: false, reason: "UNREADABLE", detail: error instanceof Error ? error.name : "unknown" };
    }
  }

  private decodeOrThrow(bytes: Uint8Array): InboundDocument {
    const limit = this.config.essendant.maxInboundBytes;
    if (bytes.length > limit) throw new Rejected("TOO_LARGE", `${bytes.length} bytes, the limit is ${limit}`);
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
      throw new Rejected("BOM", "the file starts with a byte order mark");
    let text: string;
    try {
      text = STRICT_UTF8.decode(bytes);
    } catch {
      throw new Rejected("INVALID_UTF8", "the file is not valid UTF-8");
    }
    if (nestingDepth(text) > MAX_DEPTH)
      throw new Rejected("TOO_DEEP", `nesting deeper than ${MAX_DEPTH} levels`);
    const parsed = parseStrict(text);
    const type = (parsed as { documentType?: unknown } | null)?.documentType;
    if (typeof type !== "string" || !INBOUND_TYPES.has(type)) {
      throw new Rejected("UNKNOWN_DOCUMENT_TYPE", "/documentType");
    }
    const problem = schemaProblem(type as EssendantDocumentType, parsed);
    if (problem) throw new Rejected("SCHEMA_VIOLATION", problem);
    return toDomain(parsed as WireDocument);
  }
}
