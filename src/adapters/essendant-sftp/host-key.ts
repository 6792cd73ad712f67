import { createHash, timingSafeEqual } from "node:crypto";

const PREFIX = "SHA256:";

/** The key's fingerprint as `ssh-keygen -lf` prints it: `SHA256:` + base64 of the blob's SHA-256, unpadded. */
export function fingerprintOf(keyBlob: Uint8Array): string {
  return PREFIX + createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "");
}

/** The 32 digest bytes of a `SHA256:…` fingerprint, or undefined when it is not one. */
export function fingerprintDigest(fingerprint: string): Buffer | undefined {
  if (!fingerprint.startsWith(PREFIX)) return undefined;
  const body = fingerprint.slice(PREFIX.length).replace(/=+$/, "");
  if (!/^[A-Za-z0-9+/]{43}$/.test(body)) return undefined;
  const digest = Buffer.from(body, "base64");
  return digest.length === 32 ? digest : undefined;
}

/** True when the presented key has the pinned fingerprint; compared in constant time. */
export function hostKeyMatches(keyBlob: Uint8Array, pinned: string): boolean {
  const want = fingerprintDigest(pinned);
  if (!want) return false;
  const got = createHash("sha256").update(keyBlob).digest();
  return timingSafeEqual(got, want);
}

/** Constant-time comparison of two fingerprints (either may carry base64 padding). */
export function sameFingerprint(a: string, b: string): boolean {
  const x = fingerprintDigest(a);
  const y = fingerprintDigest(b);
  return x !== undefined && y !== undefined && timingSafeEqual(x, y);
}
