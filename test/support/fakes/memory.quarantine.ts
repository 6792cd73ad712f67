import { quarantineRecord } from "../../../src/adapters/quarantine/fs.quarantine.js";
import type { Quarantine, QuarantinedFile, QuarantineEntry } from "../../../src/app/ports/quarantine.port.js";

/** The quarantine in memory; keeps copies of the bytes so a caller's later change cannot alter them. */
export class MemoryQuarantine implements Quarantine {
  readonly bytes = new Map<string, Uint8Array>();
  private readonly kept: QuarantinedFile[] = [];

  keep(entry: QuarantineEntry): QuarantinedFile {
    const id = `${entry.at.replace(/[^0-9]/g, "").slice(0, 17)}-${String(this.kept.length).padStart(8, "0")}`;
    const record = quarantineRecord(id, entry);
    if (entry.bytes) this.bytes.set(id, Uint8Array.from(entry.bytes));
    this.kept.push(record);
    return { ...record };
  }

  list(): QuarantinedFile[] {
    return this.kept.map((r) => ({ ...r }));
  }
}
