import path from "node:path";
import type { Container } from "inversify";
import type { Config } from "../config/config.js";
import { AlreadyRunningError, InstanceLock } from "../daemon/instance-lock.js";
import { IntegrationError } from "../errors.js";
import { Backups } from "../ports/backups.port.js";
import { BackUpStore } from "../use-cases/back-up-store.use-case.js";
import { PurgePii, type PurgeReport } from "../use-cases/purge-pii.use-case.js";
import { RestoreBackup } from "../use-cases/restore-backup.use-case.js";
import { RunSteps } from "../use-cases/run-cycle.use-case.js";
import type { ParsedArgs } from "./args.js";
import { UsageError } from "./args.js";
import type { Io } from "./main.js";
import { renderSteps } from "./render.js";

const RANGE_LABELS: Readonly<Record<string, string>> = {
  pii: "ship-to deadlines",
  backups: "backups taken",
  logs: "log days",
};

function renderPurge(report: PurgeReport, dryRun: boolean): string {
  const lines = [renderSteps([report])];
  for (const [what, range] of Object.entries(report.ranges ?? {})) {
    const label = RANGE_LABELS[what] ?? what;
    lines.push(`  ${dryRun ? "would delete" : "deleted"} ${label} ${range.from_date} … ${range.to_date}`);
  }
  if (dryRun) lines.push("  dry run: nothing was deleted");
  return lines.join("\n");
}

/**
 * `purge [--dry-run] [--force]`. A real run goes through the daily job's runner, so it is recorded
 * as the job's last run; a dry run deletes nothing and is not recorded, so it never stands in for
 * a missed purge.
 */
export async function purgeCommand(container: Container, args: ParsedArgs, io: Io): Promise<number> {
  const [report] = args.dryRun
    ? [await container.get(PurgePii).execute({ dryRun: true, force: args.force })]
    : ((await container.get(RunSteps).run(["purge"])) as PurgeReport[]);
  if (!report) return 1;
  io.out(args.json ? JSON.stringify(report, null, 2) : renderPurge(report, args.dryRun));
  return report.ok ? 0 : 1;
}

function requireBackups(container: Container, config: Config, command: string): void {
  if (!container.isBound(Backups))
    throw new UsageError(
      `the "${config.adapters.store}" store has no backups; \`${command}\` needs the sqlite store`,
    );
}

/** A refused backup or restore: its message (never PII) and exit status 1. */
function refused(error: unknown, io: Io): number {
  if (!(error instanceof IntegrationError)) throw error;
  io.err(`fulfillment: ${error.message} (${error.code})`);
  return 1;
}

/** `backup`: one encrypted snapshot into storage.backupDir; safe while the daemon runs. */
export function backupCommand(container: Container, config: Config, args: ParsedArgs, io: Io): number {
  requireBackups(container, config, "backup");
  try {
    const backup = container.get(BackUpStore).execute();
    io.out(
      args.json
        ? JSON.stringify(backup, null, 2)
        : `backup ${backup.file} (${backup.bytes} bytes, AES-256-GCM under storage.keyFile; the key ring is not in it)`,
    );
    return 0;
  } catch (error) {
    return refused(error, io);
  }
}

/** `restore FILE`: only while no daemon runs on the data directory (the instance lock). */
export function restoreCommand(container: Container, config: Config, args: ParsedArgs, io: Io): number {
  const [file, extra] = args.operands;
  if (!file || extra) throw new UsageError("restore takes exactly one backup file");
  requireBackups(container, config, "restore");
  return withInstanceLock(config, io, () => {
    try {
      const source = path.resolve(io.cwd, file);
      const { createdAt } = container.get(RestoreBackup).execute(source);
      io.out(
        args.json
          ? JSON.stringify({ file: source, createdAt }, null, 2)
          : `restored ${source} (taken ${createdAt}) over ${config.storage.dataDir}; ship-tos purged since then stay purged`,
      );
      return 0;
    } catch (error) {
      return refused(error, io);
    }
  });
}

/**
 * Runs `work` holding the data directory's instance lock, as no daemon may run meanwhile; exit 1 with
 * "already running" when one does.
 */
export function withInstanceLock(config: Config, io: Io, work: () => number): number {
  let lock: InstanceLock;
  try {
    lock = InstanceLock.acquire(config.storage.dataDir);
  } catch (error) {
    if (!(error instanceof AlreadyRunningError)) throw error;
    io.err(`fulfillment: ${error.message}`);
    return 1;
  }
  try {
    return work();
  } finally {
    lock.release();
  }
}
