import type { Alert } from "../ports/alert-sink.port.js";
import type { JobRun } from "../ports/order-store.port.js";

/** The daily purge counts as missed once its last successful run is this old. */
export const PURGE_OVERDUE_MS = 24 * 3_600_000;

/** Raised when the purge runs at start-up; one scheduled run that succeeds clears it. */
export const PURGE_CAUGHT_UP_ALERT = "PURGE_CAUGHT_UP";

/**
 * Whether the daemon must run the purge at start-up rather than wait for its schedule: it never
 * ran although orders exist, its last run failed, or it last ran more than a day ago (the daemon
 * was down over its time). A clock that jumped is the purge's own check, not this one.
 */
export function purgeOverdue(lastRuns: readonly JobRun[], hasOrders: boolean, now: Date): boolean {
  const last = lastRuns.find((r) => r.job === "purge");
  if (!last) return hasOrders;
  if (!last.ok) return true;
  return now.getTime() - new Date(last.finishedAt).getTime() > PURGE_OVERDUE_MS;
}

/** The delay alert for a catch-up run (reliability check P3): when the purge last ran, and what to look at. */
export function catchUpAlert(lastRuns: readonly JobRun[]): Alert {
  const last = lastRuns.find((r) => r.job === "purge");
  const missed = !last
    ? "the daily purge had never run although orders are stored"
    : last.ok
      ? `the daily purge last ran at ${last.finishedAt} (the daemon was stopped over its scheduled time)`
      : `the daily purge last ran at ${last.finishedAt} and failed`;
  return {
    code: PURGE_CAUGHT_UP_ALERT,
    severity: "warning",
    message: `${missed}; it ran at start-up to catch up, so ship-tos due meanwhile were kept late. The alert clears after the next scheduled purge succeeds`,
  };
}
