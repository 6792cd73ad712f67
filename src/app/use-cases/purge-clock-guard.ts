import { inject, injectable } from "inversify";
import { type ClockJump, type ClockReading, clockDiscontinuity } from "../../domain/file-retention.js";
import { ClockWitness } from "../ports/clock-witness.port.js";
import { OrderStore } from "../ports/order-store.port.js";

/** Where the last purge run's clock evidence is kept: `{at, bootId?, uptimeSeconds?}` as JSON. */
export const PURGE_CLOCK_CURSOR = "purge.clock-witness";

/**
 * The purge's clock check across runs: `check` compares the clock now with the evidence the last
 * run that went ahead left with `record` (wall time, boot id, uptime). A database from before this
 * evidence existed falls back to the start of its last purge run, judged on the wall clock alone.
 */
@injectable()
export class PurgeClockGuard {
  constructor(
    @inject(OrderStore) private readonly store: OrderStore,
    @inject(ClockWitness) private readonly witness: ClockWitness,
  ) {}

  /** The jump since the last recorded run, or undefined when the clock can be trusted. Never throws on stored data. */
  check(now: Date): ClockJump | undefined {
    return clockDiscontinuity(this.previous(), { ...this.witness.observe(), at: now });
  }

  /** Stores this run's evidence; call it once the run goes ahead (not for a refused or dry run). */
  record(now: Date): void {
    const { bootId, uptimeSeconds } = this.witness.observe();
    this.store.setCursor(
      PURGE_CLOCK_CURSOR,
      JSON.stringify({ at: now.toISOString(), bootId, uptimeSeconds }),
    );
  }

  private previous(): ClockReading | undefined {
    const stored = parseReading(this.store.getCursor(PURGE_CLOCK_CURSOR));
    if (stored) return stored;
    const last = this.store.lastJobRuns().find((r) => r.job === "purge");
    const at = last ? new Date(last.startedAt) : undefined;
    return at && !Number.isNaN(at.getTime()) ? { at } : undefined;
  }
}

/** The stored evidence, keeping only well-formed fields; undefined without a valid time. */
export function parseReading(text: string | undefined): ClockReading | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { at, bootId, uptimeSeconds } = value as Record<string, unknown>;
  const when = typeof at === "string" ? new Date(at) : undefined;
  if (!when || Number.isNaN(when.getTime())) return undefined;
  return {
    at: when,
    ...(typeof bootId === "string" && bootId !== "" ? { bootId } : {}),
    ...(typeof uptimeSeconds === "number" && Number.isFinite(uptimeSeconds) && uptimeSeconds >= 0
      ? { uptimeSeconds }
      : {}),
  };
}

/** A step's size in the unit that reads best: days down to one, then hours, then minutes. */
function size(jump: ClockJump): string {
  if (jump.days >= 1) return `${jump.days} days`;
  const hours = Math.floor(jump.seconds / 360) / 10;
  return hours >= 1 ? `${hours} hours` : `${Math.max(1, Math.round(jump.seconds / 60))} minutes`;
}

/** What moved and which evidence showed it, for the purge's refusal and its alert: times and sizes only. */
export function describeClockJump(jump: ClockJump, now: Date): string {
  const since = jump.since.toISOString();
  if (jump.basis === "uptime") {
    const way = jump.direction === "forwards" ? "ahead of" : "behind";
    return `the clock moved ${size(jump)} ${way} the machine's uptime since the last purge run (${since}, same boot): it was stepped, the daemon was not merely stopped`;
  }
  if (jump.direction === "backwards") {
    return `the clock (${now.toISOString()}) is behind the last purge run (${since})`;
  }
  return `the clock is ${size(jump)} ahead of the last purge run (${since}) and nothing vouches for it: the machine restarted since (or its uptime is unknown) and NTP is not reported synchronised`;
}
