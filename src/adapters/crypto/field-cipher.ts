import { IntegrationError } from "../../app/errors.js";
import { EnvelopeAuthenticationError, envelopeKeyId, open, seal } from "./aes-gcm.envelope.js";
import type { FileKeyRing } from "./file.key-ring.js";

export interface Sealed {
  readonly keyId: number;
  readonly envelope: Buffer;
}

export type Unsealed =
  | { readonly kind: "plain"; readonly bytes: Buffer }
  /** Its data key was destroyed by a purge: the value is gone for good. */
  | { readonly kind: "shredded"; readonly at: string };

/**
 * Field encryption for PII: each value sealed under the data key of the day its PII deadline falls
 * on, bound to `context` (which row and field). A value that fails authentication, or whose key the
 * ring never held, is an integrity error: never a fallback to anything readable. Logs nothing.
 */
export class FieldCipher {
  readonly #ring: FileKeyRing;

  constructor(ring: FileKeyRing) {
    this.#ring = ring;
  }

  /** Starts a write transaction; see FileKeyRing.beginWrite. */
  beginWrite(): void {
    this.#ring.beginWrite();
  }

  seal(day: string, context: string, plaintext: Uint8Array): Sealed {
    const key = this.#ring.forDay(day);
    return { keyId: key.id, envelope: seal(key, plaintext, context) };
  }

  /** `what` names the value in error messages (an order id or file name, never content). */
  open(envelope: Uint8Array, context: string, what: string): Unsealed {
    const id = envelopeKeyId(envelope);
    if (id === undefined) throw integrityError(what);
    const found = this.#ring.lookup(id);
    if (found.kind === "shredded") return { kind: "shredded", at: found.at };
    if (found.kind === "missing") {
      throw new IntegrationError(
        "PII_KEY_MISSING",
        `${what} is sealed under data key ${id.toString(16).padStart(8, "0")}, which the key ring ${this.#ring.directory} does not hold`,
        false,
      );
    }
    try {
      return { kind: "plain", bytes: open(found.key, envelope, context) };
    } catch (error) {
      if (error instanceof EnvelopeAuthenticationError) throw integrityError(what);
      throw error;
    }
  }

  /** The deadline day a key serves, while the key is live. */
  dayOf(keyId: number): string | undefined {
    const found = this.#ring.lookup(keyId);
    return found.kind === "live" ? found.key.day : undefined;
  }

  /** Destroys the keys of `days` (crypto-shredding); returns how many. */
  shred(days: readonly string[], at: string): number {
    return this.#ring.shred(days, at);
  }

  liveDays(): string[] {
    return this.#ring.liveDays();
  }

  close(): void {
    this.#ring.close();
  }
}

function integrityError(what: string): IntegrationError {
  return new IntegrationError(
    "PII_INTEGRITY_ERROR",
    `${what} failed authentication: the stored ciphertext was altered or moved; it is not read`,
    false,
  );
}
