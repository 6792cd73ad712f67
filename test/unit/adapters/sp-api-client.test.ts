import { suite } from "uvu";
import * as assert from "uvu/assert";
import type {
  RawResponse,
  SpApiRequest,
  SpApiTransport,
} from "../../../src/adapters/sp-api/amazon-sp-api.transport.js";
import { type LwaGrant, LwaTokenSource } from "../../../src/adapters/sp-api/lwa.token-source.js";
import { SpApiClient } from "../../../src/adapters/sp-api/spapi.client.js";
import { SpApiError } from "../../../src/adapters/sp-api/spapi-errors.js";
import { backoffMs, type SpApiTiming } from "../../../src/adapters/sp-api/spapi-timing.js";
import { StoreTokenBucket } from "../../../src/adapters/sp-api/store.token-bucket.js";
import { DEFAULTS } from "../../../src/app/config/config.js";
import { MemoryEventLog } from "../../support/fakes/memory.event-log.js";
import { MemoryOrderStore } from "../../support/fakes/memory.order-store.js";

// Invented secrets in shapes the log sanitiser does not recognise, so a leak cannot hide behind masking.
const CLIENT_SECRET = "clientsecret-QX7PLM2R9VWK";
const REFRESH_TOKEN = "refreshtoken-ZC4NB8TY1HGD";
const ACCESS_TOKEN = "accesstoken-JM5KS3UE6OFA";
const SECRETS = [CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN];

class ManualTiming implements SpApiTiming {
  at = Date.parse("2026-12-04T10:00:00Z");
  readonly sleeps: number[] = [];
  readonly backoffBaseMs = 1000;
  readonly backoffCapMs = 60_000;
  now(): number {
    return this.at;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.at += ms;
  }
  random = (): number => 0.5;
}

type Scripted = RawResponse | Error | "hang";

/** Answers from a script, one per request, and remembers the tokens it was called with. */
class ScriptedTransport implements SpApiTransport {
  readonly tokens: string[] = [];
  constructor(private readonly script: Scripted[]) {}
  async send(accessToken: string, _request: SpApiRequest): Promise<RawResponse> {
    this.tokens.push(accessToken);
    const next = this.script.shift() ?? ok({});
    if (next === "hang") return new Promise<never>(() => {});
    if (next instanceof Error) throw next;
    return next;
  }
  get calls(): number {
    return this.tokens.length;
  }
}

const REQUEST_ID = "a1b2c3d4-0000-4000-8000-000000000001";
function reply(status: number, body: unknown, headers: Record<string, string> = {}): RawResponse {
  return {
    status,
    headers: { "x-amzn-requestid": REQUEST_ID, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  };
}
const ok = (body: unknown) => reply(200, body);
const amazonError = (status: number, code: string, message: string, details?: string) =>
  reply(status, { errors: [{ code, message, ...(details === undefined ? {} : { details }) }] });
const EXPIRED = amazonError(
  403,
  "Unauthorized",
  "Access to requested resource is denied.",
  "The access token you provided has expired.",
);
const REVOKED = amazonError(
  403,
  "Unauthorized",
  "Access to requested resource is denied.",
  "The access token you provided is revoked, malformed or invalid.",
);
const QUOTA = amazonError(429, "QuotaExceeded", "You exceeded your quota for the requested resource.");

interface Rig {
  readonly client: SpApiClient;
  readonly transport: ScriptedTransport;
  readonly tokens: LwaTokenSource;
  readonly timing: ManualTiming;
  readonly log: MemoryEventLog;
  readonly store: MemoryOrderStore;
}

function rig(script: Scripted[], options: { maxRetries?: number; timeoutMs?: number } = {}): Rig {
  const timing = new ManualTiming();
  const store = new MemoryOrderStore();
  const log = new MemoryEventLog();
  const transport = new ScriptedTransport(script);
  let issued = 0;
  const tokens = new LwaTokenSource(async (): Promise<LwaGrant> => {
    issued += 1;
    return { accessToken: issued === 1 ? ACCESS_TOKEN : `${ACCESS_TOKEN}-${issued}`, expiresInSeconds: 3600 };
  }, timing);
  const client = new SpApiClient({
    transport,
    tokens,
    bucket: new StoreTokenBucket(store, DEFAULTS.rateLimits, timing),
    timing,
    log,
    rateLimits: DEFAULTS.rateLimits,
    maxRetries: options.maxRetries ?? 3,
    timeoutMs: options.timeoutMs ?? 30_000,
    host: "sellingpartnerapi-na.amazon.com",
  });
  return { client, transport, tokens, timing, log, store };
}

const CONFIRM: SpApiRequest = { operation: "confirmShipment", path: { orderId: "113-1234567-1234567" } };

async function failure(work: Promise<unknown>): Promise<SpApiError> {
  try {
    await work;
  } catch (error) {
    assert.instance(error, SpApiError);
    return error as SpApiError;
  }
  throw new Error("expected the call to fail");
}

function assertNoSecrets(r: Rig, error?: Error): void {
  const texts = [JSON.stringify(r.log.events), error?.message ?? "", JSON.stringify(error ?? {})];
  for (const text of texts) for (const secret of SECRETS) assert.not.ok(text.includes(secret), text);
}

// --- LWA token source ---------------------------------------------------------------------------

const tokens = suite("sp-api LWA token source");

tokens("concurrent callers share one token request (single flight)", async () => {
  const timing = new ManualTiming();
  let fetches = 0;
  let release: (grant: LwaGrant) => void = () => {};
  const source = new LwaTokenSource(() => {
    fetches += 1;
    return new Promise<LwaGrant>((resolve) => {
      release = resolve;
    });
  }, timing);
  const waiting = Promise.all([source.token(), source.token(), source.token(), source.token()]);
  release({ accessToken: ACCESS_TOKEN, expiresInSeconds: 3600 });
  assert.equal(await waiting, [ACCESS_TOKEN, ACCESS_TOKEN, ACCESS_TOKEN, ACCESS_TOKEN]);
  assert.is(fetches, 1);
  assert.is(await source.token(), ACCESS_TOKEN);
  assert.is(fetches, 1);
});

tokens("a token is replaced five minutes before it expires", async () => {
  const timing = new ManualTiming();
  let n = 0;
  const source = new LwaTokenSource(async () => ({ accessToken: `t${++n}`, expiresInSeconds: 3600 }), timing);
  assert.is(await source.token(), "t1");
  timing.at += 54 * 60_000;
  assert.is(await source.token(), "t1");
  timing.at += 60_000;
  assert.is(await source.token(), "t2");
});

tokens("a failed token request is not kept: the next caller asks again", async () => {
  const timing = new ManualTiming();
  let n = 0;
  const source = new LwaTokenSource(async () => {
    n += 1;
    if (n === 1) throw new Error("LWA down");
    return { accessToken: "t2", expiresInSeconds: 3600 };
  }, timing);
  await source.token().then(
    () => assert.unreachable(),
    () => {},
  );
  assert.is(await source.token(), "t2");
});

tokens("invalidating an old token keeps the newer one", async () => {
  const timing = new ManualTiming();
  let n = 0;
  const source = new LwaTokenSource(async () => ({ accessToken: `t${++n}`, expiresInSeconds: 3600 }), timing);
  await source.token();
  source.invalidate("t1");
  assert.is(await source.token(), "t2");
  source.invalidate("t1");
  assert.is(await source.token(), "t2");
  assert.is(source.fetches, 2);
});

tokens.run();

// --- the client -----------------------------------------------------------------------------------

const client = suite("sp-api client");

client("a 2xx answer is returned with its request id; a 204 has no body", async () => {
  const r = rig([ok({ orders: [] }), reply(204, "")]);
  assert.equal(await r.client.call({ operation: "searchOrders" }), {
    status: 200,
    requestId: REQUEST_ID,
    json: { orders: [] },
  });
  assert.equal(await r.client.call(CONFIRM), { status: 204, requestId: REQUEST_ID, json: undefined });
  assert.equal(r.transport.tokens, [ACCESS_TOKEN, ACCESS_TOKEN]);
  assert.is(r.tokens.fetches, 1);
});

client("a 400 is handed to the caller to interpret, not retried", async () => {
  const r = rig([amazonError(400, "InvalidInput", "carrierName is required")]);
  const answer = await r.client.call(CONFIRM);
  assert.is(answer.status, 400);
  assert.is(r.transport.calls, 1);
});

client("a 429 with x-amzn-RateLimit-Limit waits at least 1/rate before the retry", async () => {
  const throttled = { ...QUOTA, headers: { ...QUOTA.headers, "x-amzn-ratelimit-limit": "0.0056" } };
  const r = rig([throttled, ok({ orders: [] })]);
  await r.client.call({ operation: "searchOrders" });
  assert.is(r.transport.calls, 2);
  const waits = r.timing.sleeps;
  assert.ok(
    waits.some((ms) => ms >= Math.ceil(1000 / 0.0056)),
    `waited ${waits.join(", ")} ms; Amazon's restore interval is 178.6 s`,
  );
});

client("a 429 without the header waits at least 1/configured rate", async () => {
  const r = rig([QUOTA, reply(204, "")]);
  await r.client.call(CONFIRM);
  // confirmShipment: 2/s, so 500 ms; back-off's first step (1 s, jittered to 750 ms) is longer.
  assert.ok((r.timing.sleeps[0] ?? 0) >= 500);
  const r2 = rig([QUOTA, ok({ orders: [] })]);
  await r2.client.call({ operation: "searchOrders" });
  assert.ok((r2.timing.sleeps[0] ?? 0) >= Math.ceil(1000 / 0.0056), String(r2.timing.sleeps));
});

client("a 429 empties the shared bucket, so the next call waits a full refill", async () => {
  const r = rig([QUOTA, reply(204, "")]);
  await r.client.call(CONFIRM);
  const bucket = new StoreTokenBucket(r.store, DEFAULTS.rateLimits, r.timing);
  assert.ok(bucket.available("confirmShipment") < 10);
});

client("back-off grows exponentially with jitter and is capped", () => {
  const timing = new ManualTiming();
  assert.is(backoffMs(timing, 1), 750);
  assert.is(backoffMs(timing, 2), 1500);
  assert.is(backoffMs(timing, 3), 3000);
  assert.is(backoffMs(timing, 20), 45_000);
  timing.random = () => 0.999_999;
  assert.is(backoffMs(timing, 20), 60_000);
  assert.is(backoffMs(timing, 1, 180_000), 180_000);
});

client(
  "5xx answers are retried at most maxRetries times, then reported with status and request id",
  async () => {
    const fault = amazonError(503, "ServiceUnavailable", "Service temporarily unavailable.");
    const r = rig([fault, fault, fault, fault, fault, fault], { maxRetries: 3 });
    const error = await failure(r.client.call(CONFIRM));
    assert.is(r.transport.calls, 4, "one call and three retries");
    assert.is(error.code, "SPAPI_SERVER_ERROR");
    assert.ok(error.retryable);
    assert.is(error.status, 503);
    assert.is(error.amazonCode, "ServiceUnavailable");
    assert.is(error.requestId, REQUEST_ID);
    assert.match(error.message, "HTTP 503");
    assert.match(error.message, REQUEST_ID);
    assert.is(r.log.named("spapi.retry").length, 3);
    assert.is(r.log.named("spapi.call-failed").length, 1);
    assert.equal(
      r.log.named("spapi.retry").map((e) => e.fields.attempt),
      [1, 2, 3],
    );
  },
);

client("a recovered fault ends in success after the retries it needed", async () => {
  const r = rig([amazonError(500, "InternalFailure", "x"), ok({ orders: [1] })]);
  const answer = await r.client.call({ operation: "searchOrders" });
  assert.equal(answer.json, { orders: [1] });
  assert.is(r.transport.calls, 2);
});

client("network errors and timeouts are retried; JSON cut short is retried", async () => {
  const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
  const timeout = Object.assign(new Error("deadline"), { code: "API_DEADLINE_TIMEOUT" });
  const r = rig([reset, timeout, reply(200, '{"orders":[{"orderId":'), ok({ orders: [] })]);
  await r.client.call({ operation: "searchOrders" });
  assert.is(r.transport.calls, 4);
  assert.equal(
    r.log.named("spapi.retry").map((e) => e.fields.errorCode),
    ["SPAPI_NETWORK", "SPAPI_TIMEOUT", "SPAPI_BAD_RESPONSE"],
  );
});

client("a call whose promise never settles ends at our deadline", async () => {
  const r = rig(["hang"], { maxRetries: 0, timeoutMs: 40 });
  const started = Date.now();
  const error = await failure(r.client.call(CONFIRM));
  assert.is(error.code, "SPAPI_TIMEOUT");
  assert.ok(Date.now() - started < 2000);
});

client("a 403 'expired' refreshes the token once and retries", async () => {
  const r = rig([EXPIRED, reply(204, "")]);
  await r.client.call(CONFIRM);
  assert.is(r.tokens.fetches, 2);
  assert.equal(r.transport.tokens, [ACCESS_TOKEN, `${ACCESS_TOKEN}-2`]);
  assert.equal(r.timing.sleeps, [], "no back-off for a refresh");
});

client("a second 403 'expired' in one call is reported, not looped on", async () => {
  const r = rig([EXPIRED, EXPIRED, EXPIRED]);
  const error = await failure(r.client.call(CONFIRM));
  assert.is(error.code, "SPAPI_FORBIDDEN");
  assert.is(r.transport.calls, 2);
  assert.is(r.tokens.fetches, 2);
});

client("other 403s are SPAPI_FORBIDDEN, not retried", async () => {
  const r = rig([REVOKED, ok({})]);
  const error = await failure(r.client.call(CONFIRM));
  assert.is(error.code, "SPAPI_FORBIDDEN");
  assert.not.ok(error.retryable);
  assert.is(error.status, 403);
  assert.is(error.amazonCode, "Unauthorized");
  assert.is(r.transport.calls, 1);
  assert.is(r.tokens.fetches, 1);
});

client("a TLS verification failure is reported at once and never retried", async () => {
  const tlsError = Object.assign(new Error("unable to verify the first certificate"), {
    code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  });
  const r = rig([tlsError, ok({})]);
  const error = await failure(r.client.call(CONFIRM));
  assert.is(error.code, "SPAPI_TLS");
  assert.match(error.message, "UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  assert.is(r.transport.calls, 1);
});

client("every attempt takes a token from the operation's bucket", async () => {
  const r = rig([amazonError(500, "InternalFailure", "x"), reply(204, "")]);
  await r.client.call(CONFIRM);
  const bucket = new StoreTokenBucket(r.store, DEFAULTS.rateLimits, r.timing);
  // 2 taken, and less than a second of refill (2/s) happened during the back-off of 750 ms.
  assert.ok(bucket.available("confirmShipment") < 10 - 2 + 1.6, String(bucket.available("confirmShipment")));
});

client("errors and log events never carry a token, a secret or a response body", async () => {
  // The package puts a non-JSON body into its error message; Amazon could echo anything in a body.
  const parseError = Object.assign(new Error(`<html>${ACCESS_TOKEN} ${REFRESH_TOKEN}</html>`), {
    code: "JSON_PARSE_ERROR",
  });
  const echoing = amazonError(500, "InternalFailure", `token ${ACCESS_TOKEN} secret ${CLIENT_SECRET}`);
  const r = rig([echoing, parseError], { maxRetries: 1 });
  const error = await failure(r.client.call(CONFIRM));
  assertNoSecrets(r, error);
  assert.not.match(error.message, "<html>");
  const r2 = rig([amazonError(403, `x ${ACCESS_TOKEN}`, "denied", REFRESH_TOKEN)]);
  assertNoSecrets(r2, await failure(r2.client.call(CONFIRM)));
});

client.run();
