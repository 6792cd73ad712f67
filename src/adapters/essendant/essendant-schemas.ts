import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import ackSchema from "./schemas/acknowledgement.schema.json" with { type: "json" };
import commonSchema from "./schemas/common.schema.json" with { type: "json" };
import invoiceSchema from "./schemas/invoice.schema.json" with { type: "json" };
import poSchema from "./schemas/purchase-order.schema.json" with { type: "json" };
import asnSchema from "./schemas/ship-notice.schema.json" with { type: "json" };

/** The documentType values of the Essendant interface (common.schema.json#/$defs/Envelope). */
export type EssendantDocumentType =
  | "PurchaseOrder"
  | "PurchaseOrderAcknowledgement"
  | "ShipNotice"
  | "Invoice";

type Validators = Record<EssendantDocumentType, ValidateFunction>;
let compiled: Validators | undefined;

/** Compiles the five schemas once per process; the codec calls it when it is built, so the first document waits for nothing. */
export function validators(): Validators {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ allErrors: false, strict: true });
  // ajv-formats is CommonJS: its plugin is the module object itself, and also `.default`.
  addFormats.default(ajv, ["date-time", "date", "uuid"]);
  ajv.addSchema(commonSchema);
  compiled = {
    PurchaseOrder: ajv.compile(poSchema),
    PurchaseOrderAcknowledgement: ajv.compile(ackSchema),
    ShipNotice: ajv.compile(asnSchema),
    Invoice: ajv.compile(invoiceSchema),
  };
  return compiled;
}

/** Where and why a schema check failed: the field path and keyword, never the offending value. */
function describe(error: ErrorObject): string {
  const where = error.instancePath || "/";
  const missing = error.keyword === "required" ? ` ${String(error.params.missingProperty)}` : "";
  return `${where} ${error.keyword}${missing}`;
}

/** Validates a parsed document against its type's schema; returns the first problem, or undefined. */
export function schemaProblem(type: EssendantDocumentType, document: unknown): string | undefined {
  const validate = validators()[type];
  if (validate(document)) return undefined;
  const first = validate.errors?.[0];
  return first ? describe(first) : "/ invalid";
}
