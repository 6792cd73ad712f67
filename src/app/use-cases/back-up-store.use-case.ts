import path from "node:path";
import { inject, injectable } from "inversify";
import { type BackupFile, Backups } from "../ports/backups.port.js";
import { Clock } from "../ports/clock.port.js";
import { EventLog } from "../ports/event-log.port.js";
import { OrderStore } from "../ports/order-store.port.js";
import { describeFault } from "./step-report.js";

/**
 * `backup` and the daemon's backup job: one encrypted snapshot of the store in `storage.backupDir`,
 * recorded as a run of the job "backup" and audited (file name only). The daily purge deletes
 * backups older than `retention.backupDays`.
 */
@injectable()
export class BackUpStore {
  constructor(
    @inject(Backups) private readonly backups: Backups,
    @inject(OrderStore) private readonly store: OrderStore,
    @inject(Clock) private readonly clock: Clock,
    @inject(EventLog) private readonly log: EventLog,
  ) {}

  execute(): BackupFile {
    const startedAt = this.clock.now();
    const started = Date.now();
    try {
      const backup = this.backups.create(startedAt);
      const fileName = path.basename(backup.file);
      this.log.audit("backup.created", { fileName, durationMs: Date.now() - started });
      this.record(startedAt, true, `file=${fileName} bytes=${backup.bytes}`);
      return backup;
    } catch (error) {
      const fault = describeFault(error);
      this.log.error("backup.failed", { errorCode: fault.code, errorMessage: fault.message });
      this.record(startedAt, false, `failed=${fault.code}`);
      throw error;
    }
  }

  private record(startedAt: Date, ok: boolean, summary: string): void {
    try {
      this.store.recordJobRun({
        job: "backup",
        startedAt: startedAt.toISOString(),
        finishedAt: this.clock.now().toISOString(),
        ok,
        summary,
      });
    } catch (error) {
      this.log.error("job-run.record-failed", { job: "backup", errorCode: describeFault(error).code });
    }
  }
}
