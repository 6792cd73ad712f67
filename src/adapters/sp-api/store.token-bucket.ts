import type { RateLimit, SpApiOperation } from "../../app/config/config.js";
import { IntegrationError } from "../../app/errors.js";
import type { OrderStore } from "../../app/ports/order-store.port.js";
import type { SpApiTiming } from "./spapi-timing.js";

/** Where a bucket lives in the store's cursor table: `ratelimit.<operation>` → `{"tokens":n,"at":ms}`. */
export const bucketKey = (operation: SpApiOperation) => `ratelimit.${operation}`;

interface BucketState {
  readonly tokens: number;
  readonly at: number;
}

const BUSY_RETRIES = 50;
/** How much later than its token a request may reach Amazon without being throttled. */
const RESERVE_SECONDS = 0.05;

/** Sums of fractions of a token are inexact: 9.9 − 9 + 0.1 must count as one token. */
const EPSILON = 1e-9;

/**
 * How many tokens the client's bucket trails Amazon's: the tokens Amazon restores in 50 ms, and at
 * most a quarter of the burst beyond one token, so a fresh bucket still allows a burst. Amazon's
 * rates make this 0.1 for confirmShipment and 0.025 for getOrder; only rates scaled far beyond
 * Amazon's (the benchmarks) reach the burst's limit.
 */
export function reserveTokens(limit: RateLimit): number {
  return Math.max(0, Math.min(limit.rate * RESERVE_SECONDS, (limit.burst - 1) / 4));
}

/**
 * Amazon's token bucket per operation, kept in the store so every process on the same data
 * directory (the daemon and a `cycle` run by hand) draws from one bucket. A token is taken inside
 * `store.transaction`, so two processes never both spend the last one (SQLite serialises writers).
 *
 * The model holds `reserveTokens` fewer tokens than Amazon's bucket: a fresh one starts at burst −
 * reserve, refills up to that, and a drain after a 429 sets it to −reserve. Requests reach Amazon
 * a variable few milliseconds after their token is taken; were the model exactly Amazon's, one that
 * arrives sooner after its predecessor than the token interval would find less than one token and
 * be throttled. The pace stays exactly Amazon's rate; the reserve shifts its phase once.
 */
export class StoreTokenBucket {
  constructor(
    private readonly store: OrderStore,
    private readonly limits: Readonly<Record<SpApiOperation, RateLimit>>,
    private readonly timing: SpApiTiming,
  ) {}

  /** Waits until a token is free for `operation`, then spends it. */
  async take(operation: SpApiOperation): Promise<void> {
    let busy = 0;
    for (;;) {
      let waitMs: number;
      try {
        waitMs = this.store.transaction(() => this.#tryTake(operation));
      } catch (error) {
        if (!isBusy(error) || ++busy > BUSY_RETRIES) throw error;
        waitMs = 5 + Math.round(this.timing.random() * 20);
      }
      if (waitMs <= 0) return;
      await this.timing.sleep(waitMs);
    }
  }

  /**
   * Empties the bucket after Amazon throttled anyway, reserve included, so every process waits a
   * full refill plus the reserve.
   */
  drain(operation: SpApiOperation): void {
    const tokens = -reserveTokens(this.#limit(operation));
    try {
      this.store.transaction(() => this.#write(operation, { tokens, at: this.timing.now() }));
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
  }

  /** Tokens the model holds now, below zero after a drain (for tests and diagnostics). */
  available(operation: SpApiOperation): number {
    return this.#refilled(operation, this.timing.now()).tokens;
  }

  /** 0 when a token was taken, else how long until one will be there. */
  #tryTake(operation: SpApiOperation): number {
    const now = this.timing.now();
    const state = this.#refilled(operation, now);
    if (state.tokens >= 1 - EPSILON) {
      this.#write(operation, { tokens: state.tokens - 1, at: now });
      return 0;
    }
    const { rate } = this.#limit(operation);
    return Math.max(1, Math.ceil(((1 - state.tokens) / rate) * 1000));
  }

  #refilled(operation: SpApiOperation, now: number): BucketState {
    const limit = this.#limit(operation);
    const full = limit.burst - reserveTokens(limit);
    const stored = parseState(this.store.getCursor(bucketKey(operation)), limit.burst);
    if (!stored) return { tokens: full, at: now };
    // A state from the future (clock stepped back) refills nothing rather than going negative.
    const elapsedSeconds = Math.max(0, now - stored.at) / 1000;
    return { tokens: Math.min(full, stored.tokens + elapsedSeconds * limit.rate), at: now };
  }

  #write(operation: SpApiOperation, state: BucketState): void {
    this.store.setCursor(bucketKey(operation), JSON.stringify(state));
  }

  #limit(operation: SpApiOperation): RateLimit {
    const limit = this.limits[operation];
    if (!(limit.rate > 0) || !(limit.burst >= 1))
      throw new IntegrationError(
        "SPAPI_RATE_LIMIT_INVALID",
        `amazon.rateLimits.${operation} needs a rate above 0 and a burst of at least 1`,
        false,
      );
    return limit;
  }
}

/** The stored state; below −burst (no drain writes that) it is read as −burst. */
function parseState(raw: string | undefined, burst: number): BucketState | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<BucketState> | null;
    return typeof value?.tokens === "number" &&
      Number.isFinite(value.tokens) &&
      typeof value.at === "number" &&
      Number.isFinite(value.at)
      ? { tokens: Math.max(-burst, value.tokens), at: value.at }
      : undefined;
  } catch {
    return undefined;
  }
}

/** SQLite's "another process is writing" (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT …): try again shortly. */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}
