import * as fs from "node:fs";
import * as path from "node:path";
// @ts-types="@types/better-sqlite3"
import Database from "better-sqlite3";
import type { Config } from "../../app/config/config.js";
import { IntegrationError } from "../../app/errors.js";
import type { BackupFile, Backups } from "../../app/ports/backups.port.js";
import { openBackup, sealBackup } from "../crypto/backup-cipher.js";
import { requireKeyFile } from "../crypto/key-custody.js";
import { type KeyEncryptionKey, readKeyFile } from "../crypto/key-file.js";
import { privateDirectory, removeDurably, writeFileAtomic } from "../files/durable-file.js";
import { MIGRATIONS } from "./migrations.js";
import { DATABASE_FILE } from "./sqlite.database.js";

/** What the backups need from the plugin's one connection. */
export interface BackupSource {
  /** The whole database as it stands in one read transaction (`db.serialize()`): in memory, no file. */
  snapshot(): Buffer;
  /** Closes the store and its connection, if this process opened them. */
  release(): void;
}

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "ascii");

/** `fulfillment-YYYYMMDDTHHMMSSZ.backup`, the name the retention job dates backups by. */
export function backupName(at: Date): string {
  return `fulfillment-${at
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "")}.backup`;
}

/**
 * Encrypted backups of the SQLite store (backup-cipher.ts). The snapshot is `serialize()`d into
 * memory and encrypted before anything is written, so no plaintext copy ever touches the disk;
 * the key ring stays out, so PII purged since a backup stays purged when it is restored.
 */
export class SqliteBackups implements Backups {
  constructor(
    private readonly storage: Config["storage"],
    private readonly source: BackupSource,
  ) {}

  create(now: Date): BackupFile {
    const image = this.source.snapshot();
    let sealed: Buffer;
    const kek = this.kek();
    try {
      sealed = sealBackup(kek, image, now);
    } finally {
      image.fill(0);
      kek.key.fill(0);
    }
    const file = path.join(this.storage.backupDir, backupName(now));
    try {
      privateDirectory(this.storage.backupDir);
      writeFileAtomic(file, sealed, 0o600);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "EIO";
      throw new IntegrationError("BACKUP_FAILED", `could not write ${file} (${code})`, true);
    }
    return { file, bytes: sealed.length, createdAt: now.toISOString() };
  }

  restore(file: string): { createdAt: string } {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "EIO";
      throw new IntegrationError("BACKUP_UNREADABLE", `cannot read ${file} (${code})`, false);
    }
    const kek = this.kek();
    let opened: { image: Buffer; createdAt: Date };
    try {
      opened = openBackup(kek, bytes, file);
    } finally {
      kek.key.fill(0);
    }
    const { image, createdAt } = opened;
    try {
      checkImage(image, file);
      this.source.release();
      const target = path.join(this.storage.dataDir, DATABASE_FILE);
      privateDirectory(this.storage.dataDir);
      // A WAL left beside the old file would be replayed into the restored one: it goes first.
      removeDurably(`${target}-wal`);
      removeDurably(`${target}-shm`);
      writeFileAtomic(target, image, 0o600);
    } finally {
      image.fill(0);
    }
    return { createdAt: createdAt.toISOString() };
  }

  private kek(): KeyEncryptionKey {
    return readKeyFile(requireKeyFile(this.storage));
  }
}

/**
 * Opens the image in memory and runs `PRAGMA integrity_check`; refuses one that fails, is not this
 * program's database, or has a schema newer than this release knows.
 */
function checkImage(image: Buffer, file: string): void {
  const refuse = (why: string) =>
    new IntegrationError(
      "BACKUP_INTEGRITY_FAILED",
      `${file} decrypted, but ${why}; it is not restored`,
      false,
    );
  if (!image.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER))
    throw refuse("it holds no SQLite database");
  // An in-memory database cannot be in WAL mode: mark the image as a rollback-journal file
  // (header bytes 18 and 19); opening the restored file switches it back to WAL.
  image[18] = 1;
  image[19] = 1;
  let db: Database.Database | undefined;
  let version: number;
  try {
    db = new Database(image);
    const result = db.pragma("integrity_check") as { integrity_check: string }[];
    if (result.length !== 1 || result[0]?.integrity_check !== "ok")
      throw refuse("its integrity check failed");
    const hasOrders = db
      .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'orders'")
      .get();
    if (!hasOrders) throw refuse("it is not a fulfillment database");
    version =
      (db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null }).v ?? 0;
  } catch (error) {
    if (error instanceof IntegrationError) throw error;
    throw refuse(`it is damaged (${(error as { code?: string }).code ?? "SQLITE_ERROR"})`);
  } finally {
    db?.close();
  }
  if (version > MIGRATIONS.length) {
    throw new IntegrationError(
      "BACKUP_TOO_NEW",
      `${file} holds schema version ${version}, but this release knows only up to ${MIGRATIONS.length}; restore it with a newer release`,
      false,
    );
  }
}
