import * as fs from "node:fs";
import * as path from "node:path";
import { inject, injectable } from "inversify";
import type { Config } from "../../app/config/config.js";
import { AppConfig } from "../../app/config/config.token.js";
import type { DatedFile, RetainedKind, RetentionFiles } from "../../app/ports/retention-files.port.js";
import { removeDurably } from "../files/durable-file.js";

/** The names the logger and the backups write; nothing else is ever listed, so nothing else is deleted. */
const LOG_NAME = /^(?:fulfillment|audit)-(\d{4})-(\d{2})-(\d{2})\.log$/;
const BACKUP_NAME = /^fulfillment-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.backup$/;

/** The date a name carries (UTC), or undefined when it is not one of ours or not a real date. */
export function dateInName(kind: RetainedKind, name: string): Date | undefined {
  const m = (kind === "log" ? LOG_NAME : BACKUP_NAME).exec(name);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 0, h ?? 0, mi ?? 0, s ?? 0));
  // Date.UTC rolls 2026-02-30 over into March: such a name is not a date we wrote.
  return date.getUTCDate() === d && date.getUTCMonth() === (mo ?? 0) - 1 ? date : undefined;
}

/** Log files in `storage.logDir` and backups in `storage.backupDir`, dated by their names. */
@injectable()
export class FsRetentionFiles implements RetentionFiles {
  private readonly dirs: Readonly<Record<RetainedKind, string>>;

  constructor(@inject(AppConfig) config: Config) {
    this.dirs = { log: config.storage.logDir, backup: config.storage.backupDir };
  }

  list(kind: RetainedKind): DatedFile[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dirs[kind]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return names
      .flatMap((name) => {
        const date = dateInName(kind, name);
        return date ? [{ kind, name, date }] : [];
      })
      .sort((a, b) => a.date.getTime() - b.date.getTime() || a.name.localeCompare(b.name));
  }

  delete(file: DatedFile): void {
    // The name is re-checked, so a caller can never turn this into "delete any path".
    if (!dateInName(file.kind, file.name)) throw new Error(`not a dated ${file.kind} file: ${file.name}`);
    removeDurably(path.join(this.dirs[file.kind], file.name));
  }
}
