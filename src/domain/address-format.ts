import type { ShipToFields } from "./ship-to.js";

/** Field widths of the Essendant Address (common.schema.json#/$defs/Address). */
export const ADDRESS_WIDTH = { name: 35, company: 35, line: 35, city: 30 } as const;

export interface EssendantAddress {
  readonly name: string;
  readonly company?: string;
  readonly line1: string;
  readonly line2?: string;
  readonly line3?: string;
  readonly city: string;
  readonly state: string;
  readonly postalCode: string;
  readonly country: "US";
  readonly residential?: boolean;
}

export type AddressProblem = "MISSING_ADDRESS" | "NON_US_ADDRESS" | "ADDRESS_INVALID" | "ADDRESS_TOO_LONG";

export type FormattedAddress =
  | { readonly ok: true; readonly address: EssendantAddress }
  | { readonly ok: false; readonly problem: AddressProblem; readonly field?: string };

const US_STATES: Readonly<Record<string, string>> = {
  ALABAMA: "AL",
  ALASKA: "AK",
  ARIZONA: "AZ",
  ARKANSAS: "AR",
  CALIFORNIA: "CA",
  COLORADO: "CO",
  CONNECTICUT: "CT",
  DELAWARE: "DE",
  "DISTRICT OF COLUMBIA": "DC",
  FLORIDA: "FL",
  GEORGIA: "GA",
  HAWAII: "HI",
  IDAHO: "ID",
  ILLINOIS: "IL",
  INDIANA: "IN",
  IOWA: "IA",
  KANSAS: "KS",
  KENTUCKY: "KY",
  LOUISIANA: "LA",
  MAINE: "ME",
  MARYLAND: "MD",
  MASSACHUSETTS: "MA",
  MICHIGAN: "MI",
  MINNESOTA: "MN",
  MISSISSIPPI: "MS",
  MISSOURI: "MO",
  MONTANA: "MT",
  NEBRASKA: "NE",
  NEVADA: "NV",
  "NEW HAMPSHIRE": "NH",
  "NEW JERSEY": "NJ",
  "NEW MEXICO": "NM",
  "NEW YORK": "NY",
  "NORTH CAROLINA": "NC",
  "NORTH DAKOTA": "ND",
  OHIO: "OH",
  OKLAHOMA: "OK",
  OREGON: "OR",
  PENNSYLVANIA: "PA",
  "RHODE ISLAND": "RI",
  "SOUTH CAROLINA": "SC",
  "SOUTH DAKOTA": "SD",
  TENNESSEE: "TN",
  TEXAS: "TX",
  UTAH: "UT",
  VERMONT: "VT",
  VIRGINIA: "VA",
  WASHINGTON: "WA",
  "WEST VIRGINIA": "WV",
  WISCONSIN: "WI",
  WYOMING: "WY",
  "PUERTO RICO": "PR",
  GUAM: "GU",
  "VIRGIN ISLANDS": "VI",
  "ARMED FORCES AMERICAS": "AA",
  "ARMED FORCES EUROPE": "AE",
  "ARMED FORCES PACIFIC": "AP",
};
const STATE_CODES = new Set(Object.values(US_STATES));

/** ASCII upper case: accents dropped (É → E), other non-ASCII removed, whitespace collapsed. */
export function toAsciiUpper(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "SS")
    .replace(/[^\x20-\x7e]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .toUpperCase();
}

/** Splits text into lines of at most `width` characters at spaces; a word longer than a line is split. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ").filter(Boolean)) {
    let rest = word;
    while (rest.length > width) {
      if (current) {
        lines.push(current);
        current = "";
      }
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    if (!current) current = rest;
    else if (current.length + 1 + rest.length <= width) current = `${current} ${rest}`;
    else {
      lines.push(current);
      current = rest;
    }
  }
  if (current) lines.push(current);
  return lines;
}

/** Street lines fitted into line1..line3: a long line continues on the next instead of being cut. */
function streetLines(lines: readonly string[]): string[] | undefined {
  const wrapped = lines.flatMap((l) => wrap(l, ADDRESS_WIDTH.line));
  if (wrapped.length <= 3) return wrapped;
  const filled = wrap(lines.join(" "), ADDRESS_WIDTH.line);
  return filled.length <= 3 ? filled : undefined;
}

function postalCode(raw: string): string | undefined {
  const digits = raw.replace(/[^0-9]/g, "");
  if (digits.length === 5) return digits;
  if (digits.length === 9) return `${digits.slice(0, 5)}-${digits.slice(5)}`;
  return undefined;
}

function stateCode(raw: string): string | undefined {
  const upper = toAsciiUpper(raw).replace(/\./g, "");
  if (STATE_CODES.has(upper)) return upper;
  return US_STATES[upper];
}

/**
 * Turns an Amazon ship-to into the Essendant address: ASCII upper case, cut to the field widths,
 * long street lines continued on line2/line3. No phone and no e-mail are ever sent.
 */
export function formatAddress(shipTo: ShipToFields | undefined): FormattedAddress {
  if (!shipTo) return { ok: false, problem: "MISSING_ADDRESS" };
  if (toAsciiUpper(shipTo.countryCode) !== "US") return { ok: false, problem: "NON_US_ADDRESS" };
  const name = toAsciiUpper(shipTo.name).slice(0, ADDRESS_WIDTH.name).trim();
  const city = toAsciiUpper(shipTo.city).slice(0, ADDRESS_WIDTH.city).trim();
  const state = stateCode(shipTo.stateOrRegion);
  const zip = postalCode(shipTo.postalCode);
  const street = [shipTo.line1, shipTo.line2, shipTo.line3].map((l) => toAsciiUpper(l ?? "")).filter(Boolean);
  if (!name) return { ok: false, problem: "ADDRESS_INVALID", field: "name" };
  if (!city) return { ok: false, problem: "ADDRESS_INVALID", field: "city" };
  if (!state) return { ok: false, problem: "ADDRESS_INVALID", field: "stateOrRegion" };
  if (!zip) return { ok: false, problem: "ADDRESS_INVALID", field: "postalCode" };
  if (street.length === 0) return { ok: false, problem: "ADDRESS_INVALID", field: "line1" };
  const lines = streetLines(street);
  if (!lines) return { ok: false, problem: "ADDRESS_TOO_LONG", field: "line1" };
  const company = toAsciiUpper(shipTo.company ?? "")
    .slice(0, ADDRESS_WIDTH.company)
    .trim();
  const [line1 = "", line2, line3] = lines;
  return {
    ok: true,
    address: {
      name,
      ...(company ? { company } : {}),
      line1,
      ...(line2 ? { line2 } : {}),
      ...(line3 ? { line3 } : {}),
      city,
      state,
      postalCode: zip,
      country: "US",
      ...(shipTo.addressType === "RESIDENTIAL" ? { residential: true } : {}),
      ...(shipTo.addressType === "COMMERCIAL" ? { residential: false } : {}),
    },
  };
}
