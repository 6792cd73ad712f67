import type { ServiceIdentifier } from "inversify";

export interface QuarantineEntry {
  /** The name the file had on the supplier's server (it may be hostile: never used as a path as-is). */
  readonly fileName: string;
  /** A stable code: INVALID_JSON, SCHEMA_VIOLATION, UNSAFE_NAME, TOO_LARGE … */
  readonly reason: string;
  /** Names the offending field or limit, never a value. */
  readonly detail: string;
  /** The file's bytes when they were read; absent for entries refused unread (too large, symlink, hostile name). */
  readonly bytes?: Uint8Array;
  readonly at: string;
}

export interface QuarantinedFile {
  readonly id: string;
  readonly fileName: string;
  readonly reason: string;
  readonly detail: string;
  readonly sha256?: string;
  readonly size?: number;
  readonly at: string;
}

/**
 * A local copy of every inbound file that was refused, with its reason, for the administrator to
 * inspect after the file left the supplier's server for its errors folder.
 */
export interface Quarantine {
  /** Keeps the entry; never overwrites an earlier one, even of the same name. */
  keep(entry: QuarantineEntry): QuarantinedFile;
  /** Everything kept, oldest first. */
  list(): QuarantinedFile[];
}
export const Quarantine: ServiceIdentifier<Quarantine> = Symbol.for("Quarantine");
