import * as fs from "node:fs";
import * as path from "node:path";

/** Makes a directory entry change (create, rename, unlink) survive a power cut. */
export function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function writeSynced(file: string, data: Uint8Array, mode: number, flag: "w" | "wx"): void {
  const fd = fs.openSync(file, flag, mode);
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(file, mode);
}

function tempName(file: string): string {
  return `${file}.${process.pid}.${Date.now()}.tmp`;
}

/** Replaces `file` whole: temp file, fsync, rename, fsync of the directory (never a torn file). */
export function writeFileAtomic(file: string, data: Uint8Array, mode = 0o600): void {
  const temp = tempName(file);
  writeSynced(temp, data, mode, "wx");
  fs.renameSync(temp, file);
  syncDirectory(path.dirname(file));
}

/**
 * Creates `file` with `data` only if no file has that name, atomically (a hard link fails on an
 * existing name), so two processes racing to create it agree on one content. True if created.
 */
export function publishIfAbsent(file: string, data: Uint8Array, mode = 0o600): boolean {
  const temp = tempName(file);
  writeSynced(temp, data, mode, "wx");
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    fs.unlinkSync(temp);
    syncDirectory(path.dirname(file));
  }
}

/** Deletes `file` (if present) and makes the deletion durable. */
export function removeDurably(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  syncDirectory(path.dirname(file));
}

/** A directory only its owner may enter, whatever the umask. */
export function privateDirectory(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}
