import type { ServiceIdentifier } from "inversify";

export type IntegrityReport =
  | { readonly kind: "ok" }
  | { readonly kind: "no-database" }
  /** `problems` are the storage engine's own findings (page and table numbers), never row contents. */
  | { readonly kind: "damaged"; readonly problems: readonly string[] };

/** A health check of the stored data that changes nothing (for `config check`). */
export interface StoreIntegrity {
  /** Checks the existing database read-only; "no-database" before the first start. */
  check(): IntegrityReport;
}
export const StoreIntegrity: ServiceIdentifier<StoreIntegrity> = Symbol.for("StoreIntegrity");
