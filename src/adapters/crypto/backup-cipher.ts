import { hkdfSync, randomBytes } from "node:crypto";
import { IntegrationError } from "../../app/errors.js";
import { EnvelopeAuthenticationError, open, seal } from "./aes-gcm.envelope.js";
import type { KeyEncryptionKey } from "./key-file.js";

/**
 * An encrypted backup file: `FFBK` | format 1 (1 byte) | key-encryption key id (8) | salt (32) |
 * created-at ms (8, big-endian) | an AES-256-GCM envelope (aes-gcm.envelope.ts) of the database
 * image. The file's key is HKDF-SHA256(KEK, salt, "fulfillment-backup-v1"): a fresh key per file,
 * derived from `storage.keyFile` and never stored. The whole header is associated data, so no byte
 * of the file can change unnoticed. The key ring is never in a backup (docs/adr/0005).
 */
const MAGIC = Buffer.from("FFBK", "ascii");
const FORMAT = 1;
const KEK_ID = 8;
const SALT = 32;
const HEADER = MAGIC.length + 1 + KEK_ID + SALT + 8;
const INFO = "fulfillment-backup-v1";
/** The envelope's key id: the key is per file, so a constant names it. */
const FILE_KEY_ID = 1;

function fileKey(kek: KeyEncryptionKey, salt: Buffer): { id: number; key: Buffer } {
  return { id: FILE_KEY_ID, key: Buffer.from(hkdfSync("sha256", kek.key, salt, INFO, 32)) };
}

const context = (header: Buffer) => `${INFO}|${header.toString("hex")}`;

export function sealBackup(kek: KeyEncryptionKey, image: Uint8Array, createdAt: Date): Buffer {
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  header.writeUInt8(FORMAT, MAGIC.length);
  Buffer.from(kek.id, "hex").copy(header, MAGIC.length + 1);
  const salt = randomBytes(SALT);
  salt.copy(header, MAGIC.length + 1 + KEK_ID);
  header.writeBigUInt64BE(BigInt(createdAt.getTime()), HEADER - 8);
  const key = fileKey(kek, salt);
  try {
    return Buffer.concat([header, seal(key, image, context(header))]);
  } finally {
    key.key.fill(0);
  }
}

/**
 * The database image and when it was taken. Throws IntegrationError: BACKUP_UNREADABLE (not a backup
 * of this program), BACKUP_WRONG_KEY (made under another key file), BACKUP_AUTHENTICATION_FAILED
 * (altered or truncated). Never returns a partial image.
 */
export function openBackup(
  kek: KeyEncryptionKey,
  bytes: Buffer,
  name: string,
): { image: Buffer; createdAt: Date } {
  if (
    bytes.length < HEADER ||
    !bytes.subarray(0, MAGIC.length).equals(MAGIC) ||
    bytes[MAGIC.length] !== FORMAT
  ) {
    throw new IntegrationError(
      "BACKUP_UNREADABLE",
      `${name} is not a backup made by fulfillment (format ${FORMAT})`,
      false,
    );
  }
  const header = bytes.subarray(0, HEADER);
  const kekId = header.subarray(MAGIC.length + 1, MAGIC.length + 1 + KEK_ID).toString("hex");
  if (kekId !== kek.id) {
    throw new IntegrationError(
      "BACKUP_WRONG_KEY",
      `${name} was encrypted under key file ${kekId}, but storage.keyFile ${kek.file} holds key ${kek.id}; point storage.keyFile at the key file that was current when the backup was taken (after \`keys rotate\`, older backups need the old key file)`,
      false,
    );
  }
  const salt = header.subarray(MAGIC.length + 1 + KEK_ID, HEADER - 8);
  const createdAt = new Date(Number(header.readBigUInt64BE(HEADER - 8)));
  const key = fileKey(kek, Buffer.from(salt));
  try {
    return { image: open(key, bytes.subarray(HEADER), context(Buffer.from(header))), createdAt };
  } catch (error) {
    if (!(error instanceof EnvelopeAuthenticationError)) throw error;
    throw new IntegrationError(
      "BACKUP_AUTHENTICATION_FAILED",
      `${name} failed authentication: it was altered, truncated or damaged; it is not restored`,
      false,
    );
  } finally {
    key.key.fill(0);
  }
}
