import { spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { ConfirmationRecord } from "../support/spapi-fake/order-book.js";
import {
  anSpApiOrder,
  anSpApiOrderItem,
  PII_CANARY_PATTERN,
  type SpApiOrder,
} from "../support/spapi-fake/orders.js";
import { FAKE_LWA_CREDENTIALS, type SpApiFake, startSpApiFake } from "../support/spapi-fake/spapi-fake.js";
import { AMAZON_RATE_LIMITS } from "../support/spapi-fake/token-buckets.js";
import { type CliResult, cli, demoCopy, ROOT, RUNTIME } from "./cli-harness.js";

const e2e = suite(`fulfillment cycle on the sp-api plugin against the SP-API fake (${RUNTIME})`);

/** Amazon's rates × 100 (confirmShipment 200/s: the schema allows up to 1000/s); bursts stay Amazon's. */
const SPEED = 100;
const T0 = "2026-12-04T12:00:00Z";
/** Past the simulator's ship notice (demo asnDelaySeconds: 8). */
const T1 = "2026-12-04T12:00:20Z";
/** Long after the confirmations: Amazon now lists the orders as SHIPPED, updated at T1. */
const T2 = "2026-12-04T12:10:00Z";
const ENV = {
  SPAPI_CLIENT_ID: FAKE_LWA_CREDENTIALS.clientId,
  SPAPI_CLIENT_SECRET: FAKE_LWA_CREDENTIALS.clientSecret,
  SPAPI_REFRESH_TOKEN: FAKE_LWA_CREDENTIALS.refreshToken,
};

/**
 * `cli()` of the harness runs the CLI with spawnSync, which blocks this process's event loop, and
 * the fake answers on that loop: a `cycle` against it would wait for a server that cannot answer.
 * This runs the same command as the harness, asynchronously.
 */
function cliAsync(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  const entry = path.join(ROOT, "src/app/cli/fulfillment.ts");
  const [cmd, argv] =
    RUNTIME === "deno"
      ? [
          path.join(ROOT, "node_modules/.bin/deno"),
          ["run", "--quiet", "--allow-all", `--config=${path.join(ROOT, "deno.json")}`, entry, ...args],
        ]
      : [process.execPath, ["--import", "tsx", entry, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b) => {
      stdout += b;
    });
    child.stderr.on("data", (b) => {
      stderr += b;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

interface StepReport {
  readonly step: string;
  readonly ok: boolean;
  readonly counts: Record<string, number>;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

/** The tracking numbers of every ship notice the simulator wrote, per PO number. */
function shipNoticeTracking(essendantRoot: string): Map<string, string[]> {
  const byPo = new Map<string, string[]>();
  for (const file of files(essendantRoot).filter((f) => /^ASN_.*\.json$/.test(path.basename(f)))) {
    const asn = JSON.parse(readFileSync(file, "utf8")) as {
      shipment: { poNumber: string; packages: { trackingNumber: string }[] };
    };
    const { poNumber, packages } = asn.shipment;
    byPo.set(poNumber, [...(byPo.get(poNumber) ?? []), ...packages.map((p) => p.trackingNumber)]);
  }
  return byPo;
}

const tracking = (records: readonly ConfirmationRecord[]) =>
  records.map((r) => r.body.packageDetail.trackingNumber).sort();

e2e(
  "cycle imports the orders from SP-API, a later cycle confirms one package per ship-notice package, and nothing is confirmed twice",
  async () => {
    let fakeNow = Date.parse(T0);
    const fake: SpApiFake = await startSpApiFake({ now: () => new Date(fakeNow), speedFactor: SPEED });
    const { dir, file } = demoCopy((c) => {
      c.adapters.marketplace = "sp-api";
      c.amazon.loopback = { port: fake.port, caFile: fake.caFile };
      c.amazon.rateLimits = Object.fromEntries(
        Object.entries(AMAZON_RATE_LIMITS).map(([op, l]) => [op, { rate: l.rate * SPEED, burst: l.burst }]),
      );
      c.amazon.requestTimeoutSeconds = 5;
    });
    const outputs: Record<string, string> = {};
    const cycle = async (now: string, label: string): Promise<StepReport[]> => {
      fakeNow = Date.parse(now);
      const r = await cliAsync(["cycle", "--json", "--config", file, "--now", now], ENV);
      outputs[label] = r.stdout + r.stderr;
      assert.is(r.status, 0, `${label}: ${r.stderr}${r.stdout}`);
      return JSON.parse(r.stdout) as StepReport[];
    };
    const status = (now: string, label: string) => {
      const r = cli(["status", "--json", "--config", file, "--now", now], ROOT, ENV);
      outputs[label] = r.stdout + r.stderr;
      assert.is(r.status, 0, `${label}: ${r.stderr}`);
      return JSON.parse(r.stdout) as { counts: Record<string, number> };
    };
    const counted = (reports: StepReport[], step: string, key: string) =>
      reports.find((r) => r.step === step)?.counts[key] ?? 0;

    try {
      const at = { now: new Date(T0) };
      const paper: SpApiOrder = anSpApiOrder({}, at);
      const pens: SpApiOrder = anSpApiOrder(
        {
          orderItems: [
            anSpApiOrderItem({
              quantityOrdered: 2,
              product: { sellerSku: "DEMO-GEL-PEN-12" },
              fulfillment: { quantityUnfulfilled: 2 },
            }),
          ],
        },
        { ...at, piiCanary: true },
      );
      const both: SpApiOrder = anSpApiOrder(
        {
          orderItems: [anSpApiOrderItem(), anSpApiOrderItem({ product: { sellerSku: "DEMO-GEL-PEN-12" } })],
        },
        at,
      );
      fake.state.addOrders([paper, pens, both]);

      const first = await cycle(T0, "cycle 1");
      assert.is(counted(first, "import", "imported"), 3, JSON.stringify(first));
      const imported = status(T0, "status 1").counts;
      assert.is(
        Object.values(imported).reduce((n, c) => n + c, 0),
        3,
        JSON.stringify(imported),
      );
      assert.is(imported.HELD ?? 0, 0, JSON.stringify(imported));
      assert.is(fake.state.counter("confirmShipment").requests, 0);

      const second = await cycle(T1, "cycle 2");
      assert.is(counted(second, "confirm", "confirmed"), 4, JSON.stringify(second));
      const confirmations = fake.state.confirmations();
      assert.is(confirmations.length, 4);
      assert.ok(
        confirmations.every((c) => c.version === 1),
        "each package confirmed once",
      );
      assert.is(fake.state.confirmations(paper.orderId).length, 1);
      assert.is(fake.state.confirmations(pens.orderId).length, 1);
      assert.is(fake.state.confirmations(both.orderId).length, 2, "one confirmation per package");
      const asnTracking = [...shipNoticeTracking(path.join(dir, "essendant")).values()].flat().sort();
      assert.is(asnTracking.length, 4);
      assert.equal(tracking(confirmations), asnTracking, "the tracking numbers of the ship notices");
      for (const c of confirmations) assert.is(c.body.packageDetail.carrierCode, "UPS");
      assert.is(status(T1, "status 2").counts.CONFIRMED, 3);

      const requests = fake.state.counter("confirmShipment").requests;
      const again = await cycle(T1, "cycle 3 (same time)");
      assert.is(counted(again, "confirm", "confirmed"), 0, JSON.stringify(again));
      // Ten minutes on, Amazon lists the three orders as SHIPPED (updated by the confirmations).
      const later = await cycle(T2, "cycle 4 (later)");
      assert.is(counted(later, "confirm", "confirmed"), 0, JSON.stringify(later));
      assert.is(fake.state.counter("confirmShipment").requests, requests, "no confirmation is sent twice");
      assert.ok(fake.state.confirmations().every((c) => c.version === 1));
      assert.is(status(T2, "status 3").counts.CONFIRMED, 3);

      const secrets = [
        FAKE_LWA_CREDENTIALS.clientSecret,
        FAKE_LWA_CREDENTIALS.refreshToken,
        ...fake.state.issuedTokens(),
      ];
      assert.ok(fake.state.issuedTokens().length > 0);
      const logs = files(path.join(dir, "logs"));
      assert.ok(logs.length > 0, "the cycles wrote logs");
      const texts: [string, string][] = [
        ...Object.entries(outputs),
        ...logs.map((f): [string, string] => [f, readFileSync(f, "utf8")]),
      ];
      for (const [where, text] of texts) {
        assert.not.match(text, PII_CANARY_PATTERN, `ship-to canary in ${where}`);
        for (const secret of secrets) assert.not.ok(text.includes(secret), `a secret or token in ${where}`);
      }
      assert.equal(fake.state.fakeErrors, []);
    } finally {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

e2e.run();
