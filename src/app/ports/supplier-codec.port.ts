import type { ServiceIdentifier } from "inversify";
import type { Acknowledgement } from "../../domain/acknowledgement.js";
import type { Invoice } from "../../domain/invoice.js";
import type { PurchaseOrder } from "../../domain/purchase-order.js";
import type { ShipNotice } from "../../domain/ship-notice.js";

export type InboundDocument =
  | {
      readonly kind: "acknowledgement";
      readonly documentId: string;
      readonly poNumber: string;
      readonly ack: Acknowledgement;
    }
  | {
      readonly kind: "ship-notice";
      readonly documentId: string;
      readonly poNumber: string;
      readonly asn: ShipNotice;
    }
  | {
      readonly kind: "invoice";
      readonly documentId: string;
      readonly poNumber: string;
      readonly invoice: Invoice;
    };

export type DecodeResult =
  | { readonly ok: true; readonly document: InboundDocument }
  /** `reason` is a stable code (INVALID_JSON, SCHEMA_VIOLATION …); `detail` names the offending field, never its value. */
  | { readonly ok: false; readonly reason: string; readonly detail: string };

export interface DocumentEnvelope {
  readonly documentId: string;
  readonly createdAt: string;
}

/** Essendant's document format: domain types in, exact bytes out, and back. */
export interface SupplierCodec {
  /** The PO file's bytes, validated against the interface's schema. Throws when the document would be invalid. */
  encodePurchaseOrder(po: PurchaseOrder, envelope: DocumentEnvelope): Uint8Array;
  /** Parses and validates an inbound file; never throws for bad input. */
  decode(fileName: string, bytes: Uint8Array): DecodeResult;
}
export const SupplierCodec: ServiceIdentifier<SupplierCodec> = Symbol.for("SupplierCodec");
