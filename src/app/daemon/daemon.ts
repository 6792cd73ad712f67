import { Cron } from "croner";
import type { Container } from "inversify";
import type { Config } from "../config/config.js";
import { EventLog } from "../ports/event-log.port.js";
import { RunSteps } from "../use-cases/run-cycle.use-case.js";
import { describeFault } from "../use-cases/step-report.js";
import { InstanceLock } from "./instance-lock.js";
import { checkSchedule } from "./schedules.js";

export interface DaemonInfo {
  readonly version: string;
  readonly runtime: string;
}

/**
 * The daemon: the cycle and the daily purge on their schedules, one job at a time (a job never
 * overlaps itself or another), until SIGTERM/SIGINT; then it lets the job in flight finish and
 * resolves with exit status 0. A second SIGINT exits at once.
 */
export async function runDaemon(container: Container, config: Config, info: DaemonInfo): Promise<number> {
  checkSchedule("schedule.cycle", config.schedule.cycle, config.schedule.timezone);
  checkSchedule("schedule.purge", config.schedule.purge, config.schedule.timezone);
  const log = container.get(EventLog);
  const steps = container.get(RunSteps);
  const lock = InstanceLock.acquire(config.storage.dataDir);
  let inFlight: Promise<void> = Promise.resolve();
  let stopping = false;
  let removeListeners = () => {};

  const runJob = (job: "cycle" | "purge"): Promise<void> => {
    if (stopping) return inFlight;
    const work = inFlight.then(async () => {
      if (stopping) return;
      try {
        await (job === "cycle" ? steps.cycle() : steps.run(["purge"]));
      } catch (error) {
        const fault = describeFault(error);
        log.error("job.failed", { job, errorCode: fault.code, errorMessage: fault.message });
      }
    });
    inFlight = work;
    return work;
  };
  const options = { timezone: config.schedule.timezone, protect: true };
  const jobs = [
    new Cron(config.schedule.cycle, { ...options, name: "cycle" }, () => runJob("cycle")),
    new Cron(config.schedule.purge, { ...options, name: "purge" }, () => runJob("purge")),
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
