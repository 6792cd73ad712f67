import * as fs from "node:fs";
import * as path from "node:path";
import type { Config } from "../../app/config/config.js";
import { ConfigError } from "../../app/errors.js";
import { syncDirectory } from "../files/durable-file.js";
import { FileKeyRing } from "./file.key-ring.js";
import { createKeyFile, type KeyEncryptionKey, readKeyFile } from "./key-file.js";

type Storage = Config["storage"];

/** The data keys live beside the database but never inside it (docs/adr/0005). */
export function keyRingDirectory(storage: Storage): string {
  return path.join(storage.dataDir, "keyring");
}

function liveDataKeys(storage: Storage): number {
  const dir = keyRingDirectory(storage);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith(".key")).length : 0;
}

/** Where a rotation stages its new key-encryption key until every data key is re-wrapped. */
const staging = (file: string) => `${file}.rotating`;

export function requireKeyFile(storage: Storage): string {
  if (!storage.keyFile) {
    throw new ConfigError(
      'storage.keyFile is required by the sqlite store (it encrypts the ship-to); add "keyFile": "/etc/fulfillment/data.key" to storage and run `fulfillment keys init`',
    );
  }
  return storage.keyFile;
}

/**
 * The key ring the store uses: the key file must exist with mode 0600 (the demo may create it,
 * `storage.createKeyFileIfMissing`), and a rotation interrupted in place is picked up.
 */
export function openKeyRing(storage: Storage): FileKeyRing {
  const file = requireKeyFile(storage);
  const create = storage.createKeyFileIfMissing && !fs.existsSync(file) && liveDataKeys(storage) === 0;
  const kek = create ? createKeyFile(file) : readKeyFile(file);
  const keks = [kek];
  if (fs.existsSync(staging(file))) keks.push(readKeyFile(staging(file)));
  return FileKeyRing.open(keyRingDirectory(storage), keks);
}

/** `keys init`: a new key file; refused over an existing one or beside data keys it would orphan. */
export function initKeyFile(storage: Storage): { file: string } {
  const file = requireKeyFile(storage);
  const orphans = liveDataKeys(storage);
  if (!fs.existsSync(file) && orphans > 0) {
    throw new ConfigError(
      `the key ring ${keyRingDirectory(storage)} holds ${orphans} data keys wrapped by a key file that is missing; restore that file to ${file} instead of creating a new one`,
    );
  }
  const kek = createKeyFile(file);
  kek.key.fill(0);
  return { file };
}

/**
 * `keys rotate`: a new key-encryption key, staged in `<target>.rotating`, wraps every data key
 * (each key file replaced atomically), is verified to open them all, then is renamed into place.
 * Data is not re-encrypted. Interrupted, it resumes on the next run with the staged key.
 */
export function rotateKeyFile(storage: Storage, newKeyFile?: string): { file: string; dataKeys: number } {
  const file = requireKeyFile(storage);
  const target = newKeyFile ? path.resolve(newKeyFile) : file;
  if (target !== file && fs.existsSync(target)) {
    throw new ConfigError(`--new-key-file ${target} already exists; name a file that does not exist yet`);
  }
  const keks: KeyEncryptionKey[] = [];
  try {
    const current = readKeyFile(file);
    const next = fs.existsSync(staging(target))
      ? readKeyFile(staging(target))
      : createKeyFile(staging(target));
    keks.push(next, current);
    // An in-place rotation interrupted earlier left data keys wrapped by its staged key.
    if (target !== file && fs.existsSync(staging(file))) keks.push(readKeyFile(staging(file)));
    const ring = FileKeyRing.open(keyRingDirectory(storage), keks);
    const dataKeys = ring.rewrap(next);
    ring.close();
    FileKeyRing.open(keyRingDirectory(storage), [next]).close();
    fs.renameSync(staging(target), target);
    syncDirectory(path.dirname(target));
    return { file: target, dataKeys };
  } finally {
    for (const kek of keks) kek.key.fill(0);
  }
}
