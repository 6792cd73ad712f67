import { Cron } from "croner";
import type { Container } from "inversify";
import type { Config } from "../config/config.js";
import { AlertSink } from "../ports/alert-sink.port.js";
import { Backups } from "../ports/backups.port.js";
import { Clock } from "../ports/clock.port.js";
import { EventLog } from "../ports/event-log.port.js";
import { OrderStore } from "../ports/order-store.port.js";
import { BackUpStore } from "../use-cases/back-up-store.use-case.js";
import { RunSteps } from "../use-cases/run-cycle.use-case.js";
import { describeFault } from "../use-cases/step-report.js";
import { catchUpAlert, PURGE_CAUGHT_UP_ALERT, purgeOverdue } from "./catch-up.js";
import { InstanceLock } from "./instance-lock.js";
import { checkSchedule } from "./schedules.js";

export interface DaemonInfo {
  readonly version: string;
  readonly runtime: string;
}

/** "catch-up" is the purge run at start-up; only a scheduled "purge" that succeeds clears its alert. */
type Job = "cycle" | "purge" | "catch-up" | "backup";

/**
 * The daemon: the cycle, the daily purge and the daily backup on their schedules, one job at a
 * time (a job never overlaps itself or another), until SIGTERM/SIGINT; then it lets the job in
 * flight finish and resolves with exit status 0. A second SIGINT exits at once. A purge missed
 * while the daemon was down runs at start-up, before the first cycle.
 */
export async function runDaemon(container: Container, config: Config, info: DaemonInfo): Promise<number> {
  checkSchedule("schedule.cycle", config.schedule.cycle, config.schedule.timezone);
  checkSchedule("schedule.purge", config.schedule.purge, config.schedule.timezone);
  checkSchedule("schedule.backup", config.schedule.backup, config.schedule.timezone);
  const log = container.get(EventLog);
  const steps = container.get(RunSteps);
  const lock = InstanceLock.acquire(config.storage.dataDir);
  let catchUp: boolean;
  try {
    catchUp = missedPurge(container);
  } catch (error) {
    lock.release();
    throw error;
  }
  let inFlight: Promise<void> = Promise.resolve();
  let stopping = false;
  let removeListeners = () => {};

  const work: Record<Job, () => Promise<unknown>> = {
    cycle: () => steps.cycle(),
    purge: async () => {
      const reports = await steps.run(["purge"]);
      if (reports.every((r) => r.ok)) container.get(AlertSink).resolve(PURGE_CAUGHT_UP_ALERT);
    },
    "catch-up": () => steps.run(["purge"]),
    // A store without backups (a test fake) has nothing to back up.
    backup: async () => (container.isBound(Backups) ? container.get(BackUpStore).execute() : undefined),
  };
  const runJob = (job: Job): Promise<void> => {
    if (stopping) return inFlight;
    const next = inFlight.then(async () => {
      if (stopping) return;
      try {
        await work[job]();
      } catch (error) {
        const fault = describeFault(error);
        log.error("job.failed", { job, errorCode: fault.code, errorMessage: fault.message });
      }
    });
    inFlight = next;
    return next;
  };
  const options = { timezone: config.schedule.timezone, protect: true };
  const jobs = [
    new Cron(config.schedule.cycle, { ...options, name: "cycle" }, () => runJob("cycle")),
    new Cron(config.schedule.purge, { ...options, name: "purge" }, () => runJob("purge")),
    new Cron(config.schedule.backup, { ...options, name: "backup" }, () => runJob("backup")),
  ];
  log.info("daemon.started", {
    pid: process.pid,
    version: info.version,
    runtime: info.runtime,
    schedule: config.schedule.cycle,
    nextRun: jobs[0]?.nextRun()?.toISOString(),
  });
  const signalled = new Promise<string>((resolve) => {
    const stop = (name: string) => () => resolve(name);
    const onTerm = stop("SIGTERM");
    const onInt = stop("SIGINT");
    process.once("SIGTERM", onTerm);
    process.once("SIGINT", onInt);
    // Whichever came first, the other listener must not outlive the daemon.
    removeListeners = () => {
      process.off("SIGTERM", onTerm);
      process.off("SIGINT", onInt);
    };
  });
  if (catchUp) void runJob("catch-up");
  void runJob("cycle");
  const signal = await signalled;
  removeListeners();
  stopping = true;
  const impatient = () => process.exit(130);
  process.once("SIGINT", impatient);
  log.info("daemon.stopping", { signal });
  for (const job of jobs) job.stop();
  await inFlight;
  lock.release();
  process.off("SIGINT", impatient);
  log.info("daemon.stopped", { signal });
  await log.flush();
  return 0;
}

/** True (logged, and alerted: the delay matters) when the daily purge did not run while the daemon was down. */
function missedPurge(container: Container): boolean {
  const store = container.get(OrderStore);
  const runs = store.lastJobRuns();
  const hasOrders = Object.values(store.countsByState()).some((n) => (n ?? 0) > 0);
  if (!purgeOverdue(runs, hasOrders, container.get(Clock).now())) return false;
  const last = runs.find((r) => r.job === "purge");
  container.get(EventLog).warn("purge.catch-up", last ? { from_date: last.finishedAt } : {});
  container.get(AlertSink).raise(catchUpAlert(runs));
  return true;
}
