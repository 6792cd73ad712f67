import { randomBytes, randomInt } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, IntegrationError } from "../../app/errors.js";
import { privateDirectory, publishIfAbsent, removeDurably, writeFileAtomic } from "../files/durable-file.js";
import { EnvelopeAuthenticationError, open, type SymmetricKey, seal } from "./aes-gcm.envelope.js";
import type { KeyEncryptionKey } from "./key-file.js";

/** A data key: encrypts the PII whose deadline falls on `day` (UTC, YYYY-MM-DD). */
export interface DataKey extends SymmetricKey {
  readonly day: string;
}

export type KeyLookup =
  | { readonly kind: "live"; readonly key: DataKey }
  | { readonly kind: "shredded"; readonly day: string; readonly at: string }
  | { readonly kind: "missing" };

/** `<day>.key`: the day's live data key, wrapped by a key-encryption key. */
interface KeyEntry {
  readonly version: 1;
  readonly id: number;
  readonly day: string;
  /** Which key-encryption key wrapped it (see kekOf). */
  readonly kek: string;
  readonly wrapped: string;
}

/** `<day>.<id>.shredded`: a destroyed key's tombstone, so a value under it reads as purged, not lost. */
interface Tombstone {
  readonly id: number;
  readonly day: string;
  readonly at: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const hex = (id: number) => id.toString(16).padStart(8, "0");

function wrapContext(day: string, kek: KeyEncryptionKey): string {
  return `data-key|${day}|${kek.id}`;
}

/**
 * The data keys, one per deadline day, each in its own small file in a 0700 directory outside the
 * database (docs/adr/0005): a backup of the database carries ciphertext but no key, and deleting a
 * day's file destroys that day's PII in every copy at once. Several processes may share the
 * directory: a new key is published with a no-clobber link, and a cached key is re-checked
 * against its file before it encrypts anything.
 */
export class FileKeyRing {
  readonly #dir: string;
  /** The first wraps new keys; the others only unwrap (an interrupted rotation). */
  readonly #keks: readonly KeyEncryptionKey[];
  readonly #byId = new Map<number, { key: DataKey; ino: number }>();
  /** Keys checked against their files since the last `beginWrite` (see there). */
  readonly #checked = new Map<string, DataKey>();

  private constructor(dir: string, keks: readonly KeyEncryptionKey[]) {
    this.#dir = dir;
    this.#keks = keks;
  }

  /** Opens the ring, unwrapping every live key now so a wrong key file stops start-up, not a later read. */
  static open(dir: string, keks: readonly KeyEncryptionKey[]): FileKeyRing {
    privateDirectory(dir);
    const ring = new FileKeyRing(dir, keks);
    for (const name of fs.readdirSync(dir)) if (name.endsWith(".key")) ring.#load(name);
    return ring;
  }

  get directory(): string {
    return this.#dir;
  }

  /**
   * Starts a write transaction: from now on a key is checked against its file once, on first use,
   * and trusted until the next call. The caller holds the database's write lock until its commit, and
   * a purge (the only thing that destroys a live key) takes that lock before it destroys any, so a
   * key found live at first use stays live until the values sealed under it are committed.
   */
  beginWrite(): void {
    this.#checked.clear();
  }

  /** The live key for `day`, created if the day has none. */
  forDay(day: string): DataKey {
    const checked = this.#checked.get(day);
    if (checked) return checked;
    if (!DAY.test(day)) throw new Error(`not a UTC day: ${day}`);
    const file = this.#file(day);
    for (let attempt = 0; attempt < 3; attempt++) {
      const ino = inode(file);
      if (ino !== undefined) {
        const key = this.#cachedFor(day, ino) ?? this.#load(path.basename(file));
        if (!key) continue;
        this.#checked.set(day, key);
        return key;
      }
      const key: DataKey = { id: this.#freshId(), day, key: randomBytes(32) };
      if (publishIfAbsent(file, this.#wrap(key, this.#primary()))) {
        const created = inode(file);
        if (created !== undefined) {
          this.#byId.set(key.id, { key, ino: created });
          this.#checked.set(day, key);
        }
        return key;
      }
    }
    throw new IntegrationError("KEY_RING_BUSY", `could not obtain the data key for ${day}`, true);
  }

  /** The key with this id: live, destroyed by a purge (and when), or unknown to this ring. */
  lookup(id: number): KeyLookup {
    const cached = this.#byId.get(id);
    if (cached) return { kind: "live", key: cached.key };
    for (const name of fs.readdirSync(this.#dir)) {
      if (name.endsWith(`.${hex(id)}.shredded`)) {
        const t = JSON.parse(fs.readFileSync(path.join(this.#dir, name), "utf8")) as Tombstone;
        return { kind: "shredded", day: t.day, at: t.at };
      }
      if (name.endsWith(".key")) {
        const loaded = this.#load(name);
        if (loaded?.id === id) return { kind: "live", key: loaded };
      }
    }
    return { kind: "missing" };
  }

  /** The days that have a live key, oldest first. */
  liveDays(): string[] {
    return fs
      .readdirSync(this.#dir)
      .filter((n) => n.endsWith(".key"))
      .map((n) => n.slice(0, -".key".length))
      .filter((d) => DAY.test(d))
      .sort();
  }

  /**
   * Destroys the live key of each day given: a tombstone first (so what it sealed reads as purged),
   * then the key file, each change fsynced. Returns how many keys were destroyed.
   */
  shred(days: readonly string[], at: string): number {
    let destroyed = 0;
    for (const day of days) {
      this.#checked.delete(day);
      const file = this.#file(day);
      const entry = this.#readEntry(file);
      if (!entry) continue;
      const tombstone: Tombstone = { id: entry.id, day, at };
      publishIfAbsent(
        path.join(this.#dir, `${day}.${hex(entry.id)}.shredded`),
        Buffer.from(`${JSON.stringify(tombstone)}\n`),
      );
      removeDurably(file);
      const cached = this.#byId.get(entry.id);
      cached?.key.key.fill(0);
      this.#byId.delete(entry.id);
      destroyed++;
    }
    return destroyed;
  }

  /** Re-wraps every live key under `kek` (each file replaced atomically); returns how many were re-wrapped. */
  rewrap(kek: KeyEncryptionKey): number {
    let count = 0;
    for (const day of this.liveDays()) {
      const file = this.#file(day);
      const entry = this.#readEntry(file);
      if (!entry) continue;
      const key = this.#unwrap(entry, file);
      if (entry.kek !== kek.id) writeFileAtomic(file, this.#wrap(key, kek));
      count++;
    }
    return count;
  }

  /** Zeroes the cached keys (best effort in JavaScript). */
  close(): void {
    for (const { key } of this.#byId.values()) key.key.fill(0);
    this.#byId.clear();
    this.#checked.clear();
  }

  /** The cached key of `day` loaded from the file that now has inode `ino`. */
  #cachedFor(day: string, ino: number): DataKey | undefined {
    for (const cached of this.#byId.values())
      if (cached.key.day === day && cached.ino === ino) return cached.key;
    return undefined;
  }

  #primary(): KeyEncryptionKey {
    const kek = this.#keks[0];
    if (!kek) throw new Error("a key ring needs a key-encryption key");
    return kek;
  }

  #file(day: string): string {
    return path.join(this.#dir, `${day}.key`);
  }

  #freshId(): number {
    const taken = new Set(
      fs.readdirSync(this.#dir).flatMap((n) => {
        const m = /\.([0-9a-f]{8})\.shredded$/.exec(n);
        return m?.[1] ? [Number.parseInt(m[1], 16)] : [];
      }),
    );
    for (const id of this.#byId.keys()) taken.add(id);
    for (;;) {
      const id = randomInt(1, 0xffffffff);
      if (!taken.has(id)) return id;
    }
  }

  #readEntry(file: string): KeyEntry | undefined {
    try {
      return JSON.parse(fs.readFileSync(file, "utf8")) as KeyEntry;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new IntegrationError("PII_INTEGRITY_ERROR", `key ring file ${file} is unreadable`, false);
    }
  }

  #load(name: string): DataKey | undefined {
    const file = path.join(this.#dir, name);
    const ino = inode(file);
    const entry = this.#readEntry(file);
    if (!entry || ino === undefined) return undefined;
    const key = this.#unwrap(entry, file);
    this.#byId.set(entry.id, { key, ino });
    return key;
  }

  #wrap(key: DataKey, kek: KeyEncryptionKey): Buffer {
    const wrapped = seal({ id: key.id, key: kek.key }, key.key, wrapContext(key.day, kek));
    const entry: KeyEntry = {
      version: 1,
      id: key.id,
      day: key.day,
      kek: kek.id,
      wrapped: wrapped.toString("base64"),
    };
    return Buffer.from(`${JSON.stringify(entry)}\n`);
  }

  #unwrap(entry: KeyEntry, file: string): DataKey {
    const kek = this.#keks.find((k) => k.id === entry.kek);
    if (!kek) {
      const primary = this.#primary();
      throw new ConfigError(
        `data key file ${file} is wrapped by key-encryption key ${entry.kek}, but storage.keyFile ${primary.file} holds key ${primary.id}; ` +
          "point storage.keyFile at the key file the data keys were wrapped with (after `fulfillment keys rotate --new-key-file FILE`, that is FILE), or rerun an interrupted `fulfillment keys rotate`",
      );
    }
    try {
      const key = open(
        { id: entry.id, key: kek.key },
        Buffer.from(entry.wrapped, "base64"),
        wrapContext(entry.day, kek),
      );
      return { id: entry.id, day: entry.day, key };
    } catch (error) {
      if (!(error instanceof EnvelopeAuthenticationError)) throw error;
      throw new IntegrationError("PII_INTEGRITY_ERROR", `data key file ${file} failed authentication`, false);
    }
  }
}

function inode(file: string): number | undefined {
  try {
    return fs.statSync(file).ino;
  } catch {
    return undefined;
  }
}
