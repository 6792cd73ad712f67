import { createCipheriv, createDecipheriv, randomFillSync } from "node:crypto";

/**
 * AES-256-GCM values in a versioned envelope: version (1 byte) | key id (4 bytes, big-endian) |
 * nonce (12) | ciphertext | tag (16). The header and a caller-given context (e.g.
 * `ship_to|<orderId>`) are the associated data, so a value moved to another row, field or key
 * fails authentication. A fresh random 96-bit nonce per value: with one data key per day the
 * count per key stays far below NIST SP 800-38D's 2^32 limit for random nonces.
 */
export const ENVELOPE_VERSION = 1;
const HEADER = 5;
const NONCE = 12;
const TAG = 16;

export interface SymmetricKey {
  readonly id: number;
  readonly key: Buffer;
}

/** The value's authentication failed: tampered, truncated, moved, or sealed under another key. */
export class EnvelopeAuthenticationError extends Error {
  constructor() {
    super("the encrypted value failed authentication");
    this.name = "EnvelopeAuthenticationError";
  }
}

function header(keyId: number): Buffer {
  const h = Buffer.alloc(HEADER);
  h.writeUInt8(ENVELOPE_VERSION, 0);
  h.writeUInt32BE(keyId, 1);
  return h;
}

/**
 * Random nonces drawn from the CSPRNG a few hundred at a time: a call per value cost more than the
 * encryption itself. Each is used once; a nonce is no secret (it is stored in the clear).
 */
const noncePool = Buffer.alloc(NONCE * 256);
let poolUsed = noncePool.length;

function freshNonce(): Buffer {
  if (poolUsed === noncePool.length) {
    randomFillSync(noncePool);
    poolUsed = 0;
  }
  const nonce = Buffer.from(noncePool.subarray(poolUsed, poolUsed + NONCE));
  poolUsed += NONCE;
  return nonce;
}

function aad(head: Buffer, context: string): Buffer {
  return Buffer.concat([head, Buffer.from(context, "utf8")]);
}

export function seal(key: SymmetricKey, plaintext: Uint8Array, context: string): Buffer {
  const head = header(key.id);
  const nonce = freshNonce();
  const cipher = createCipheriv("aes-256-gcm", key.key, nonce, { authTagLength: TAG });
  cipher.setAAD(aad(head, context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([head, nonce, body, cipher.getAuthTag()]);
}

/** The key id an envelope names, or undefined when it is not an envelope of a known version. */
export function envelopeKeyId(envelope: Uint8Array): number | undefined {
  if (envelope.length < HEADER + NONCE + TAG || envelope[0] !== ENVELOPE_VERSION) return undefined;
  return Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength).readUInt32BE(1);
}

/** The plaintext; throws EnvelopeAuthenticationError on any mismatch (never a partial result). */
export function open(key: SymmetricKey, envelope: Uint8Array, context: string): Buffer {
  const bytes = Buffer.from(envelope);
  if (envelopeKeyId(bytes) !== key.id) throw new EnvelopeAuthenticationError();
  const head = bytes.subarray(0, HEADER);
  const nonce = bytes.subarray(HEADER, HEADER + NONCE);
  const tag = bytes.subarray(bytes.length - TAG);
  const decipher = createDecipheriv("aes-256-gcm", key.key, nonce, { authTagLength: TAG });
  decipher.setAAD(aad(head, context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([
      decipher.update(bytes.subarray(HEADER + NONCE, bytes.length - TAG)),
      decipher.final(),
    ]);
  } catch {
    throw new EnvelopeAuthenticationError();
  }
}
