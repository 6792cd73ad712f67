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

/** Which evidence decided: the boot's own clock (same boot, uptimes known) or the wall clock alone. */
export type ClockBasis = "uptime" | "wall-clock";

export interface ClockJump {
  readonly direction: "backwards" | "forwards";
  /** The wall time of the previous run the clock was compared with. */
  readonly since: Date;
  /** How far the clock stepped, in days rounded down to a tenth (the gap itself on a wall-clock basis). */
  readonly days: number;
  /** The same in whole seconds, for steps too small to show in days. */
  readonly seconds: number;
  readonly basis: ClockBasis;
}

/** The clock as a run saw it: the wall time, and the boot and its uptime (suspend included) when known. */
export interface ClockReading {
  readonly at: Date;
  readonly bootId?: string;
  readonly uptimeSeconds?: number;
}

export interface ClockNow extends ClockReading {
  /** What the time service says now; undefined when it cannot be asked. */
  readonly ntpSynchronized?: boolean;
}

/**
 * Within one boot the wall clock and the uptime advance together: NTP slewing adjusts both (the
 * kernel's monotonic clocks follow adjtime/NTP corrections), so only a step (date -s, a VM resumed or
 * restored, a first NTP sync on a drifting RTC) parts them. Ten minutes absorbs that first-sync step
 * and the delay between reading the two clocks; 0.1 % of the elapsed time (43 min in 30 days) absorbs
 * the suspend time in the uptime, which the kernel measures on the RTC (1 s steps, tens of ppm).
 * A jump worth refusing for moves ages by days.
 */
export const CLOCK_STEP_TOLERANCE_MS = 10 * 60_000;
export const CLOCK_DRIFT_TOLERANCE = 0.001;

function jump(direction: ClockJump["direction"], since: Date, ms: number, basis: ClockBasis): ClockJump {
  return {
    direction,
    since,
    days: Math.floor((ms / DAY_MS) * 10) / 10,
    seconds: Math.round(ms / 1000),
    basis,
  };
}

/**
 * Whether the clock can be trusted to measure ages since the previous run of a job that deletes
 * by age. A clock behind the previous run always jumped. Within the same boot the uptime tells a
 * stopped daemon (wall and uptime advanced alike, however many days) from a stepped clock (they
 * differ beyond the tolerance, either way). Across a reboot, or without that evidence, a gap of
 * more than MAX_FORWARD_CLOCK_DAYS is a jump unless the clock is NTP-synchronised now.
 */
export function clockDiscontinuity(previous: ClockReading | undefined, now: ClockNow): ClockJump | undefined {
  if (!previous) return undefined;
  const wallMs = now.at.getTime() - previous.at.getTime();
  if (wallMs < 0) return jump("backwards", previous.at, -wallMs, "wall-clock");
  const upMs = uptimeElapsedMs(previous, now);
  if (upMs !== undefined) {
    const drift = wallMs - upMs;
    const tolerance = CLOCK_STEP_TOLERANCE_MS + CLOCK_DRIFT_TOLERANCE * upMs;
    if (Math.abs(drift) <= tolerance) return undefined;
    return jump(drift > 0 ? "forwards" : "backwards", previous.at, Math.abs(drift), "uptime");
  }
  if (wallMs / DAY_MS <= MAX_FORWARD_CLOCK_DAYS || now.ntpSynchronized === true) return undefined;
  return jump("forwards", previous.at, wallMs, "wall-clock");
}

/** Uptime elapsed between two readings of the same boot; undefined when unknown or inconsistent. */
function uptimeElapsedMs(previous: ClockReading, now: ClockReading): number | undefined {
  if (previous.bootId === undefined || previous.bootId !== now.bootId) return undefined;
  if (previous.uptimeSeconds === undefined || now.uptimeSeconds === undefined) return undefined;
  const elapsed = (now.uptimeSeconds - previous.uptimeSeconds) * 1000;
  // The uptime of one boot never goes back: such a reading proves nothing.
  return Number.isFinite(elapsed) && elapsed >= 0 ? elapsed : undefined;
}
