import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";

/** The schema ships in config/ beside the example files; src/app/config and dist/app/config are both three levels down. */
const SCHEMA_URL = new URL("../../../config/fulfillment.schema.json", import.meta.url);

let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  const schema = JSON.parse(readFileSync(fileURLToPath(SCHEMA_URL), "utf8")) as object;
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  return ajv.compile(schema);
}

function keyOf(error: ErrorObject): string {
  const path = error.instancePath
    .split("/")
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  return path.join(".");
}

function describe(error: ErrorObject): string {
  const at = keyOf(error);
  const where = at ? `"${at}"` : "the configuration";
  const child = (name: string) => (at ? `${at}.${name}` : name);
  switch (error.keyword) {
    case "additionalProperties": {
      const unknown = String(error.params.additionalProperty);
      const props = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
      const valid = props ? Object.keys(props).filter((k) => k !== "$schema") : [];
      return `unknown key "${child(unknown)}"${valid.length ? `; valid keys here: ${valid.join(", ")}` : ""}`;
    }
    case "required":
      return `missing key "${child(String(error.params.missingProperty))}"`;
    case "enum":
      return `${where} must be one of: ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "propertyNames":
      return `${where} has a key that is not allowed; ${error.message ?? ""}`.trim();
    case "type":
      return `${where} must be of type ${String(error.params.type)}`;
    default:
      return `${where} ${error.message ?? "is invalid"}`;
  }
}

/** Problems with the raw configuration, each naming the key and what is valid; empty when it conforms. */
export function schemaProblems(raw: unknown): string[] {
  validator ??= compile();
  if (validator(raw)) return [];
  const errors = validator.errors ?? [];
  // propertyNames reports twice (the name and the enum inside it); keep the readable one.
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of errors) {
    if (e.keyword === "enum" && e.propertyName !== undefined) {
      const allowed = (e.params.allowedValues as unknown[]).join(", ");
      const msg = `"${keyOf(e)}" has the key "${e.propertyName}"; valid keys: ${allowed}`;
      if (!seen.has(msg)) out.push(msg);
      seen.add(msg);
      continue;
    }
    if (e.keyword === "propertyNames") continue;
    const msg = describe(e);
    if (!seen.has(msg)) out.push(msg);
    seen.add(msg);
  }
  return out;
}
