import { createHash } from "node:crypto";
import type { Quarantine, QuarantinedFile, QuarantineEntry } from "../../../src/app/ports/quarantine.port.js";

/** The quarantine in memory; keeps copies of the bytes so a caller's later change cannot alter them. */
export class MemoryQuarantine implements Quarantine {
  readonly bytes = new Map<string, Uint8Array>();
  private readonly kept: QuarantinedFile[] = [];

  keep(entry: QuarantineEntry): QuarantinedFile {
    const id = `${entry.at.replace(/[^0-9]/g, "").slice(0, 17)}-${String(this.kept.length).padStart(8, "0")}`;
    const record: QuarantinedFile = {
      id,
      fileName: entry.fileName,
      reason: entry.reason,
      detail: entry.detail,
      at: entry.at,
      ...(entry.bytes
        ? { sha256: createHash("sha256").update(entry.bytes).digest("hex"), size: entry.bytes.length }
        : {}),
    };
    if (entry.bytes) this.bytes.set(id, Uint8Array.from(entry.bytes));
    this.kept.push(record);
    return { ...record };
  }

  list(): QuarantinedFile[] {
    return this.kept.map((r) => ({ ...r }));
  }
}
