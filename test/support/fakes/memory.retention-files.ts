import { dateInName } from "../../../src/adapters/retention/fs.retention-files.js";
import type { DatedFile, RetainedKind, RetentionFiles } from "../../../src/app/ports/retention-files.port.js";

/** Files in memory, dated by their names as the real directories are; `add` plays the logger or a backup. */
export class MemoryRetentionFiles implements RetentionFiles {
  readonly #names = new Map<RetainedKind, Set<string>>([
    ["log", new Set()],
    ["backup", new Set()],
  ]);

  add(kind: RetainedKind, name: string): void {
    this.#names.get(kind)?.add(name);
  }

  list(kind: RetainedKind): DatedFile[] {
    return [...(this.#names.get(kind) ?? [])]
      .flatMap((name) => {
        const date = dateInName(kind, name);
        return date ? [{ kind, name, date }] : [];
      })
      .sort((a, b) => a.date.getTime() - b.date.getTime() || a.name.localeCompare(b.name));
  }

  delete(file: DatedFile): void {
    this.#names.get(file.kind)?.delete(file.name);
  }

  /** Every name present, listed or not, sorted. */
  names(kind: RetainedKind): string[] {
    return [...(this.#names.get(kind) ?? [])].sort();
  }
}
