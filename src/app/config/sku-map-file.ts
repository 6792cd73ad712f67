import { readFileSync } from "node:fs";
import type { SkuMap, SkuMapping } from "../../domain/sku-map.js";
import { ConfigError } from "../errors.js";

const HEADER = ["sellerSku", "itemNumber", "uom", "unitsPerSku", "expectedUnitCost"];
const ITEM_NUMBER = /^[A-Z0-9]{3}[A-Z0-9-]{1,12}$/;
const UOM = /^[A-Z]{2}$/;
const MONEY = /^\d{1,9}(\.\d{1,4})?$/;

/** Splits one CSV line, honouring double quotes ("a,b" and "" inside quotes). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cell.trim());
      cell = "";
    } else cell += ch;
  }
  out.push(cell.trim());
  return out;
}

function row(fields: string[], where: string): SkuMapping {
  const [sellerSku = "", itemNumber = "", uom = "", units = "", cost = ""] = fields;
  if (fields.length !== HEADER.length)
    throw new ConfigError(
      `${where}: expected ${HEADER.length} columns (${HEADER.join(",")}), found ${fields.length}`,
    );
  if (!sellerSku) throw new ConfigError(`${where}: sellerSku is empty`);
  if (!ITEM_NUMBER.test(itemNumber))
    throw new ConfigError(
      `${where}: itemNumber "${itemNumber}" is not an Essendant item number (prefix + stock number, e.g. UNV21200)`,
    );
  if (!UOM.test(uom))
    throw new ConfigError(`${where}: uom "${uom}" must be a 2-letter unit such as EA, BX, CT, DZ`);
  if (!/^[1-9]\d{0,5}$/.test(units))
    throw new ConfigError(`${where}: unitsPerSku "${units}" must be a whole number of at least 1`);
  if (cost && !MONEY.test(cost))
    throw new ConfigError(`${where}: expectedUnitCost "${cost}" must be a decimal such as 37.95, or empty`);
  return {
    sellerSku,
    itemNumber,
    uom,
    unitsPerSku: Number(units),
    ...(cost ? { expectedUnitCost: cost } : {}),
  };
}

/** Parses the SKU map CSV; a malformed row is a ConfigError naming the file and line. */
export function parseSkuMap(text: string, file: string): SkuMap {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = cells(lines[0] ?? "");
  if (header.join(",") !== HEADER.join(",")) {
    throw new ConfigError(`${file} line 1: the header must be exactly ${HEADER.join(",")}`);
  }
  const map = new Map<string, SkuMapping>();
  lines.slice(1).forEach((line, index) => {
    if (!line.trim() || line.trimStart().startsWith("#")) return;
    const where = `${file} line ${index + 2}`;
    const mapping = row(cells(line), where);
    if (map.has(mapping.sellerSku))
      throw new ConfigError(`${where}: sellerSku "${mapping.sellerSku}" appears twice`);
    map.set(mapping.sellerSku, mapping);
  });
  return map;
}

export function readSkuMap(file: string): SkuMap {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(
      `essendant.skuMapFile ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}); check the path`,
    );
  }
  return parseSkuMap(text, file);
}
