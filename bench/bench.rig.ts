import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { Container } from "inversify";
import { realTiming, SpApiTiming } from "../src/adapters/sp-api/spapi-timing.js";
import { bucketKey, reserveTokens, StoreTokenBucket } from "../src/adapters/sp-api/store.token-bucket.js";
import { buildContainer } from "../src/app/composition/container.js";
import type { Config, RateLimit, SpApiOperation } from "../src/app/config/config.js";
import { EventLog } from "../src/app/ports/event-log.port.js";
import { Marketplace } from "../src/app/ports/marketplace.port.js";
import { OrderStore } from "../src/app/ports/order-store.port.js";
import { aLocalFolderConfig } from "../test/support/local-folder-config.js";
import {
  FAKE_LWA_CREDENTIALS,
  type SpApiFake,
  startSpApiFake,
} from "../test/support/spapi-fake/spapi-fake.js";
import { AMAZON_RATE_LIMITS } from "../test/support/spapi-fake/token-buckets.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The fake (Amazon's buckets, rates × speed) and the real container configured with the same limits. */
export interface BenchRig {
  readonly fake: SpApiFake;
  readonly container: Container;
  readonly store: OrderStore;
  readonly marketplace: Marketplace;
  /** The scaled limits both sides use. */
  readonly limits: Readonly<Record<SpApiOperation, RateLimit>>;
  dispose(): Promise<void>;
}

/** Amazon's documented limits with every rate multiplied by `speed` (bursts stay Amazon's). */
export function scaledLimits(speed: number): Record<SpApiOperation, RateLimit> {
  const scale = (l: RateLimit) => ({ rate: l.rate * speed, burst: l.burst });
  return {
    searchOrders: scale(AMAZON_RATE_LIMITS.searchOrders),
    getOrder: scale(AMAZON_RATE_LIMITS.getOrder),
    confirmShipment: scale(AMAZON_RATE_LIMITS.confirmShipment),
  };
}

/**
 * Starts the SP-API fake at Amazon's limits × `speed` and builds the real container (sp-api
 * plugin, sqlite store, tslog) on a temp directory, as `fulfillment cycle` would.
 */
export async function startRig(speed: number): Promise<BenchRig> {
  const fake = await startSpApiFake({ speedFactor: speed });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "fulfillment-bench-"));
  const base = aLocalFolderConfig(root);
  const limits = scaledLimits(speed);
  const config: Config = {
    ...base,
    adapters: { ...base.adapters, marketplace: "sp-api" },
    amazon: {
      ...base.amazon,
      loopback: { port: fake.port, caFile: fake.caFile },
      rateLimits: limits,
      requestTimeoutSeconds: 10,
    },
    essendant: { ...base.essendant, skuMapFile: path.join(ROOT, "config/sku-map.csv") },
  };
  const env = {
    SPAPI_CLIENT_ID: FAKE_LWA_CREDENTIALS.clientId,
    SPAPI_CLIENT_SECRET: FAKE_LWA_CREDENTIALS.clientSecret,
    SPAPI_REFRESH_TOKEN: FAKE_LWA_CREDENTIALS.refreshToken,
  };
  const container = buildContainer(config, { command: "cycle", consoleEvents: false, env });
  // Back-off delays are scaled like Amazon's rates, so a 429 costs the same share of a refill
  // interval as it would at Amazon's speed (unscaled, 0.5-1 s would dwarf a 2.5 ms interval).
  container.bind(SpApiTiming).toConstantValue({
    ...realTiming,
    backoffBaseMs: realTiming.backoffBaseMs / speed,
    backoffCapMs: realTiming.backoffCapMs / speed,
  });
  const store = container.get(OrderStore);
  return {
    fake,
    container,
    store,
    marketplace: container.get(Marketplace),
    limits,
    async dispose() {
      await container.get(EventLog).flush();
      store.close();
      await fake.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** t = 0 of a benchmark: the instant (epoch ms) and the tokens Amazon's bucket (the fake's) held then. */
export interface BucketAtStart {
  readonly at: number;
  readonly tokens: number;
  /** Calls spent to get there. */
  readonly drainCalls: number;
  /** False when the client could not spend tokens as fast as they refill (see `drain`). */
  readonly emptied: boolean;
}

/**
 * Brings `operation`'s buckets to the steady state of a running daemon: empty. The fake has no
 * option to start its buckets empty, so real calls spend them: each `spend()` is one request
 * that takes a token from the client's bucket and from the fake's, which both started full, so
 * they empty together (the fake keeps the client's reserve, see `reserveTokens`). It stops once
 * the client's bucket holds less than one token.
 *
 * One `spend()` comes first, then a pause of two refill intervals, which brings both buckets back
 * to full: the LWA token, the package's client and the first TLS handshake cost ~100 ms once,
 * as after a daemon's start, not in its steady state. Were that cost in the first drain call, the
 * fake would take its token that much later than the client and stay that far behind it.
 *
 * A client whose calls take longer than a refill interval never empties the bucket; the drain
 * gives up after three bursts' worth of calls and t = 0 starts with what is left (`emptied` false).
 */
export async function drain(
  rig: BenchRig,
  operation: SpApiOperation,
  spend: () => Promise<void>,
): Promise<BucketAtStart> {
  const { rate, burst } = rig.limits[operation];
  await spend();
  await new Promise((resolve) => setTimeout(resolve, (2 * 1000) / rate));
  const bucket = new StoreTokenBucket(rig.store, rig.limits, realTiming);
  let drainCalls = 1;
  while (bucket.available(operation) >= 1 && drainCalls <= 3 * burst) {
    await spend();
    drainCalls += 1;
  }
  const at = Date.now();
  const state = JSON.parse(rig.store.getCursor(bucketKey(operation)) ?? "null") as {
    tokens?: unknown;
    at?: unknown;
  } | null;
  if (typeof state?.tokens !== "number" || typeof state.at !== "number")
    throw new Error(`the sp-api plugin stored no bucket for ${operation}; cannot time from empty`);
  // The client's model trails Amazon's bucket by its reserve; the bound is set by Amazon's (the fake's).
  const reserve = reserveTokens(rig.limits[operation]);
  const model = state.tokens + (Math.max(0, at - state.at) / 1000) * rate;
  const tokens = Math.min(burst, model + reserve);
  return { at, tokens, drainCalls, emptied: model < 1 };
}

/** The drain's line of output: how t = 0 was reached. */
export function describeStart(start: BucketAtStart, what: string): string {
  const left = `${start.tokens.toFixed(3)} tokens left`;
  return start.emptied
    ? `  buckets drained with ${start.drainCalls} ${what} before timing; t=0 with ${left}`
    : `  buckets NOT drained: ${start.drainCalls} ${what} spent tokens slower than they refill; t=0 with ${left}`;
}

/**
 * The shortest time in which `calls` requests can all be sent, counted from the instant the
 * bucket held `tokensAtStart` tokens: a bucket refilling at `rate` tokens/s lets the k-th
 * request go no sooner than (k − tokensAtStart) / rate, so the last one no sooner than
 * max(0, calls − tokensAtStart) / rate. The burst does not matter once the bucket starts empty
 * (tokensAtStart < 1 after `drain`). The answer of the last request comes later still, so a
 * perfect client measures slightly above this bound; the target allows 5 %.
 */
export function lowerBoundMs(calls: number, tokensAtStart: number, rate: number): number {
  return (Math.max(0, calls - tokensAtStart) / rate) * 1000;
}

/** The target of both benchmarks: elapsed time at most 5 % above the lower bound. */
export const MAX_RATIO = 1.05;

export interface BenchOptions {
  readonly print: (line: string) => void;
  /** Overrides the benchmark's speed factor (Amazon's rates are multiplied by it). */
  readonly speed?: number;
}

export interface BenchResult {
  /** The final line, e.g. `intake: orders=2000 calls=20 throttled=0 ratio=1.01`. */
  readonly line: string;
  /** Targets missed, each a sentence; empty when all are met. */
  readonly misses: readonly string[];
}

/** One searchOrders call when Amazon has nothing new (nothing is stored). */
export async function emptyPoll(rig: BenchRig): Promise<void> {
  for await (const page of rig.marketplace.changedOrders(undefined))
    if (page.orders.length > 0) throw new Error("an empty poll found orders");
}

/** An order Amazon does not know: the 404 spends a confirmShipment token like any call. */
const UNKNOWN_ORDER = "114-0000000-0000000";

/** One confirmShipment call that Amazon answers with 404 (nothing is stored). */
export async function confirmUnknownOrder(rig: BenchRig): Promise<void> {
  const outcome = await rig.marketplace.confirmShipment(UNKNOWN_ORDER, {
    packageReferenceId: "1",
    carrierCode: "UPS",
    trackingNumber: "1ZWARMUP",
    shipDate: "2026-12-04T12:00:00Z",
    items: [{ orderItemId: "1", quantity: 1 }],
  });
  if (outcome.kind !== "rejected") throw new Error("a confirmation for an unknown order was accepted");
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
