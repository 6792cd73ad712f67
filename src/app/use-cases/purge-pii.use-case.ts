import { inject, injectable } from "inversify";
import { backupExpired, type ClockJump, logExpired } from "../../domain/file-retention.js";
import { MIN_LOG_DAYS } from "../../domain/retention.js";
import type { Runtime as RuntimeInfo } from "../composition/runtime.js";
import { Runtime } from "../composition/runtime.js";
import type { Config } from "../config/config.js";
import { AppConfig } from "../config/config.token.js";
import { AlertSink } from "../ports/alert-sink.port.js";
import { Clock } from "../ports/clock.port.js";
import { EventLog } from "../ports/event-log.port.js";
import { OrderStore } from "../ports/order-store.port.js";
import { RetentionFiles } from "../ports/retention-files.port.js";
import { type DateRange, expireFiles } from "./expire-files.js";
import { describeClockJump, PurgeClockGuard } from "./purge-clock-guard.js";
import type { StepReport } from "./step-report.js";
import { StepTally } from "./step-report.js";

export const CLOCK_JUMP_ALERT = "PURGE_CLOCK_JUMP";

export interface PurgeOptions {
  /** Count and report, delete nothing. */
  readonly dryRun?: boolean;
  /** Go ahead despite a clock jump (the administrator checked the clock); defaults to `purge --force`. */
  readonly force?: boolean;
}

/** The purge's report: counts as every step's, plus the date range of what each kind removed. */
export interface PurgeReport extends StepReport {
  readonly ranges: Readonly<Record<string, DateRange>>;
}

const day = (at: Date) => at.toISOString().slice(0, 10);

/** A clock jump now, or one an earlier run refused for and nobody has forced past yet. */
type SuspectClock = ClockJump | { readonly direction: "unresolved"; readonly since: Date };

/**
 * The daily retention job. Every ship-to past its deadline (see domain/retention) is destroyed,
 * then the store destroys the keys that no longer protect held PII (crypto-shredding); orders about
 * to hit the hard cap unshipped raise an alert first. Then encrypted backups older than
 * `retention.backupDays` and log files older than `retention.logDays` are deleted. A clock that
 * went back, or ahead by more than two days since the last run, stops the job before it deletes
 * anything (unless forced): ages measured on a wrong clock would delete in bulk. Reports counts and
 * date ranges, never PII.
 */
@injectable()
export class PurgePii {
  constructor(
    @inject(OrderStore) private readonly store: OrderStore,
    @inject(AppConfig) private readonly config: Config,
    @inject(Clock) private readonly clock: Clock,
    @inject(EventLog) private readonly log: EventLog,
    @inject(AlertSink) private readonly alerts: AlertSink,
    @inject(RetentionFiles) private readonly files: RetentionFiles,
    @inject(Runtime) private readonly runtime: RuntimeInfo,
    @inject(PurgeClockGuard) private readonly clockGuard: PurgeClockGuard,
  ) {}

  async execute(options: PurgeOptions = {}): Promise<PurgeReport> {
    const dryRun = options.dryRun ?? false;
    const force = options.force ?? this.runtime.force ?? false;
    const tally = new StepTally("purge");
    const ranges: Record<string, DateRange> = {};
    const now = this.clock.now();
    const jump = this.clockJumped(now);
    if (jump && !force) {
      tally.problem({ code: "CLOCK_JUMP", message: jumpMessage(jump, now, dryRun) });
      if (!dryRun) {
        this.alerts.raise({ code: CLOCK_JUMP_ALERT, severity: "critical", message: jumpMessage(jump, now) });
        this.log.audit("purge.refused", {
          reason: "CLOCK_JUMP",
          ...(jump.direction === "unresolved" ? {} : { basis: jump.basis }),
          from_date: jump.since.toISOString(),
          to_date: now.toISOString(),
        });
        return { ...tally.report(), ranges };
      }
    }
    if (jump && force && !dryRun) {
      this.log.audit("purge.forced", {
        reason: "CLOCK_JUMP",
        ...(jump.direction === "unresolved" ? {} : { basis: jump.basis }),
        from_date: jump.since.toISOString(),
        to_date: now.toISOString(),
      });
      this.alerts.resolve(CLOCK_JUMP_ALERT);
    }
    // The clock is trusted (or vouched for by --force) from here: the next run measures from this
    // one, even if this one fails below (a failing disk must not later look like a clock jump).
    if (!dryRun) this.clockGuard.record(now);
    const pii = this.purgePii(now, dryRun, tally);
    if (pii) ranges.pii = pii;
    const backups = this.expireBackups(now, dryRun, tally);
    if (backups) ranges.backups = backups;
    const logs = this.expireLogs(now, dryRun, tally);
    if (logs) ranges.logs = logs;
    if (!dryRun) this.pruneJobRuns(now, tally);
    return { ...tally.report(), ranges };
  }

  /**
   * A jump since the start of the last recorded purge run. While the alert of an earlier refusal is
   * active the job keeps refusing: that run was recorded on the suspect clock, so it proves nothing.
   */
  private clockJumped(now: Date): SuspectClock | undefined {
    const jump = this.clockGuard.check(now);
    if (jump) return jump;
    const refused = this.alerts.active().find((a) => a.code === CLOCK_JUMP_ALERT);
    return refused ? { direction: "unresolved", since: new Date(refused.raisedAt) } : undefined;
  }

  private purgePii(now: Date, dryRun: boolean, tally: StepTally): DateRange | undefined {
    for (const warning of this.store.approachingHardCap(now)) {
      tally.add("approachingHardCap");
      this.alerts.raise({
        code: "PII_HARD_CAP_APPROACHING",
        severity: "warning",
        orderId: warning.orderId,
        message: `this order has not shipped; its ship-to will be purged on ${day(new Date(warning.deadline))} and it can then no longer be sent`,
      });
    }
    // One store call: it finds the due orders by their deadline day, erases and destroys keys in one transaction.
    const result = dryRun ? this.store.duePii(now) : this.store.purgeDuePii(now);
    if (result.keysDestroyed > 0) tally.add("keysDestroyed", result.keysDestroyed);
    tally.add(dryRun ? "wouldPurge" : "purged", result.orders);
    const range =
      result.firstDeadline && result.lastDeadline
        ? { from_date: result.firstDeadline, to_date: result.lastDeadline }
        : undefined;
    this.log.audit(dryRun ? "pii.purge-dry-run" : "pii.purged", { count: result.orders, ...range });
    return range;
  }

  private expireBackups(now: Date, dryRun: boolean, tally: StepTally): DateRange | undefined {
    const days = this.config.retention.backupDays;
    const { count, range } = expireFiles(
      this.files,
      "backup",
      (f) => backupExpired(f.date, now, days),
      dryRun,
      tally,
    );
    return this.reportFiles("backups", count, range, dryRun, tally);
  }

  private expireLogs(now: Date, dryRun: boolean, tally: StepTally): DateRange | undefined {
    const days = this.config.retention.logDays;
    if (days < MIN_LOG_DAYS) {
      // The schema refuses this at start; a configuration built another way must not shorten the logs either.
      tally.problem({
        code: "LOG_RETENTION_TOO_SHORT",
        message: `retention.logDays is ${days}; at least ${MIN_LOG_DAYS} are kept, so no log file was deleted`,
      });
      return undefined;
    }
    const { count, range } = expireFiles(
      this.files,
      "log",
      (f) => logExpired(f.date, now, days),
      dryRun,
      tally,
    );
    return this.reportFiles("logs", count, range, dryRun, tally);
  }

  /** The runs `status` lists are operational logs too: kept as long as the log files, each job's latest always. */
  private pruneJobRuns(now: Date, tally: StepTally): void {
    const days = this.config.retention.logDays;
    if (days < MIN_LOG_DAYS) return;
    const before = new Date(now.getTime() - days * 86_400_000).toISOString();
    const pruned = this.store.pruneJobRuns(before);
    if (pruned > 0) tally.add("jobRunsPruned", pruned);
  }

  private reportFiles(
    what: "logs" | "backups",
    count: number,
    range: DateRange | undefined,
    dryRun: boolean,
    tally: StepTally,
  ) {
    const label = what === "logs" ? "Logs" : "Backups";
    if (count > 0) tally.add(dryRun ? `wouldDelete${label}` : `${what}Deleted`, count);
    this.log.audit(dryRun ? `${what}.delete-dry-run` : `${what}.deleted`, { count, ...range });
    return range;
  }
}

function jumpMessage(jump: SuspectClock, now: Date, dryRun = false): string {
  const moved =
    jump.direction === "unresolved"
      ? `an earlier purge refused to run on a clock that jumped (alert ${CLOCK_JUMP_ALERT} since ${jump.since.toISOString()})`
      : describeClockJump(jump, now);
  const outcome = dryRun ? "a real run would refuse to delete anything" : "nothing was deleted";
  return `${moved}; ${outcome}. Check the system clock with \`timedatectl\` (right time, NTP synchronised); if it is right, run \`fulfillment purge --dry-run\`, then \`fulfillment purge --force\``;
}
