/**
 * The customer's delivery address: the only customer PII this system holds. Its fields live in a
 * private slot, and every accidental path to text (JSON, string conversion, Node's and Deno's
 * inspectors) yields a redacted marker, so a ship-to that slips into a log line or an error shows
 * nothing. Only `reveal()` gives the fields, and only the PO builder and `orders show --pii` call it.
 */
export type AddressType = "RESIDENTIAL" | "COMMERCIAL" | "PICKUP_POINT";

export interface ShipToFields {
  readonly name: string;
  readonly company?: string;
  readonly line1: string;
  readonly line2?: string;
  readonly line3?: string;
  readonly city: string;
  readonly stateOrRegion: string;
  readonly postalCode: string;
  readonly countryCode: string;
  readonly addressType?: AddressType;
}

export const REDACTED_SHIP_TO = "[ship-to redacted]";

export class ShipTo {
  readonly #fields: ShipToFields;

  private constructor(fields: ShipToFields) {
    this.#fields = Object.freeze({ ...fields });
  }

  static of(fields: ShipToFields): ShipTo {
    return new ShipTo(fields);
  }

  /** The plain fields. Callers must not log or persist them in plaintext outside the store. */
  reveal(): ShipToFields {
    return this.#fields;
  }

  toJSON(): string {
    return REDACTED_SHIP_TO;
  }

  toString(): string {
    return REDACTED_SHIP_TO;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return REDACTED_SHIP_TO;
  }

  [Symbol.for("Deno.customInspect")](): string {
    return REDACTED_SHIP_TO;
  }
}
