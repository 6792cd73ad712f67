/** The SP-API operations the fake serves, plus the LWA token call (which has no bucket). */
export type SpApiOperation = "lwaToken" | "searchOrders" | "getOrder" | "confirmShipment";
export type ThrottledOperation = Exclude<SpApiOperation, "lwaToken">;

export interface RateLimit {
  /** Requests per second restored to the bucket. */
  readonly rate: number;
  /** Bucket size: how many requests may come at once. */
  readonly burst: number;
}

/** Amazon's documented usage plans (sp-api.md sections 1.2 and 2). */
export const AMAZON_RATE_LIMITS: Readonly<Record<ThrottledOperation, RateLimit>> = {
  searchOrders: { rate: 0.0056, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  confirmShipment: { rate: 2, burst: 10 },
};

/** A token bucket that starts full; `clockMs` is a monotonic millisecond clock. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly limit: RateLimit,
    private readonly clockMs: () => number,
  ) {
    this.tokens = limit.burst;
    this.last = clockMs();
  }

  /** Takes one token if there is one; false means the request is throttled. */
  take(): boolean {
    const now = this.clockMs();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.last) / 1000) * this.limit.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** One bucket per operation at Amazon's rates (or `overrides`), the rate multiplied by `speedFactor`. */
export function amazonBuckets(
  speedFactor: number,
  clockMs: () => number,
  overrides: Partial<Record<ThrottledOperation, RateLimit>> = {},
): Record<ThrottledOperation, TokenBucket> {
  const bucket = (op: ThrottledOperation) => {
    const base = overrides[op] ?? AMAZON_RATE_LIMITS[op];
    return new TokenBucket({ rate: base.rate * speedFactor, burst: base.burst }, clockMs);
  };
  return {
    searchOrders: bucket("searchOrders"),
    getOrder: bucket("getOrder"),
    confirmShipment: bucket("confirmShipment"),
  };
}
