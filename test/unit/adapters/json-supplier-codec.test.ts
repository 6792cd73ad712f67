import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { JsonSupplierCodec } from "../../../src/adapters/essendant/json.supplier-codec.js";
import type { DecodeResult } from "../../../src/app/ports/supplier-codec.port.js";
import type { PurchaseOrder } from "../../../src/domain/purchase-order.js";
import { aLocalFolderConfig } from "../../support/local-folder-config.js";

const FIXTURES = path.join(import.meta.dirname, "../../fixtures/essendant");
const ACK = "ACK_123456_113-4567890-1234567_1.json";
const ASN = "ASN_123456_113-4567890-1234567_S000981.json";
const INV = "INV_123456_8123456789.json";
const PO = "PO_123456_113-4567890-1234567.json";

const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));
const fixtureJson = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8"));
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const codec = (maxInboundBytes?: number) =>
  new JsonSupplierCodec(aLocalFolderConfig(os.tmpdir(), maxInboundBytes ? { maxInboundBytes } : {}));

function failure(result: DecodeResult): { reason: string; detail: string } {
  if (result.ok) throw new Error("expected the file to be refused");
  return { reason: result.reason, detail: result.detail };
}

const test = suite("JsonSupplierCodec");

test("the example ACK decodes to an Acknowledgement with per-line quantities", () => {
  const result = codec().decode(ACK, fixture(ACK));
  assert.equal(result, {
    ok: true,
    document: {
      kind: "acknowledgement",
      documentId: "0e7c3a52-2f8e-4c55-a7a1-0d5d2e7f6b10",
      poNumber: "113-4567890-1234567",
      ack: {
        documentId: "0e7c3a52-2f8e-4c55-a7a1-0d5d2e7f6b10",
        poNumber: "113-4567890-1234567",
        ackDateTime: "2026-03-01T14:30:00Z",
        status: "PARTIALLY_ACCEPTED",
        lines: [
          {
            itemNumber: "UNV21200",
            ordered: 1,
            accepted: 1,
            backordered: 0,
            cancelled: 0,
            lineStatus: "ACCEPTED",
            reasonCategory: "NONE",
            unitCost: "37.95",
          },
          {
            itemNumber: "BICGSM11BK",
            ordered: 2,
            accepted: 1,
            backordered: 0,
            cancelled: 1,
            lineStatus: "PARTIAL",
            reasonCategory: "OUT_OF_STOCK",
            unitCost: "11.20",
          },
        ],
      },
    },
  });
});

test("the example ASN decodes to a ShipNotice with its packages", () => {
  const result = codec().decode(ASN, fixture(ASN));
  assert.equal(result, {
    ok: true,
    document: {
      kind: "ship-notice",
      documentId: "7a9e9a8e-14d2-4b8f-9a55-3c1f0e2b7d21",
      poNumber: "113-4567890-1234567",
      asn: {
        documentId: "7a9e9a8e-14d2-4b8f-9a55-3c1f0e2b7d21",
        shipmentId: "S000981",
        poNumber: "113-4567890-1234567",
        shipDateTime: "2026-03-01T22:40:00Z",
        carrier: { code: "UPSN", name: "UPS", service: "GROUND" },
        packages: [
          {
            trackingNumber: "1Z999AA10123456784",
            contents: [{ itemNumber: "UNV21200", quantity: 1, uom: "CT" }],
          },
          {
            trackingNumber: "1Z999AA10123456795",
            contents: [{ itemNumber: "BICGSM11BK", quantity: 1, uom: "DZ" }],
          },
        ],
        isFinalForPo: true,
      },
    },
  });
});

test("the example invoice decodes to an Invoice with decimal strings", () => {
  const result = codec().decode(INV, fixture(INV));
  assert.equal(result, {
    ok: true,
    document: {
      kind: "invoice",
      documentId: "b3f1c6de-7d0a-4a8e-8f65-2f3b9e0c4a77",
      poNumber: "113-4567890-1234567",
      invoice: {
        documentId: "b3f1c6de-7d0a-4a8e-8f65-2f3b9e0c4a77",
        invoiceNumber: "8123456789",
        poNumber: "113-4567890-1234567",
        total: "52.65",
        lines: [
          { itemNumber: "UNV21200", quantityInvoiced: 1, unitPrice: "37.95" },
          { itemNumber: "BICGSM11BK", quantityInvoiced: 1, unitPrice: "11.20" },
        ],
      },
    },
  });
});

test("a domain PurchaseOrder encodes to the example PO document, pretty-printed with a final newline", () => {
  const example = fixtureJson(PO);
  const po: PurchaseOrder = { action: "CREATE", ...example.purchaseOrder };
  const bytes = codec().encodePurchaseOrder(po, {
    documentId: example.documentId,
    createdAt: example.createdAt,
  });
  const text = new TextDecoder().decode(bytes);
  assert.equal(JSON.parse(text), example);
  assert.is(text, `${JSON.stringify(example, null, 2)}\n`);
});

test("encoding an invalid PO throws naming the field path, never its value", () => {
  const example = fixtureJson(PO);
  const po: PurchaseOrder = {
    action: "CREATE",
    ...example.purchaseOrder,
    shipTo: { ...example.purchaseOrder.shipTo, postalCode: "SECRET-ZIP" },
  };
  assert.throws(
    () => codec().encodePurchaseOrder(po, { documentId: example.documentId, createdAt: example.createdAt }),
    (error: Error) =>
      error.message.includes("/purchaseOrder/shipTo/postalCode") && !error.message.includes("SECRET"),
  );
});

test("a file over maxInboundBytes is TOO_LARGE", () => {
  assert.is(failure(codec(100).decode(ACK, fixture(ACK))).reason, "TOO_LARGE");
});

test("a file starting with a UTF-8 byte order mark is refused as BOM", () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...fixture(ACK)]);
  assert.is(failure(codec().decode(ACK, bytes)).reason, "BOM");
});

test("bytes that are not UTF-8 are INVALID_UTF8", () => {
  assert.is(failure(codec().decode(ACK, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).reason, "INVALID_UTF8");
});

test("text that is not JSON is INVALID_JSON", () => {
  assert.is(
    failure(codec().decode(ACK, new TextEncoder().encode('{"documentType": '))).reason,
    "INVALID_JSON",
  );
});

test("a schema violation names the field path and keyword but not the value", () => {
  const doc = fixtureJson(ACK);
  doc.acknowledgement.lines[1].uom = "dozen-secret";
  const { reason, detail } = failure(codec().decode(ACK, encode(doc)));
  assert.is(reason, "SCHEMA_VIOLATION");
  assert.is(detail, "/acknowledgement/lines/1/uom pattern");
});

test("a missing required field is named in the detail", () => {
  const doc = fixtureJson(ASN);
  delete doc.shipment.carrier;
  assert.equal(failure(codec().decode(ASN, encode(doc))), {
    reason: "SCHEMA_VIOLATION",
    detail: "/shipment required carrier",
  });
});

test("a document type that is not inbound, or none, is UNKNOWN_DOCUMENT_TYPE", () => {
  assert.is(failure(codec().decode(PO, fixture(PO))).reason, "UNKNOWN_DOCUMENT_TYPE");
  assert.is(
    failure(codec().decode("x.json", encode({ documentType: "Catalog" }))).reason,
    "UNKNOWN_DOCUMENT_TYPE",
  );
  assert.is(failure(codec().decode("x.json", encode([1, 2]))).reason, "UNKNOWN_DOCUMENT_TYPE");
});

test("an ACK line whose quantities do not add up to the ordered quantity is refused", () => {
  const doc = fixtureJson(ACK);
  doc.acknowledgement.lines[1].quantityCancelled = 0;
  assert.equal(failure(codec().decode(ACK, encode(doc))), {
    reason: "QUANTITIES_DO_NOT_ADD_UP",
    detail: "/acknowledgement/lines/1",
  });
});

test("__proto__ and constructor keys and integers beyond 2^53 are refused", () => {
  const text = fs.readFileSync(path.join(FIXTURES, ACK), "utf8");
  const withKey = (key: string) =>
    new TextEncoder().encode(text.replace('"poNumber"', `"${key}": {}, "poNumber"`));
  assert.is(failure(codec().decode(ACK, withKey("__proto__"))).reason, "FORBIDDEN_KEY");
  assert.is(failure(codec().decode(ACK, withKey("constructor"))).reason, "FORBIDDEN_KEY");
  const huge = new TextEncoder().encode(
    text.replace('"quantityOrdered": 2', '"quantityOrdered": 9007199254740993'),
  );
  assert.is(failure(codec().decode(ACK, huge)).reason, "UNSAFE_NUMBER");
});

test("deeply nested input is refused before it is parsed; brackets inside strings do not count", () => {
  const deep = new TextEncoder().encode(`${"[".repeat(5000)}${"]".repeat(5000)}`);
  assert.equal(failure(codec().decode(ACK, deep)), {
    reason: "TOO_DEEP",
    detail: "nesting deeper than 32 levels",
  });
  const doc = fixtureJson(ACK);
  doc.acknowledgement.statusText = `${"[{".repeat(100)} \\" ${"}]".repeat(100)}`;
  assert.ok(codec().decode(ACK, encode(doc)).ok, "brackets in a string value are text, not nesting");
});

test.run();
