import { createHash } from "node:crypto";

/**
 * Which entries of Essendant's drop folder are documents (spec/essendant README, "Download protocol").
 * Shared by every supplier gateway, so SFTP and the local folder judge names alike.
 */

/** Files still being written, or hidden: skipped without a word. */
export function isIgnoredInboundName(name: string): boolean {
  return name.startsWith(".") || /\.(tmp|part|filepart)$/i.test(name);
}

const SAFE = /^[A-Za-z0-9_.-]{1,200}$/;

/** A name outside the interface's alphabet, too long, or with `..` could escape a folder or a log line. */
export function isUnsafeInboundName(name: string): boolean {
  return !SAFE.test(name) || name.includes("..");
}

/** The name an unsafe entry gets when it is moved or copied: derived from its bytes, never from its text. */
export function safeNameFor(name: string): string {
  if (!isUnsafeInboundName(name)) return name;
  return `unsafe-name-${createHash("sha256").update(name, "utf8").digest("hex").slice(0, 16)}`;
}
