import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { RecordedConfirmation } from "../../src/adapters/sample/confirmation-rules.js";
import { SpApiMarketplace } from "../../src/adapters/sp-api/sp-api.marketplace.js";
import { realTiming } from "../../src/adapters/sp-api/spapi-timing.js";
import type { Config } from "../../src/app/config/config.js";
import { FixedClock } from "../support/fakes/fixed.clock.js";
import { MemoryEventLog } from "../support/fakes/memory.event-log.js";
import { MemoryOrderStore } from "../support/fakes/memory.order-store.js";
import { aLocalFolderConfig } from "../support/local-folder-config.js";
import type { ConfirmationRecord } from "../support/spapi-fake/order-book.js";
import { anSpApiOrder } from "../support/spapi-fake/orders.js";
import { FAKE_LWA_CREDENTIALS, type SpApiFake, startSpApiFake } from "../support/spapi-fake/spapi-fake.js";
import { marketplaceContract } from "./marketplace.contract.js";

const SPEED = 1000;
/** Each harness moves the fake's clock this far after adding orders, past Amazon's 2-minute lag and our overlap. */
const STEP_MS = 10 * 60_000;
const ENV = {
  SPAPI_CLIENT_ID: FAKE_LWA_CREDENTIALS.clientId,
  SPAPI_CLIENT_SECRET: FAKE_LWA_CREDENTIALS.clientSecret,
  SPAPI_REFRESH_TOKEN: FAKE_LWA_CREDENTIALS.refreshToken,
};

interface Slot {
  readonly fake: SpApiFake;
  readonly clock: FixedClock;
}

/** The contract's factory is synchronous: a fresh fake per test, started here, ahead of time. */
const POOL_SIZE = 10;
const pool: Slot[] = await Promise.all(
  Array.from({ length: POOL_SIZE }, async () => {
    const clock = new FixedClock("2026-12-04T12:00:00Z");
    return { clock, fake: await startSpApiFake({ now: () => clock.now(), speedFactor: SPEED }) };
  }),
);
const started = [...pool];

function aConfig(root: string, fake: SpApiFake): Config {
  const base = aLocalFolderConfig(root);
  return {
    ...base,
    adapters: { ...base.adapters, marketplace: "sp-api" },
    amazon: {
      ...base.amazon,
      loopback: { port: fake.port, caFile: fake.caFile },
      rateLimits: {
        searchOrders: { rate: 0.0056 * SPEED, burst: 20 },
        getOrder: { rate: 0.5 * SPEED, burst: 30 },
        confirmShipment: { rate: 2 * SPEED, burst: 10 },
      },
      requestTimeoutSeconds: 5,
    },
  };
}

/** The fake's record of a package, in the shape the contract compares. */
function recorded(c: ConfirmationRecord): RecordedConfirmation {
  const p = c.body.packageDetail;
  return {
    orderId: c.orderId,
    packageReferenceId: p.packageReferenceId,
    carrierCode: p.carrierCode,
    ...(p.carrierName ? { carrierName: p.carrierName } : {}),
    ...(p.shippingMethod ? { shippingMethod: p.shippingMethod } : {}),
    trackingNumber: p.trackingNumber,
    shipDate: p.shipDate,
    items: p.orderItems,
  };
}

marketplaceContract("sp-api on the SP-API fake", () => {
  const slot = pool.shift();
  if (!slot) throw new Error(`the contract has more tests than the ${POOL_SIZE} fakes started for it`);
  const { fake, clock } = slot;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "sp-api-contract-"));
  const marketplace = new SpApiMarketplace(
    aConfig(root, fake),
    { command: "cycle", consoleEvents: false, env: ENV },
    new MemoryOrderStore(),
    clock,
    new MemoryEventLog(),
    { ...realTiming, backoffBaseMs: 20, backoffCapMs: 200 },
  );
  return {
    marketplace,
    newOrders: (count) => {
      const at = clock.now().toISOString().replace(".000Z", "Z");
      for (let i = 0; i < count; i++)
        fake.state.addOrder(anSpApiOrder({ createdTime: at, lastUpdatedTime: at }, { now: clock.now() }));
      clock.advance(STEP_MS);
    },
    confirmations: () => fake.state.confirmations().map(recorded),
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
});

const teardown = suite("Marketplace contract: sp-api fakes");
teardown("every fake stops", async () => {
  await Promise.all(started.map((s) => s.fake.close()));
  assert.ok(true);
});
teardown.run();
