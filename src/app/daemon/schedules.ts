import { Cron } from "croner";
import { ConfigError } from "../errors.js";

/** Checks a cron pattern and time zone now, so a typo is a configuration error rather than a daemon that never runs. */
export function checkSchedule(key: string, pattern: string, timezone: string): void {
  try {
    const probe = new Cron(pattern, { timezone, paused: true });
    probe.nextRun();
    probe.stop();
  } catch (error) {
    throw new ConfigError(
      `"${key}" is not a valid schedule (${(error as Error).message}); use a cron pattern such as "*/5 * * * *" and an IANA time zone such as "UTC"`,
    );
  }
}
