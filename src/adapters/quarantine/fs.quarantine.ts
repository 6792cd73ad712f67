import { createHash, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { inject, injectable } from "inversify";
import type { Config } from "../../app/config/config.js";
import { AppConfig } from "../../app/config/config.token.js";
import type { Quarantine, QuarantinedFile, QuarantineEntry } from "../../app/ports/quarantine.port.js";

/**
 * Quarantine as files under `storage.dataDir/quarantine` (0700, files 0600): for each refused file a
 * `<id>.json` record and, when its bytes were read, `<id>.bytes` with exactly those bytes. Ids are
 * time-ordered and random, so a hostile name never becomes a path.
 */
@injectable()
export class FsQuarantine implements Quarantine {
  private readonly dir: string;
  /** Orders entries kept within the same millisecond by this process. */
  private sequence = 0;

  constructor(@inject(AppConfig) config: Config) {
    this.dir = path.join(config.storage.dataDir, "quarantine");
  }

  keep(entry: QuarantineEntry): QuarantinedFile {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.sequence += 1;
    const stamp = entry.at.replace(/[^0-9]/g, "").slice(0, 17);
    const id = `${stamp}-${String(this.sequence).padStart(6, "0")}-${randomUUID().slice(0, 8)}`;
    const record = quarantineRecord(id, entry);
    if (entry.bytes)
      fs.writeFileSync(path.join(this.dir, `${id}.bytes`), entry.bytes, { mode: 0o600, flag: "wx" });
    fs.writeFileSync(path.join(this.dir, `${id}.json`), `${JSON.stringify(record, null, 2)}\n`, {
      mode: 0o600,
      flag: "wx",
    });
    return record;
  }

  list(): QuarantinedFile[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => JSON.parse(fs.readFileSync(path.join(this.dir, name), "utf8")) as QuarantinedFile);
  }
}

/** What is recorded of a refused file: its name, reason and, when it was read, hash and size. */
export function quarantineRecord(id: string, entry: QuarantineEntry): QuarantinedFile {
  return {
    id,
    fileName: entry.fileName,
    reason: entry.reason,
    detail: entry.detail,
    at: entry.at,
    ...(entry.bytes
      ? { sha256: createHash("sha256").update(entry.bytes).digest("hex"), size: entry.bytes.length }
      : {}),
  };
}
