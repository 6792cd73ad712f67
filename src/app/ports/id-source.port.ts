import type { ServiceIdentifier } from "inversify";

/** Fresh identifiers (document ids); tests replace it to get repeatable documents. */
export interface IdSource {
  /** A new random UUID (version 4). */
  uuid(): string;
}
export const IdSource: ServiceIdentifier<IdSource> = Symbol.for("IdSource");
