import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../../app/errors.js";
import { publishIfAbsent, syncDirectory } from "../files/durable-file.js";

/** The key-encryption key: 32 random bytes, raw, alone in a 0600 file (systemd LoadCredential takes it as is). */
export const KEK_BYTES = 32;

export interface KeyEncryptionKey {
  /** A short public name for the key (a truncated hash), recorded beside what it wraps. */
  readonly id: string;
  readonly key: Buffer;
  readonly file: string;
}

export function kekOf(key: Buffer, file: string): KeyEncryptionKey {
  const id = createHash("sha256").update("fulfillment key-encryption key id\0").update(key).digest("hex");
  return { id: id.slice(0, 16), key, file };
}

/**
 * Reads the key file, refusing (ConfigError, exit 2) a missing file, one that group or others may
 * read, and one that is not 32 bytes; each message names the file and the fix.
 */
export function readKeyFile(file: string): KeyEncryptionKey {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new ConfigError(
      `storage.keyFile ${file} does not exist; create it with \`fulfillment keys init\` (or restore the key file the data was encrypted with)`,
    );
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new ConfigError(
      `storage.keyFile ${file} is readable by group or others; run \`chmod 600 ${file}\``,
    );
  }
  const key = fs.readFileSync(file);
  if (key.length !== KEK_BYTES) {
    key.fill(0);
    throw new ConfigError(
      `storage.keyFile ${file} is not a key file (${KEK_BYTES} bytes expected); create one with \`fulfillment keys init\``,
    );
  }
  return kekOf(key, file);
}

/**
 * Creates a new key file with fresh random bytes: mode 0600, its directory created 0700 if missing.
 * Refuses (ConfigError) to overwrite an existing file: that would make every wrapped data key unreadable.
 */
export function createKeyFile(file: string): KeyEncryptionKey {
  const dir = path.dirname(file);
  if (fs.mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined) {
    fs.chmodSync(dir, 0o700);
    syncDirectory(path.dirname(dir));
  }
  const key = randomBytes(KEK_BYTES);
  if (!publishIfAbsent(file, key, 0o600)) {
    throw new ConfigError(
      `key file ${file} already exists; refusing to overwrite it (the data keys it wraps would become unreadable). Use \`fulfillment keys rotate\` to replace it`,
    );
  }
  return kekOf(key, file);
}
