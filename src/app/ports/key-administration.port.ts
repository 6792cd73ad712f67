import type { ServiceIdentifier } from "inversify";

/**
 * The administrator's operations on the keys that protect stored PII (`fulfillment keys …`).
 * Bound only by stores that encrypt; both throw ConfigError for a problem the administrator fixes.
 */
export interface KeyAdministration {
  /** Creates the key-encryption key file (`storage.keyFile`, 0600 in a 0700 directory); refuses an existing one. */
  init(): { readonly file: string };
  /**
   * Wraps every data key under a new key-encryption key, written over `storage.keyFile` or to
   * `newKeyFile` (which must not exist). Nothing is re-encrypted and nothing is lost; an
   * interrupted rotation resumes when run again.
   */
  rotate(newKeyFile?: string): { readonly file: string; readonly dataKeys: number };
}
export const KeyAdministration: ServiceIdentifier<KeyAdministration> = Symbol.for("KeyAdministration");
