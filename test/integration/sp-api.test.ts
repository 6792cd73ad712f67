import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { SpApiMarketplace } from "../../src/adapters/sp-api/sp-api.marketplace.js";
import { realTiming, type SpApiTiming } from "../../src/adapters/sp-api/spapi-timing.js";
import type { Config } from "../../src/app/config/config.js";
import type { OrderPage } from "../../src/app/ports/marketplace.port.js";
import { ConfirmShipments } from "../../src/app/use-cases/confirm-shipments.use-case.js";
import { ImportOrders, ORDER_CURSOR } from "../../src/app/use-cases/import-orders.use-case.js";
import { FixedClock } from "../support/fakes/fixed.clock.js";
import { MemoryAlertSink } from "../support/fakes/memory.alert-sink.js";
import { MemoryEventLog } from "../support/fakes/memory.event-log.js";
import { MemoryOrderStore } from "../support/fakes/memory.order-store.js";
import { aLocalFolderConfig } from "../support/local-folder-config.js";
import { aPackage } from "../support/order-mother.js";
import type { SpApiFault } from "../support/spapi-fake/faults.js";
import {
  anSpApiOrder,
  anSpApiOrderItem,
  PII_CANARY_PATTERN,
  type SpApiOrder,
} from "../support/spapi-fake/orders.js";
import { FAKE_LWA_CREDENTIALS, type SpApiFake, startSpApiFake } from "../support/spapi-fake/spapi-fake.js";
import { unrelatedTestCa } from "../support/spapi-fake/test-ca.js";

/** Amazon's rates times this: searchOrders 0.0056/s becomes 5.6/s, the bursts stay Amazon's. */
const SPEED = 1000;
const MAX_RETRIES = 3;
const T0 = "2026-12-04T12:00:00Z";
const ENV = {
  SPAPI_CLIENT_ID: FAKE_LWA_CREDENTIALS.clientId,
  SPAPI_CLIENT_SECRET: FAKE_LWA_CREDENTIALS.clientSecret,
  SPAPI_REFRESH_TOKEN: FAKE_LWA_CREDENTIALS.refreshToken,
};
/** Real time, with back-off steps short enough for a test. */
const FAST: SpApiTiming = { ...realTiming, backoffBaseMs: 20, backoffCapMs: 200 };

interface Rig {
  readonly fake: SpApiFake;
  readonly clock: FixedClock;
  readonly store: MemoryOrderStore;
  readonly log: MemoryEventLog;
  readonly config: Config;
  readonly root: string;
  marketplace: SpApiMarketplace;
  /** A new marketplace on the same store: another process, or the same one after a restart. */
  restart(): SpApiMarketplace;
  importer(): ImportOrders;
  dispose(): Promise<void>;
}

async function aRig(options: { caFile?: string; requestTimeoutSeconds?: number } = {}): Promise<Rig> {
  const clock = new FixedClock(T0);
  const fake = await startSpApiFake({ now: () => clock.now(), speedFactor: SPEED });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "sp-api-it-"));
  const base = aLocalFolderConfig(root);
  const scaled = (rate: number, burst: number) => ({ rate: rate * SPEED, burst });
  const config: Config = {
    ...base,
    adapters: { ...base.adapters, marketplace: "sp-api" },
    amazon: {
      ...base.amazon,
      loopback: { port: fake.port, caFile: options.caFile ?? fake.caFile },
      rateLimits: {
        searchOrders: scaled(0.0056, 20),
        getOrder: scaled(0.5, 30),
        confirmShipment: scaled(2, 10),
      },
      requestTimeoutSeconds: options.requestTimeoutSeconds ?? 2,
      maxRetries: MAX_RETRIES,
    },
  };
  const store = new MemoryOrderStore();
  const log = new MemoryEventLog();
  const make = () =>
    new SpApiMarketplace(
      config,
      { command: "cycle", consoleEvents: false, env: ENV },
      store,
      clock,
      log,
      FAST,
    );
  const rig: Rig = {
    fake,
    clock,
    store,
    log,
    config,
    root,
    marketplace: make(),
    restart() {
      rig.marketplace = make();
      return rig.marketplace;
    },
    importer: () => new ImportOrders(rig.marketplace, store, clock, log, new MemoryAlertSink(clock)),
    async dispose() {
      await fake.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  return rig;
}

/** `count` orders updated from 6 hours before the fake's now, one minute apart. */
function addOrders(rig: Rig, count: number, overrides: Partial<SpApiOrder> = {}): SpApiOrder[] {
  const now = rig.clock.now().getTime();
  const orders = Array.from({ length: count }, (_, i) =>
    anSpApiOrder(
      {
        lastUpdatedTime: new Date(now - 6 * 3_600_000 + i * 60_000).toISOString().replace(".000Z", "Z"),
        ...overrides,
      },
      { now: rig.clock.now() },
    ),
  );
  rig.fake.state.addOrders(orders);
  return orders;
}

async function poll(marketplace: SpApiMarketplace, cursor: string | undefined): Promise<OrderPage[]> {
  const pages: OrderPage[] = [];
  for await (const page of marketplace.changedOrders(cursor)) pages.push(page);
  return pages;
}

const storedIds = (rig: Rig) => rig.store.inStates(["NEW", "HELD", "CANCELLED"]).map((o) => o.facts.orderId);

let unhandled = 0;
const onUnhandled = () => {
  unhandled += 1;
};

// --- intake -----------------------------------------------------------------------------------------

const intake = suite<{ rig: Rig }>("sp-api on the SP-API fake: intake");
intake.before(() => {
  process.on("unhandledRejection", onUnhandled);
});
intake.before.each(async (ctx) => {
  ctx.rig = await aRig();
});
intake.after.each(async (ctx) => ctx.rig.dispose());

intake(
  "orders are imported across pages; every page is stored with its cursor and only the last moves it on",
  async ({ rig }) => {
    addOrders(rig, 250);
    const cursors: string[] = [];
    const setCursor = rig.store.setCursor.bind(rig.store);
    rig.store.setCursor = (name, value) => {
      if (name === ORDER_CURSOR) cursors.push(value);
      setCursor(name, value);
    };
    const report = await rig.importer().execute();
    assert.ok(report.ok, JSON.stringify(report.problems));
    assert.is(report.counts.imported, 250);
    assert.is(new Set(storedIds(rig)).size, 250);

    const searches = rig.fake.state.requestsOf("searchOrders");
    assert.is(searches.length, 3, "ceil(250 / 100) calls");
    const first = searches[0]?.query ?? {};
    assert.equal(Object.keys(first).sort(), [
      "fulfilledBy",
      "includedData",
      "lastUpdatedAfter",
      "maxResultsPerPage",
    ]);
    assert.is(first.fulfilledBy, "MERCHANT");
    assert.is(first.includedData, "RECIPIENT,FULFILLMENT");
    assert.is(first.maxResultsPerPage, "100");
    for (const later of searches.slice(1)) {
      assert.ok(later.query.paginationToken);
      assert.is(later.query.lastUpdatedAfter, first.lastUpdatedAfter, "pages repeat the same parameters");
      assert.is(later.query.includedData, first.includedData);
    }
    const start = Date.parse(T0) - rig.config.amazon.firstPollHours * 3_600_000;
    assert.is(
      Date.parse(first.lastUpdatedAfter ?? ""),
      start - 5 * 60_000,
      "first poll: firstPollHours ago, less the overlap",
    );
    const amazonBefore = new Date(Date.parse(T0) - 120_000).toISOString().replace(".000Z", "Z");
    assert.equal(cursors, [cursors[0], cursors[0], amazonBefore]);
    assert.is(Date.parse(cursors[0] ?? ""), start);
    assert.is(rig.store.getCursor(ORDER_CURSOR), amazonBefore);

    // The next poll starts at Amazon's lastUpdatedBefore, less five minutes: nothing new, one call.
    rig.clock.advance(10 * 60_000);
    const again = await rig.importer().execute();
    assert.is(again.counts.imported ?? 0, 0);
    const next = rig.fake.state.requestsOf("searchOrders")[3];
    assert.is(Date.parse(next?.query.lastUpdatedAfter ?? ""), Date.parse(amazonBefore) - 5 * 60_000);
  },
);

intake("a crash between pages loses nothing: the next poll re-reads the window", async ({ rig }) => {
  const orders = addOrders(rig, 150);
  const pages = rig.marketplace.changedOrders(undefined)[Symbol.asyncIterator]();
  const first = await pages.next();
  assert.not.ok(first.done);
  const firstPage = first.value as OrderPage;
  assert.is(firstPage.orders.length, 100);
  const seen = new Set(firstPage.orders.map((o) => o.facts.orderId));
  // The daemon stored page one with its cursor, then died before asking for page two.
  await pages.return?.();
  const afterRestart = await poll(rig.restart(), firstPage.cursor);
  for (const o of afterRestart.flatMap((p) => p.orders)) seen.add(o.facts.orderId);
  for (const o of orders) assert.ok(seen.has(o.orderId), `${o.orderId} was lost`);
});

intake("the ship-to arrives without the phone, and no PII reaches a log event", async ({ rig }) => {
  rig.fake.state.addOrder(anSpApiOrder({}, { now: rig.clock.now(), piiCanary: true }));
  const pages = await poll(rig.marketplace, undefined);
  const [order] = pages.flatMap((p) => p.orders);
  const shipTo = order?.shipTo?.reveal();
  assert.ok(shipTo);
  assert.match(shipTo.name, "Canary");
  assert.not.ok(JSON.stringify(shipTo).includes("555-0199"));
  assert.not.match(JSON.stringify(order), PII_CANARY_PATTERN);
  assert.not.match(JSON.stringify(rig.log.events), PII_CANARY_PATTERN);
});

intake(
  "a malformed order is skipped with a warning naming its id and field; the others are imported",
  async ({ rig }) => {
    const [good] = addOrders(rig, 1);
    const bad = anSpApiOrder(
      { orderItems: [anSpApiOrderItem({ product: { sellerSku: undefined } })] },
      { now: rig.clock.now() },
    );
    rig.fake.state.addOrder(bad);
    const report = await rig.importer().execute();
    assert.ok(report.ok);
    assert.equal(storedIds(rig), [good?.orderId]);
    const [warning] = rig.log.named("spapi.order-malformed");
    assert.is(warning?.fields.orderId, bad.orderId);
    assert.is(warning?.fields.reason, "orderItems[0].product.sellerSku");
  },
);

intake("concurrent first calls share one Login with Amazon request", async ({ rig }) => {
  addOrders(rig, 1);
  await Promise.all([
    poll(rig.marketplace, undefined),
    poll(rig.marketplace, undefined),
    poll(rig.marketplace, undefined),
  ]);
  assert.is(rig.fake.state.tokenRequests, 1);
  assert.is(rig.marketplace.tokenFetches, 1);
});

intake(
  "a caFile that does not verify the server's certificate fails with a TLS error; no request reaches the fake",
  async () => {
    const rig = await aRig({ caFile: unrelatedTestCa().caFile });
    try {
      addOrders(rig, 1);
      const report = await rig.importer().execute();
      assert.not.ok(report.ok);
      const [problem] = report.problems;
      assert.is(problem?.code, "SPAPI_TLS");
      assert.match(problem?.message ?? "", "TLS");
      assert.match(problem?.message ?? "", "api.amazon.com");
      assert.is(rig.fake.state.requests.length, 0);
    } finally {
      await rig.dispose();
    }
  },
);

intake.run();

// --- faults -----------------------------------------------------------------------------------------

const faults = suite<{ rig: Rig }>("sp-api on the SP-API fake: every fault is survived");
faults.before.each(async (ctx) => {
  ctx.rig = await aRig({ requestTimeoutSeconds: 1 });
});
faults.after.each(async (ctx) => ctx.rig.dispose());

const SURVIVABLE: readonly SpApiFault[] = [
  "quota-exceeded",
  "quota-exceeded-no-rate-header",
  "internal-failure",
  "service-unavailable",
  "connection-reset",
  "truncated-json",
  "hang",
];

for (const fault of SURVIVABLE) {
  faults(
    `searchOrders ${fault} twice: retried within maxRetries, every order imported once`,
    async ({ rig }) => {
      const orders = addOrders(rig, 120);
      rig.fake.state.injectFault("searchOrders", fault, 2);
      const report = await rig.importer().execute();
      assert.ok(report.ok, JSON.stringify(report.problems));
      assert.is(report.counts.imported, 120);
      assert.equal(new Set(storedIds(rig)), new Set(orders.map((o) => o.orderId)));
      const retries = rig.log.named("spapi.retry");
      assert.is(retries.length, 2);
      assert.ok(retries.every((e) => Number(e.fields.attempt) <= MAX_RETRIES));
      assert.is(rig.fake.state.requestsOf("searchOrders").length, 2 + 2, "two faults, two pages");
      const again = await rig.importer().execute();
      assert.is(again.counts.imported ?? 0, 0, "nothing imported twice");
      assert.is(unhandled, 0);
    },
  );
}

faults(
  "a fault that outlasts maxRetries fails the step with status and request id, and the next pass recovers",
  async ({ rig }) => {
    addOrders(rig, 5);
    rig.fake.state.injectFault("searchOrders", "service-unavailable", MAX_RETRIES + 1);
    const report = await rig.importer().execute();
    assert.not.ok(report.ok);
    const [problem] = report.problems;
    assert.is(problem?.code, "SPAPI_SERVER_ERROR");
    const requests = rig.fake.state.requestsOf("searchOrders");
    assert.is(requests.length, MAX_RETRIES + 1, "one call and maxRetries retries");
    assert.match(problem?.message ?? "", "HTTP 503");
    assert.match(problem?.message ?? "", `request id ${requests.at(-1)?.requestId}`);
    assert.ok(rig.log.named("spapi.call-failed")[0]?.fields.errorMessage?.toString().includes("HTTP 503"));
    assert.is(rig.store.getCursor(ORDER_CURSOR), undefined, "the cursor did not move");
    const next = await rig.importer().execute();
    assert.ok(next.ok);
    assert.is(next.counts.imported, 5);
  },
);

faults("a 403 'expired' refreshes the token once and the call succeeds", async ({ rig }) => {
  addOrders(rig, 3);
  await rig.importer().execute();
  assert.is(rig.fake.state.tokenRequests, 1);
  rig.fake.state.expireAccessTokens();
  addOrders(rig, 2);
  rig.clock.advance(60 * 60_000);
  const report = await rig.importer().execute();
  assert.ok(report.ok, JSON.stringify(report.problems));
  assert.is(rig.fake.state.tokenRequests, 2);
});

faults("an injected 403 'expired' costs exactly one refresh", async ({ rig }) => {
  addOrders(rig, 1);
  rig.fake.state.injectFault("confirmShipment", "token-expired");
  rig.fake.state.injectFault("searchOrders", "token-expired");
  const report = await rig.importer().execute();
  assert.ok(report.ok);
  assert.is(rig.fake.state.tokenRequests, 2);
  assert.is(rig.fake.state.requestsOf("searchOrders").length, 2);
});

faults("a revoked token is reported as SPAPI_FORBIDDEN without retries", async ({ rig }) => {
  addOrders(rig, 1);
  await rig.importer().execute();
  rig.fake.state.revokeAccessTokens();
  rig.clock.advance(10 * 60_000);
  const before = rig.fake.state.requestsOf("searchOrders").length;
  const report = await rig.importer().execute();
  assert.is(report.problems[0]?.code, "SPAPI_FORBIDDEN");
  assert.match(report.problems[0]?.message ?? "", "HTTP 403");
  assert.is(rig.fake.state.requestsOf("searchOrders").length, before + 1);
  assert.is(rig.fake.state.tokenRequests, 1);
});

faults("Login with Amazon failing, resetting or hanging is retried like any call", async ({ rig }) => {
  addOrders(rig, 2);
  rig.fake.state.injectFault("lwaToken", "service-unavailable");
  rig.fake.state.injectFault("lwaToken", "connection-reset");
  rig.fake.state.injectFault("lwaToken", "hang");
  const report = await rig.importer().execute();
  assert.ok(report.ok, JSON.stringify(report.problems));
  assert.is(report.counts.imported, 2);
  assert.is(rig.fake.state.tokenRequests, 4);
  assert.equal(
    rig.log.named("spapi.retry").map((e) => e.fields.errorCode),
    ["SPAPI_LWA_UNAVAILABLE", "SPAPI_NETWORK", "SPAPI_TIMEOUT"],
  );
});

faults("wrong app credentials are refused by LWA and reported without the secret", async ({ rig }) => {
  const marketplace = new SpApiMarketplace(
    rig.config,
    { command: "cycle", consoleEvents: false, env: { ...ENV, SPAPI_CLIENT_SECRET: "wrong-secret-9F3KQ" } },
    rig.store,
    rig.clock,
    rig.log,
    FAST,
  );
  const error = await poll(marketplace, undefined).then(
    () => undefined,
    (e: unknown) => e as Error & { code?: string },
  );
  assert.is(error?.code, "SPAPI_LWA_REJECTED");
  assert.not.ok(error?.message.includes("wrong-secret-9F3KQ"));
  assert.is(rig.fake.state.tokenRequests, 1, "not retried");
});

faults("errors and events carry no secret, access token or response body", async ({ rig }) => {
  addOrders(rig, 2);
  for (const fault of ["internal-failure", "truncated-json", "quota-exceeded"] as const)
    rig.fake.state.injectFault("searchOrders", fault);
  await rig.importer().execute();
  rig.fake.state.injectFault("searchOrders", "service-unavailable", MAX_RETRIES + 1);
  rig.clock.advance(10 * 60_000);
  const report = await rig.importer().execute();
  const texts = [JSON.stringify(rig.log.events), JSON.stringify(report)];
  const secrets = [
    FAKE_LWA_CREDENTIALS.clientSecret,
    FAKE_LWA_CREDENTIALS.refreshToken,
    ...rig.fake.state.issuedTokens(),
    "We encountered an internal error",
    "Service temporarily unavailable",
  ];
  for (const text of texts) for (const secret of secrets) assert.not.ok(text.includes(secret), secret);
  assert.ok(rig.log.named("spapi.retry").length >= 3);
});

faults.run();

// --- confirmations ---------------------------------------------------------------------------------

const confirm = suite<{ rig: Rig }>("sp-api on the SP-API fake: shipment confirmation");
confirm.before.each(async (ctx) => {
  ctx.rig = await aRig();
});
confirm.after.each(async (ctx) => ctx.rig.dispose());

/** Imports one two-item order and marks it shipped in two packages, as collect would. */
async function shippedInTwoPackages(rig: Rig) {
  const items = [anSpApiOrderItem(), anSpApiOrderItem()];
  rig.fake.state.addOrder(anSpApiOrder({ orderItems: items }, { now: rig.clock.now() }));
  await rig.importer().execute();
  const [order] = rig.store.inStates(["NEW"]);
  assert.ok(order);
  const packages = items.map((item, i) =>
    aPackage({
      packageReferenceId: String(i + 1),
      items: [{ orderItemId: item.orderItemId, quantity: 1 }],
      shipDate: "2026-12-04T11:00:00Z",
    }),
  );
  rig.store.update({ ...order, state: "SHIPPED_FULL", packages });
  return order.facts.orderId;
}

const confirmer = (rig: Rig) =>
  new ConfirmShipments(rig.marketplace, rig.store, rig.clock, rig.log, new MemoryAlertSink(rig.clock));

confirm("a shipment of two packages makes exactly two calls", async ({ rig }) => {
  const orderId = await shippedInTwoPackages(rig);
  const report = await confirmer(rig).execute();
  assert.ok(report.ok, JSON.stringify(report.problems));
  assert.is(report.counts.confirmed, 2);
  assert.is(rig.fake.state.requestsOf("confirmShipment").length, 2);
  const sent = rig.fake.state.confirmations(orderId).map((c) => c.body);
  assert.equal(sent.map((b) => b.packageDetail.packageReferenceId).sort(), ["1", "2"]);
  for (const body of sent) {
    assert.is(body.marketplaceId, "ATVPDKIKX0DER");
    assert.is(body.packageDetail.carrierCode, "UPS");
    assert.is(body.packageDetail.carrierName, undefined);
    assert.is(body.packageDetail.shipDate, "2026-12-04T11:00:00Z");
  }
  assert.is(rig.store.get(orderId)?.state, "CONFIRMED");
});

confirm(
  "a replayed confirmation sends the same packageReferenceId and edits the package",
  async ({ rig }) => {
    const orderId = await shippedInTwoPackages(rig);
    const before = rig.store.get(orderId);
    // Amazon took package 1, but its answer was lost: the package is still pending here.
    rig.fake.state.injectFault("confirmShipment", "truncated-json");
    const report = await confirmer(rig).execute();
    assert.ok(report.ok, JSON.stringify(report.problems));
    const calls = rig.fake.state.requestsOf("confirmShipment");
    assert.is(calls.length, 3, "package 1 twice (the retry), package 2 once");
    const refs = calls.map(
      (c) =>
        (JSON.parse(c.body) as { packageDetail: { packageReferenceId: string } }).packageDetail
          .packageReferenceId,
    );
    assert.equal(refs, ["1", "1", "2"]);
    const records = rig.fake.state.confirmations(orderId);
    assert.is(records.length, 2);
    assert.is(records.find((r) => r.packageReferenceId === "1")?.version, 2);
    // And a whole pass replayed after a crash before the outcome was stored:
    if (before) rig.store.update(before);
    await confirmer(rig).execute();
    assert.is(rig.fake.state.confirmations(orderId).length, 2);
  },
);

confirm(
  "Amazon's 400 becomes a rejection with its code and message, not the request body",
  async ({ rig }) => {
    const [order] = addOrders(rig, 1);
    const outcome = await rig.marketplace.confirmShipment(order?.orderId ?? "", {
      packageReferenceId: "1",
      carrierCode: "Other",
      trackingNumber: "TRK-77",
      shipDate: "2026-12-04T11:00:00Z",
      items: [{ orderItemId: order?.orderItems[0]?.orderItemId ?? "", quantity: 1 }],
    });
    assert.equal(outcome, {
      kind: "rejected",
      code: "InvalidInput",
      message: "packageDetail.carrierName is required when carrierCode is Other",
    });
  },
);

confirm("carrierName is sent with carrierCode Other", async ({ rig }) => {
  const [order] = addOrders(rig, 1);
  const outcome = await rig.marketplace.confirmShipment(order?.orderId ?? "", {
    packageReferenceId: "1",
    carrierCode: "Other",
    carrierName: "Essendant Freight",
    trackingNumber: "TRK-78",
    shipDate: "2026-12-04T11:00:00Z",
    items: [{ orderItemId: order?.orderItems[0]?.orderItemId ?? "", quantity: 1 }],
  });
  assert.equal(outcome, { kind: "confirmed" });
  assert.is(rig.fake.state.confirmations()[0]?.body.packageDetail.carrierName, "Essendant Freight");
});

confirm("confirmation faults are retried within the bound: 429, 500, reset", async ({ rig }) => {
  const orderId = await shippedInTwoPackages(rig);
  rig.fake.state.injectFault("confirmShipment", "quota-exceeded");
  rig.fake.state.injectFault("confirmShipment", "internal-failure");
  rig.fake.state.injectFault("confirmShipment", "connection-reset");
  const report = await confirmer(rig).execute();
  assert.ok(report.ok, JSON.stringify(report.problems));
  assert.is(rig.fake.state.confirmations(orderId).length, 2);
  assert.is(rig.log.named("spapi.retry").length, 3);
});

confirm.run();

const teardown = suite("sp-api on the SP-API fake: process health");
teardown("no unhandled rejection escaped any call", () => {
  process.off("unhandledRejection", onUnhandled);
  assert.is(unhandled, 0);
});
teardown.run();
