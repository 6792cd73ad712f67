import { addDays } from "./time.js";

const DAY_MS = 86_400_000;
/** Beyond this a clock step is not the time the daily job takes between runs, even with a missed day. */
export const MAX_FORWARD_CLOCK_DAYS = 2;

const utcMidnight = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

/**
 * A daily log file is deleted once its day is more than `logDays` whole days before today (UTC):
 * today's file and the last `logDays` days' files are always kept.
 */
export function logExpired(day: Date, now: Date, logDays: number): boolean {
  const age = Math.round((utcMidnight(now).getTime() - utcMidnight(day).getTime()) / DAY_MS);
  return age > logDays;
}

/** A backup is deleted once it is older than `backupDays` days. */
export function backupExpired(takenAt: Date, now: Date, backupDays: number): boolean {
  return addDays(takenAt, backupDays).getTime() < now.getTime();
}

export type ClockJump =
  | { readonly direction: "backwards"; readonly since: Date }
  | { readonly direction: "forwards"; readonly since: Date; readonly days: number };

/**
 * Compares the clock with the start of the job's previous run: a clock that went back, or ahead by
 * more than two days, makes "older than N days" meaningless, so a job deleting by age must not trust it.
 */
export function clockJump(previousRun: Date | undefined, now: Date): ClockJump | undefined {
  if (!previousRun) return undefined;
  const elapsed = now.getTime() - previousRun.getTime();
  if (elapsed < 0) return { direction: "backwards", since: previousRun };
  const days = elapsed / DAY_MS;
  return days > MAX_FORWARD_CLOCK_DAYS
    ? { direction: "forwards", since: previousRun, days: Math.floor(days * 10) / 10 }
    : undefined;
}
