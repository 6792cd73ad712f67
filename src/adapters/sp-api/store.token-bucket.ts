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

/**
 * Amazon's token bucket per operation, kept in the store so every process on the same data
 * directory (the daemon and a `cycle` run by hand) draws from one bucket. A token is taken inside
 * `store.transaction`, so two processes never both spend the last one (SQLite serialises writers).
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

  /** Empties the bucket after Amazon throttled anyway, so every process waits a full refill. */
  drain(operation: SpApiOperation): void {
    try {
      this.store.transaction(() => this.#write(operation, { tokens: 0, at: this.timing.now() }));
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
  }

  /** Tokens available now (for tests and diagnostics). */
  available(operation: SpApiOperation): number {
    return this.#refilled(operation, this.timing.now()).tokens;
  }

  /** 0 when a token was taken, else how long until one will be there. */
  #tryTake(operation: SpApiOperation): number {
    const now = this.timing.now();
    const state = this.#refilled(operation, now);
    if (state.tokens >= 1) {
      this.#write(operation, { tokens: state.tokens - 1, at: now });
      return 0;
    }
    const { rate } = this.#limit(operation);
    return Math.max(1, Math.ceil(((1 - state.tokens) / rate) * 1000));
  }

  #refilled(operation: SpApiOperation, now: number): BucketState {
    const { rate, burst } = this.#limit(operation);
    const stored = parseState(this.store.getCursor(bucketKey(operation)));
    if (!stored) return { tokens: burst, at: now };
    // A state from the future (clock stepped back) refills nothing rather than going negative.
    const elapsedSeconds = Math.max(0, now - stored.at) / 1000;
    return { tokens: Math.min(burst, stored.tokens + elapsedSeconds * rate), at: now };
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

function parseState(raw: string | undefined): BucketState | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<BucketState> | null;
    return typeof value?.tokens === "number" &&
      Number.isFinite(value.tokens) &&
      typeof value.at === "number" &&
      Number.isFinite(value.at)
      ? { tokens: Math.max(0, value.tokens), at: value.at }
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
