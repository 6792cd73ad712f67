import type { JobRun } from "../ports/order-store.port.js";

/** The daily purge counts as missed once its last successful run is this old. */
export const PURGE_OVERDUE_MS = 24 * 3_600_000;

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
