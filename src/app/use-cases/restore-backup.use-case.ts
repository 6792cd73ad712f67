import path from "node:path";
import { inject, injectable } from "inversify";
import { Backups } from "../ports/backups.port.js";
import { EventLog } from "../ports/event-log.port.js";

/**
 * `restore FILE`: replaces the store with an encrypted backup after it authenticates and passes an
 * integrity check. The caller holds the instance lock (no daemon runs). PII purged since the backup
 * was taken stays purged: its keys are gone from the key ring, which backups never contain.
 */
@injectable()
export class RestoreBackup {
  constructor(
    @inject(Backups) private readonly backups: Backups,
    @inject(EventLog) private readonly log: EventLog,
  ) {}

  execute(file: string): { readonly createdAt: string } {
    const fileName = path.basename(file);
    try {
      const restored = this.backups.restore(file);
      this.log.audit("backup.restored", { fileName, from_date: restored.createdAt });
      return restored;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      this.log.audit("backup.restore-refused", {
        fileName,
        ...(typeof code === "string" ? { errorCode: code } : {}),
      });
      throw error;
    }
  }
}
