import type { ServiceIdentifier } from "inversify";

/** Log files live in `storage.logDir`, encrypted backups in `storage.backupDir`. */
export type RetainedKind = "log" | "backup";

/** A file whose name carries the date it belongs to; the date is read from the name, never from mtime. */
export interface DatedFile {
  readonly kind: RetainedKind;
  readonly name: string;
  /**
   * UTC: the day's midnight for a log (`fulfillment-YYYY-MM-DD.log`, `audit-YYYY-MM-DD.log`), the
   * instant it was taken for a backup (`fulfillment-YYYYMMDDTHHMMSSZ.backup`).
   */
  readonly date: Date;
}

/**
 * The dated files the daily retention job may delete. Only files named by the patterns above are
 * listed; anything else in those directories is never listed, so never deleted.
 */
export interface RetentionFiles {
  /** The dated files of `kind`, oldest first; a directory that does not exist lists nothing. */
  list(kind: RetainedKind): DatedFile[];
  /** Deletes a listed file durably. Idempotent: a file already gone is not an error. */
  delete(file: DatedFile): void;
}
export const RetentionFiles: ServiceIdentifier<RetentionFiles> = Symbol.for("RetentionFiles");
