import type { IncomingHttpHeaders } from "node:http";
import * as https from "node:https";
import { connect as tlsConnect } from "node:tls";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { anSpApiOrder, anSpApiOrderItem, PII_CANARY_PATTERN } from "../support/spapi-fake/orders.js";
import { FAKE_LWA_CREDENTIALS, type SpApiFake, startSpApiFake } from "../support/spapi-fake/spapi-fake.js";
import { unrelatedTestCa } from "../support/spapi-fake/test-ca.js";

const NA = "sellingpartnerapi-na.amazon.com";
const LWA = "api.amazon.com";
const T0 = Date.parse("2026-12-04T12:00:00Z");

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

interface Call {
  readonly host?: string;
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly ca?: string;
  readonly timeoutMs?: number;
  /** Extra TLS options for the client (maxVersion, servername …). */
  readonly tls?: https.RequestOptions;
}

/** A plain https.request to 127.0.0.1 that verifies the Amazon host name (SNI and Host) against the CA. */
function call(fake: SpApiFake, c: Call): Promise<Answer> {
  const host = c.host ?? NA;
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: "127.0.0.1",
        port: fake.port,
        servername: host,
        ca: c.ca ?? fake.ca,
        method: c.method ?? "GET",
        path: c.path,
        agent: false,
        headers: {
          host,
          ...(c.body === undefined ? {} : { "content-length": String(Buffer.byteLength(c.body)) }),
          ...c.headers,
        },
        ...c.tls,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on("error", reject);
      },
    );
    if (c.timeoutMs) req.setTimeout(c.timeoutMs, () => req.destroy(new Error("client timeout")));
    req.on("error", reject);
    req.end(c.body);
  });
}

const json = (a: Answer) => JSON.parse(a.text) as Record<string, unknown>;
const firstError = (a: Answer) =>
  (json(a).errors as { code: string; message: string; details?: string }[])[0];

async function accessToken(fake: SpApiFake): Promise<string> {
  const a = await call(fake, {
    host: LWA,
    method: "POST",
    path: "/auth/o2/token",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "refresh_token",
      refresh_token: FAKE_LWA_CREDENTIALS.refreshToken,
      client_id: FAKE_LWA_CREDENTIALS.clientId,
      client_secret: FAKE_LWA_CREDENTIALS.clientSecret,
    }),
  });
  assert.is(a.status, 200, a.text);
  return json(a).access_token as string;
}

async function api(fake: SpApiFake, c: Call, token?: string): Promise<Answer> {
  const t = token ?? (await accessToken(fake));
  const headers: Record<string, string> = { "x-amz-access-token": t };
  if (c.body !== undefined) headers["content-type"] = "application/json";
  return call(fake, { ...c, headers: { ...headers, ...c.headers } });
}

function search(params: Record<string, string>): string {
  return `/orders/2026-01-01/orders?${new URLSearchParams(params)}`;
}

const iso = (ms: number) => new Date(ms).toISOString();
const confirmPath = (orderId: string) => `/orders/v0/orders/${orderId}/shipmentConfirmation`;

function confirmation(orderItemId: string, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    marketplaceId: "ATVPDKIKX0DER",
    packageDetail: {
      packageReferenceId: "1",
      carrierCode: "UPS",
      trackingNumber: "1Z999AA10123456784",
      shipDate: "2026-12-04T10:00:00Z",
      orderItems: [{ orderItemId, quantity: 1 }],
      ...overrides,
    },
  });
}

/** A fake on a controllable clock at T0; `advance` moves it. */
async function aFake(options: Parameters<typeof startSpApiFake>[0] = {}) {
  let now = T0;
  const fake = await startSpApiFake({ now: () => new Date(now), ...options });
  return { fake, advance: (ms: number) => (now += ms), nowMs: () => now };
}

/** Runs `body` against a fresh fake, closed afterwards whatever happens. */
async function withFake(
  options: Parameters<typeof aFake>[0],
  body: (started: Awaited<ReturnType<typeof aFake>>) => Promise<void>,
): Promise<void> {
  const started = await aFake(options);
  try {
    await body(started);
  } finally {
    await started.fake.close();
  }
}

// ---------------------------------------------------------------- Login with Amazon
const lwa = suite("spapi-fake: Login with Amazon");

lwa("a JSON refresh_token grant returns a distinct bearer token each time and is counted", async () => {
  await withFake({}, async ({ fake }) => {
    const a = await accessToken(fake);
    const b = await accessToken(fake);
    assert.match(a, /^Atza\|/);
    assert.is.not(a, b);
    assert.is(fake.state.tokenRequests, 2);
    assert.equal(fake.state.issuedTokens(), [a, b]);
  });
});

lwa("a form-urlencoded grant as Amazon documents it is accepted", async () => {
  await withFake({ tokenExpiresInSeconds: 5 }, async ({ fake }) => {
    const body = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: FAKE_LWA_CREDENTIALS.refreshToken,
      client_id: FAKE_LWA_CREDENTIALS.clientId,
      client_secret: FAKE_LWA_CREDENTIALS.clientSecret,
    }).toString();
    const a = await call(fake, {
      host: LWA,
      method: "POST",
      path: "/auth/o2/token",
      headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
      body,
    });
    assert.is(a.status, 200);
    assert.equal(Object.keys(json(a)).sort(), ["access_token", "expires_in", "token_type"]);
    assert.is(json(a).token_type, "bearer");
    assert.is(json(a).expires_in, 5);
    assert.ok(a.headers["x-amzn-requestid"]);
  });
});

lwa("a wrong refresh token is invalid_grant (400), a wrong client secret invalid_client (401)", async () => {
  await withFake({}, async ({ fake }) => {
    const grant = (fields: Record<string, string>) =>
      call(fake, {
        host: LWA,
        method: "POST",
        path: "/auth/o2/token",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          grant_type: "refresh_token",
          refresh_token: FAKE_LWA_CREDENTIALS.refreshToken,
          client_id: FAKE_LWA_CREDENTIALS.clientId,
          client_secret: FAKE_LWA_CREDENTIALS.clientSecret,
          ...fields,
        }),
      });
    const badGrant = await grant({ refresh_token: "Atzr|revoked" });
    assert.is(badGrant.status, 400);
    assert.equal(json(badGrant), {
      error_description: "The request has an invalid grant parameter : refresh_token",
      error: "invalid_grant",
    });
    const badClient = await grant({ client_secret: "wrong" });
    assert.is(badClient.status, 401);
    assert.is(json(badClient).error, "invalid_client");
    assert.equal(fake.state.issuedTokens(), []);
  });
});

lwa(
  "API calls need a valid token: missing and unknown are refused, an expired one says expired",
  async () => {
    await withFake({ tokenExpiresInSeconds: 5 }, async ({ fake, advance }) => {
      const path = "/orders/2026-01-01/orders/114-0000000-0000000";
      const none = await call(fake, { path });
      assert.is(none.status, 403);
      assert.is(firstError(none)?.code, "Unauthorized");
      const unknown = await api(fake, { path }, "Atza|forged");
      assert.is(
        firstError(unknown)?.details,
        "The access token you provided is revoked, malformed or invalid.",
      );
      const token = await accessToken(fake);
      assert.is((await api(fake, { path }, token)).status, 404);
      advance(5_000);
      const expired = await api(fake, { path }, token);
      assert.is(expired.status, 403);
      assert.is(firstError(expired)?.details, "The access token you provided has expired.");
      assert.is(expired.headers["x-amzn-ratelimit-limit"], undefined);
      const fresh = await accessToken(fake);
      fake.state.revokeAccessTokens();
      assert.match(firstError(await api(fake, { path }, fresh))?.details ?? "", /revoked/);
    });
  },
);

lwa.run();

// ---------------------------------------------------------------- searchOrders
const orders = suite("spapi-fake: searchOrders");

orders("parameters are validated as Amazon documents them (400 InvalidInput)", async () => {
  await withFake({}, async ({ fake, nowMs }) => {
    const token = await accessToken(fake);
    const after = iso(nowMs() - 3_600_000);
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /Exactly one of createdAfter and lastUpdatedAfter/],
      [{ createdAfter: after, lastUpdatedAfter: after }, /Exactly one/],
      [{ lastUpdatedAfter: after, lastUpdatedBefore: iso(nowMs() - 60_000) }, /at least 2 minutes before/],
      [{ lastUpdatedAfter: after, lastUpdatedBefore: iso(nowMs() - 7_200_000) }, /equal to or after/],
      [{ lastUpdatedAfter: after, createdBefore: iso(nowMs() - 600_000) }, /cannot be combined/],
      [{ lastUpdatedAfter: "04/12/2026" }, /ISO 8601/],
      [{ lastUpdatedAfter: after, fulfilledBy: "SELLER" }, /Invalid value 'SELLER' for fulfilledBy/],
      [{ lastUpdatedAfter: after, fulfillmentStatuses: "UNSHIPPED,Unshipped" }, /'Unshipped'/],
      [{ lastUpdatedAfter: after, includedData: "RECIPIENT,ADDRESS" }, /'ADDRESS' for includedData/],
      [{ lastUpdatedAfter: after, maxResultsPerPage: "101" }, /between 1 and 100/],
      [{ lastUpdatedAfter: after, maxResultsPerPage: "0" }, /between 1 and 100/],
      [{ LastUpdatedAfter: after }, /Unknown parameter: LastUpdatedAfter/],
      [{ lastUpdatedAfter: after, paginationToken: "bogus" }, /Invalid paginationToken/],
    ];
    for (const [params, message] of cases) {
      const a = await api(fake, { path: search(params) }, token);
      assert.is(a.status, 400, JSON.stringify(params));
      assert.is(firstError(a)?.code, "InvalidInput");
      assert.match(firstError(a)?.message ?? "", message);
      assert.is(a.headers["x-amzn-ratelimit-limit"], "0.0056");
    }
    const repeated = await api(
      fake,
      { path: `/orders/2026-01-01/orders?lastUpdatedAfter=${after}&fulfilledBy=MERCHANT&fulfilledBy=AMAZON` },
      token,
    );
    assert.match(firstError(repeated)?.message ?? "", /comma-separated/);
    const exactlyTwoMinutes = await api(
      fake,
      { path: search({ lastUpdatedAfter: after, lastUpdatedBefore: iso(nowMs() - 120_000) }) },
      token,
    );
    assert.is(exactlyTwoMinutes.status, 200);
  });
});

orders(
  "250 orders come in pages of 100, 100 and 50, sorted, with lastUpdatedBefore = now - 2 min",
  async () => {
    await withFake({ speedFactor: 1000 }, async ({ fake, nowMs }) => {
      const start = nowMs() - 10 * 3_600_000;
      for (let i = 0; i < 250; i++)
        fake.state.addOrder(anSpApiOrder({ lastUpdatedTime: iso(start + ((i * 7919) % 250) * 60_000) }));
      fake.state.addOrder(anSpApiOrder({ lastUpdatedTime: iso(nowMs() - 60_000) }));
      fake.state.addOrder(anSpApiOrder({ lastUpdatedTime: iso(start - 1) }));
      const token = await accessToken(fake);
      const base = {
        lastUpdatedAfter: iso(start - 1),
        fulfilledBy: "MERCHANT",
        includedData: "RECIPIENT,FULFILLMENT",
      };
      const seen: string[] = [];
      const times: number[] = [];
      const sizes: number[] = [];
      let next: string | undefined;
      do {
        const params: Record<string, string> = { ...base, maxResultsPerPage: "100" };
        if (next) params.paginationToken = next;
        const a = await api(fake, { path: search(params) }, token);
        assert.is(a.status, 200, a.text);
        const body = json(a) as {
          orders: { orderId: string; lastUpdatedTime: string }[];
          pagination?: { nextToken: string };
          lastUpdatedBefore: string;
        };
        assert.is(body.lastUpdatedBefore, iso(nowMs() - 120_000).replace(".000Z", "Z"));
        sizes.push(body.orders.length);
        for (const o of body.orders) {
          seen.push(o.orderId);
          times.push(Date.parse(o.lastUpdatedTime));
        }
        next = body.pagination?.nextToken;
      } while (next);
      assert.equal(sizes, [100, 100, 50]);
      assert.is(new Set(seen).size, 250);
      assert.equal(
        times,
        [...times].sort((a, b) => a - b),
      );
      const queries = fake.state.requestsOf("searchOrders").map((r) => r.query);
      assert.ok(
        queries.every((q) => q.includedData === "RECIPIENT,FULFILLMENT" && q.fulfilledBy === "MERCHANT"),
      );
      assert.match(
        fake.state.requestsOf("searchOrders")[0]?.rawQuery ?? "",
        /includedData=RECIPIENT%2CFULFILLMENT/,
      );
    });
  },
);

orders("a paginationToken needs the same parameters and expires after 24 hours", async () => {
  await withFake({}, async ({ fake, nowMs, advance }) => {
    const after = iso(nowMs() - 7_200_000);
    for (let i = 0; i < 3; i++) fake.state.addOrder(anSpApiOrder({}, { now: new Date(nowMs()) }));
    const token = await accessToken(fake);
    const first = json(
      await api(fake, { path: search({ lastUpdatedAfter: after, maxResultsPerPage: "1" }) }, token),
    );
    const nextToken = (first.pagination as { nextToken: string }).nextToken;
    const changed = await api(
      fake,
      { path: search({ lastUpdatedAfter: after, fulfilledBy: "MERCHANT", paginationToken: nextToken }) },
      token,
    );
    assert.is(changed.status, 400);
    assert.match(firstError(changed)?.message ?? "", /same parameters/);
    const ok = await api(
      fake,
      {
        path: search({
          lastUpdatedAfter: after,
          maxResultsPerPage: "2",
          includedData: "FULFILLMENT",
          paginationToken: nextToken,
        }),
      },
      token,
    );
    assert.is(ok.status, 200, "maxResultsPerPage and includedData may change");
    assert.is((json(ok).orders as unknown[]).length, 2);
    assert.is(json(ok).pagination, undefined, "the last page has no pagination");
    advance(24 * 3_600_000 + 1);
    const expired = await api(
      fake,
      { path: search({ lastUpdatedAfter: after, paginationToken: nextToken }) },
      await accessToken(fake),
    );
    assert.is(expired.status, 400);
    assert.match(firstError(expired)?.message ?? "", /expired/);
  });
});

orders(
  "includedData decides whether recipient, buyer and fulfillment are present; items always are",
  async () => {
    await withFake({}, async ({ fake, nowMs }) => {
      fake.state.addOrder(anSpApiOrder({}, { piiCanary: true, now: new Date(nowMs()) }));
      fake.state.addOrder(
        anSpApiOrder(
          { fulfillment: { fulfilledBy: "AMAZON", fulfillmentStatus: "SHIPPED" } },
          { now: new Date(nowMs()) },
        ),
      );
      const token = await accessToken(fake);
      const after = iso(nowMs() - 7_200_000);
      const basic = json(await api(fake, { path: search({ lastUpdatedAfter: after }) }, token))
        .orders as Record<string, unknown>[];
      assert.is(basic.length, 2);
      for (const o of basic) {
        assert.ok(!("recipient" in o) && !("buyer" in o) && !("fulfillment" in o));
        assert.ok(Array.isArray(o.orderItems));
      }
      assert.not.match(JSON.stringify(basic), PII_CANARY_PATTERN);
      const minimal = json(
        await api(
          fake,
          {
            path: search({
              lastUpdatedAfter: after,
              fulfilledBy: "MERCHANT",
              includedData: "RECIPIENT,FULFILLMENT",
            }),
          },
          token,
        ),
      ).orders as Record<string, unknown>[];
      assert.is(minimal.length, 1, "fulfilledBy=MERCHANT leaves out the AFN order");
      assert.ok("recipient" in (minimal[0] ?? {}) && "fulfillment" in (minimal[0] ?? {}));
      assert.ok(!("buyer" in (minimal[0] ?? {})));
      assert.match(JSON.stringify(minimal), PII_CANARY_PATTERN);
      const shipped = json(
        await api(
          fake,
          { path: search({ lastUpdatedAfter: after, fulfillmentStatuses: "SHIPPED,CANCELLED" }) },
          token,
        ),
      ).orders as unknown[];
      assert.is(shipped.length, 1);
    });
  },
);

orders("getOrder returns {order} or a 404 NotFound, with the operation's rate header", async () => {
  await withFake({}, async ({ fake }) => {
    const order = anSpApiOrder();
    fake.state.addOrder(order);
    const token = await accessToken(fake);
    const found = await api(
      fake,
      { path: `/orders/2026-01-01/orders/${order.orderId}?includedData=FULFILLMENT` },
      token,
    );
    assert.is(found.status, 200);
    assert.is((json(found).order as { orderId: string }).orderId, order.orderId);
    assert.is(found.headers["x-amzn-ratelimit-limit"], "0.5");
    const missing = await api(fake, { path: "/orders/2026-01-01/orders/114-9999999-9999999" }, token);
    assert.is(missing.status, 404);
    assert.is(firstError(missing)?.code, "NotFound");
    assert.is(missing.headers["x-amzn-ratelimit-limit"], "0.5");
    const ids = fake.state.requests.map((r) => r.requestId);
    assert.is(new Set(ids).size, ids.length);
    assert.is(missing.headers["x-amzn-requestid"], ids.at(-1));
  });
});

orders("an order updated now shows only in a search made 2 minutes later", async () => {
  await withFake({}, async ({ fake, nowMs, advance }) => {
    const order = anSpApiOrder({ fulfillment: { fulfillmentStatus: "PENDING" } }, { now: new Date(nowMs()) });
    fake.state.addOrder(order);
    const token = await accessToken(fake);
    const after = iso(nowMs() - 1_800_000);
    fake.state.updateOrder(order.orderId, { fulfillment: { fulfillmentStatus: "UNSHIPPED" } });
    const updated = fake.state.order(order.orderId);
    assert.is(updated?.fulfillment?.fulfilledBy, "MERCHANT", "the merge is deep");
    const before = json(await api(fake, { path: search({ lastUpdatedAfter: after }) }, token))
      .orders as unknown[];
    assert.is(before.length, 0);
    advance(120_000);
    const later = json(
      await api(fake, { path: search({ lastUpdatedAfter: after, includedData: "FULFILLMENT" }) }, token),
    ).orders as { fulfillment: { fulfillmentStatus: string } }[];
    assert.is(later[0]?.fulfillment.fulfillmentStatus, "UNSHIPPED");
  });
});

orders.run();

// ---------------------------------------------------------------- confirmShipment
const confirm = suite("spapi-fake: confirmShipment");

confirm(
  "a valid confirmation is 204 with an empty body, and re-sending its packageReferenceId edits it",
  async () => {
    await withFake({}, async ({ fake }) => {
      const order = anSpApiOrder({ orderItems: [anSpApiOrderItem({ quantityOrdered: 2 })] });
      fake.state.addOrder(order);
      const item = order.orderItems[0]?.orderItemId ?? "";
      const token = await accessToken(fake);
      const first = await api(
        fake,
        { method: "POST", path: confirmPath(order.orderId), body: confirmation(item) },
        token,
      );
      assert.is(first.status, 204);
      assert.is(first.text, "");
      assert.is(first.headers["x-amzn-ratelimit-limit"], "2.0");
      assert.is(fake.state.order(order.orderId)?.fulfillment?.fulfillmentStatus, "PARTIALLY_SHIPPED");
      const edit = confirmation(item, {
        trackingNumber: "1Z999AA10123456795",
        orderItems: [{ orderItemId: item, quantity: 2 }],
      });
      assert.is(
        (await api(fake, { method: "POST", path: confirmPath(order.orderId), body: edit }, token)).status,
        204,
      );
      const records = fake.state.confirmations(order.orderId);
      assert.is(records.length, 1);
      assert.is(records[0]?.version, 2);
      assert.is(records[0]?.body.packageDetail.trackingNumber, "1Z999AA10123456795");
      const stored = fake.state.order(order.orderId);
      assert.is(stored?.fulfillment?.fulfillmentStatus, "SHIPPED");
      assert.is(stored?.packages?.length, 1);
    });
  },
);

confirm("invalid confirmations are refused with 400 InvalidInput, an unknown order with 404", async () => {
  await withFake({ speedFactor: 1000 }, async ({ fake }) => {
    const order = anSpApiOrder();
    fake.state.addOrder(order);
    const item = order.orderItems[0]?.orderItemId ?? "";
    const token = await accessToken(fake);
    const cases: [string, RegExp][] = [
      [confirmation(item, { carrierCode: "Other" }), /carrierName is required/],
      [confirmation("00000000000000"), /not an item of order/],
      [confirmation(item, { packageReferenceId: "0" }), /positive numeric string/],
      [confirmation(item, { packageReferenceId: "A1" }), /positive numeric string/],
      [confirmation(item, { shipDate: "12/04/2026" }), /ISO 8601/],
      [confirmation(item, { trackingNumber: undefined }), /trackingNumber is required/],
      [confirmation(item, { orderItems: [{ orderItemId: item, quantity: 0 }] }), /at least 1/],
      [
        confirmation(item, { orderItems: [{ orderItemId: item, quantity: 2 }] }),
        /exceeds the quantity ordered/,
      ],
      [JSON.stringify({ packageDetail: {} }), /marketplaceId is required/],
      ["{not json", /not valid JSON/],
    ];
    for (const [body, message] of cases) {
      const a = await api(fake, { method: "POST", path: confirmPath(order.orderId), body }, token);
      assert.is(a.status, 400, body);
      assert.is(firstError(a)?.code, "InvalidInput");
      assert.match(firstError(a)?.message ?? "", message);
    }
    const unknown = await api(
      fake,
      { method: "POST", path: confirmPath("114-9999999-9999999"), body: confirmation(item) },
      token,
    );
    assert.is(unknown.status, 404);
    assert.equal(fake.state.confirmations(), []);
    const other = confirmation(item, { carrierCode: "Other", carrierName: "Essendant Freight" });
    assert.is(
      (await api(fake, { method: "POST", path: confirmPath(order.orderId), body: other }, token)).status,
      204,
    );
  });
});

confirm.run();

// ---------------------------------------------------------------- token buckets
const buckets = suite("spapi-fake: token buckets");

buckets(
  "at Amazon's rates the 21st searchOrders in a burst is 429 QuotaExceeded; 180 s refill one",
  async () => {
    let bucketMs = 0;
    await withFake({ bucketClockMs: () => bucketMs }, async ({ fake, nowMs }) => {
      const token = await accessToken(fake);
      const path = search({ lastUpdatedAfter: iso(nowMs() - 3_600_000) });
      for (let i = 0; i < 20; i++) assert.is((await api(fake, { path }, token)).status, 200);
      const throttled = await api(fake, { path }, token);
      assert.is(throttled.status, 429);
      assert.equal(json(throttled), {
        errors: [{ code: "QuotaExceeded", message: "You exceeded your quota for the requested resource." }],
      });
      assert.equal(fake.state.counter("searchOrders"), { requests: 21, throttled: 1, faults: 0 });
      bucketMs += 170_000;
      assert.is((await api(fake, { path }, token)).status, 429);
      bucketMs += 10_000;
      assert.is((await api(fake, { path }, token)).status, 200);
      const body = confirmation("1");
      const confirms: number[] = [];
      for (let i = 0; i < 11; i++)
        confirms.push(
          (await api(fake, { method: "POST", path: confirmPath("114-9999999-9999999"), body }, token)).status,
        );
      assert.equal(confirms, [...Array(10).fill(404), 429], "confirmShipment bursts 10");
    });
  },
);

buckets(
  "a speed factor of 1000 makes searchOrders refill at 5.6/s, and says so in the rate header",
  async () => {
    let bucketMs = 0;
    await withFake({ speedFactor: 1000, bucketClockMs: () => bucketMs }, async ({ fake, nowMs }) => {
      const token = await accessToken(fake);
      const path = search({ lastUpdatedAfter: iso(nowMs() - 3_600_000) });
      for (let i = 0; i < 20; i++) await api(fake, { path }, token);
      assert.is((await api(fake, { path }, token)).status, 429);
      bucketMs += 178;
      assert.is((await api(fake, { path }, token)).status, 429);
      bucketMs += 1;
      const refilled = await api(fake, { path }, token);
      assert.is(refilled.status, 200);
      assert.is(refilled.headers["x-amzn-ratelimit-limit"], "5.6");
    });
  },
);

buckets("on the real clock a throttled caller gets through once the scaled rate refills", async () => {
  await withFake({ speedFactor: 1000 }, async ({ fake, nowMs }) => {
    const token = await accessToken(fake);
    const path = search({ lastUpdatedAfter: iso(nowMs() - 3_600_000) });
    const statuses = await Promise.all(
      Array.from({ length: 30 }, () => api(fake, { path }, token).then((a) => a.status)),
    );
    assert.ok(statuses.includes(429));
    await new Promise((r) => setTimeout(r, 250));
    assert.is((await api(fake, { path }, token)).status, 200);
  });
});

buckets.run();

// ---------------------------------------------------------------- faults
const faults = suite("spapi-fake: fault injection");

faults("status faults answer the next N requests of their operation only, then it works again", async () => {
  await withFake({}, async ({ fake }) => {
    const order = anSpApiOrder();
    fake.state.addOrder(order);
    const token = await accessToken(fake);
    const path = `/orders/2026-01-01/orders/${order.orderId}`;
    const expected: [Parameters<typeof fake.state.injectFault>[1], number, string, string | undefined][] = [
      ["quota-exceeded", 429, "QuotaExceeded", "0.5"],
      ["quota-exceeded-no-rate-header", 429, "QuotaExceeded", undefined],
      ["token-expired", 403, "Unauthorized", undefined],
      ["token-revoked", 403, "Unauthorized", undefined],
      ["internal-failure", 500, "InternalFailure", undefined],
      ["service-unavailable", 503, "ServiceUnavailable", undefined],
    ];
    for (const [fault, status, code, rate] of expected) {
      fake.state.injectFault("getOrder", fault, 2);
      for (let i = 0; i < 2; i++) {
        const a = await api(fake, { path }, token);
        assert.is(a.status, status, fault);
        assert.is(firstError(a)?.code, code);
        assert.is(a.headers["x-amzn-ratelimit-limit"], rate, fault);
        assert.ok(a.headers["x-amzn-requestid"]);
      }
      assert.is((await api(fake, { path }, token)).status, 200);
    }
    fake.state.injectFault("getOrder", "token-expired");
    assert.is(
      firstError(await api(fake, { path }, token))?.details,
      "The access token you provided has expired.",
    );
    fake.state.injectFault("getOrder", "token-revoked");
    assert.match(
      firstError(await api(fake, { path }, token))?.details ?? "",
      /revoked, malformed or invalid/,
    );
    fake.state.injectFault("searchOrders", "internal-failure");
    assert.is((await api(fake, { path }, token)).status, 200, "a fault armed for another operation");
    assert.equal(fake.state.counter("getOrder"), { requests: 21, throttled: 4, faults: 14 });
  });
});

faults("a connection reset and a hang fail the client; close() ends the hang", async () => {
  const { fake } = await aFake();
  const token = await accessToken(fake);
  const path = "/orders/2026-01-01/orders/114-0000000-0000000";
  fake.state.injectFault("getOrder", "connection-reset");
  const reset = await api(fake, { path }, token).catch((e: Error) => e);
  assert.instance(reset, Error);
  fake.state.injectFault("lwaToken", "hang");
  let settled = false;
  const hung = accessToken(fake)
    .catch((e: Error) => e)
    .finally(() => {
      settled = true;
    });
  await new Promise((r) => setTimeout(r, 300));
  assert.not.ok(settled, "no answer while the fake hangs");
  await fake.close();
  assert.instance(await hung, Error);
  const last = fake.state.requests.at(-1);
  assert.is(last?.fault, "hang");
  assert.is(last?.status, undefined);
});

faults("truncated JSON is a 200 whose body stops halfway; the request was processed", async () => {
  await withFake({}, async ({ fake, nowMs }) => {
    fake.state.addOrder(anSpApiOrder({}, { now: new Date(nowMs()) }));
    const token = await accessToken(fake);
    fake.state.injectFault("searchOrders", "truncated-json");
    const a = await api(fake, { path: search({ lastUpdatedAfter: iso(nowMs() - 7_200_000) }) }, token);
    assert.is(a.status, 200);
    assert.is(Number(a.headers["content-length"]), Buffer.byteLength(a.text));
    assert.throws(() => JSON.parse(a.text));
    assert.match(a.text, /^\{"orders":\[/);
    const order = fake.state.orders()[0];
    fake.state.injectFault("confirmShipment", "truncated-json");
    const c = await api(
      fake,
      {
        method: "POST",
        path: confirmPath(order?.orderId ?? ""),
        body: confirmation(order?.orderItems[0]?.orderItemId ?? ""),
      },
      token,
    );
    assert.is(c.status, 200);
    assert.is(fake.state.confirmations().length, 1, "the confirmation was recorded before the answer broke");
    assert.equal(fake.state.fakeErrors, []);
  });
});

faults.run();

// ---------------------------------------------------------------- TLS and routing
const tls = suite("spapi-fake: TLS and routing");

tls("a client trusting another CA fails the handshake and sends nothing", async () => {
  await withFake({}, async ({ fake }) => {
    const error = await call(fake, { path: "/orders/2026-01-01/orders", ca: unrelatedTestCa().ca }).catch(
      (e: Error) => e,
    );
    assert.instance(error, Error);
    assert.match(
      String((error as NodeJS.ErrnoException).code ?? (error as Error).message),
      /CERT|certificate|verify|SIGNATURE|ISSUER/i,
    );
    assert.is(fake.state.requests.length, 0);
  });
});

tls("TLS below 1.2, a host name outside the certificate, or no servername fail the handshake", async () => {
  await withFake({}, async ({ fake }) => {
    const old = await call(fake, { path: "/x", tls: { maxVersion: "TLSv1.1", minVersion: "TLSv1" } }).catch(
      (e) => e,
    );
    assert.instance(old, Error);
    const stranger = await call(fake, { host: "evil.example.com", path: "/x" }).catch((e: Error) => e);
    assert.is((stranger as NodeJS.ErrnoException).code, "ERR_TLS_CERT_ALTNAME_INVALID");
    const noSni = await new Promise<Error | undefined>((resolve) => {
      const socket = tlsConnect({ host: "127.0.0.1", port: fake.port, ca: fake.ca }, () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.on("error", resolve);
    });
    assert.is(
      (noSni as NodeJS.ErrnoException | undefined)?.code,
      "ERR_TLS_CERT_ALTNAME_INVALID",
      "no IP SAN",
    );
    assert.is(fake.state.requests.length, 0);
  });
});

tls("every Amazon host name verifies against the fake's CA; unknown hosts and paths are 404", async () => {
  await withFake({}, async ({ fake }) => {
    for (const host of ["sellingpartnerapi-eu.amazon.com", "sellingpartnerapi-fe.amazon.com", NA]) {
      const a = await call(fake, { host, path: "/orders/2026-01-01/orders" });
      assert.is(a.status, 403, host);
    }
    assert.is((await call(fake, { host: LWA, path: "/auth/o2/token" })).status, 404, "GET on the token URL");
    assert.is((await call(fake, { host: "localhost", path: "/orders/2026-01-01/orders" })).status, 404);
    assert.is((await call(fake, { path: "/orders/v0/orders" })).status, 404);
  });
});

tls.run();
