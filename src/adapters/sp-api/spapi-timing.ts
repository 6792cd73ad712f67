import type { ServiceIdentifier } from "inversify";

/**
 * Wall-clock time, sleeping and jitter for the SP-API client. Token buckets and token expiry are
 * shared with other processes and with Amazon, so they use the real clock, never `--now`. Tests
 * bind a faster or recorded variant.
 */
export interface SpApiTiming {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1): the jitter of back-off delays. */
  random(): number;
  /** The first back-off delay; it doubles per retry up to `backoffCapMs`. */
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
}
export const SpApiTiming: ServiceIdentifier<SpApiTiming> = Symbol.for("SpApiTiming");

export const realTiming: SpApiTiming = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
  backoffBaseMs: 1000,
  backoffCapMs: 60_000,
};

/**
 * The delay before retry number `retry` (1-based): exponential with jitter in its upper half,
 * capped, and never shorter than `floorMs` (Amazon's restore interval on a 429).
 */
export function backoffMs(timing: SpApiTiming, retry: number, floorMs = 0): number {
  const ceiling = Math.min(timing.backoffCapMs, timing.backoffBaseMs * 2 ** Math.max(0, retry - 1));
  const jittered = ceiling / 2 + (timing.random() * ceiling) / 2;
  return Math.round(Math.max(floorMs, jittered));
}

/**
 * Settles with `work` or rejects with `onTimeout()` after `ms`, whichever comes first. The package
 * can leave a promise pending forever (sp-api.md 6.7); this guarantees every call settles.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  // A late rejection of the abandoned call must not become an unhandled rejection.
  work.catch(() => {});
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
