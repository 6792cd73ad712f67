import type { ServiceIdentifier } from "inversify";

export interface BackupFile {
  /** Absolute path of the encrypted backup. */
  readonly file: string;
  readonly bytes: number;
  /** When the snapshot was taken (ISO instant). */
  readonly createdAt: string;
}

/**
 * Encrypted snapshots of the store. A backup never holds the keys that protect the PII inside it,
 * so PII purged after it was taken stays unreadable when it is restored (docs/adr/0005).
 */
export interface Backups {
  /**
   * Writes a consistent, encrypted snapshot of the whole store into `storage.backupDir` (directory
   * 0700, file 0600, temp + fsync + rename); no plaintext copy touches the disk. Throws
   * IntegrationError (BACKUP_FAILED, retryable) when it cannot.
   */
  create(now: Date): BackupFile;
  /**
   * Replaces the store's data with the backup in `file`, once it authenticates and its snapshot
   * passes an integrity check; the store is closed first and must not be in use by another process
   * (the caller holds the instance lock). A refused file leaves the data untouched and throws
   * IntegrationError (BACKUP_UNREADABLE, BACKUP_AUTHENTICATION_FAILED, BACKUP_WRONG_KEY,
   * BACKUP_INTEGRITY_FAILED, BACKUP_TOO_NEW; not retryable).
   */
  restore(file: string): { readonly createdAt: string };
}
export const Backups: ServiceIdentifier<Backups> = Symbol.for("Backups");
