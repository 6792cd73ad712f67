import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { buildContainer } from "../../src/app/composition/container.js";
import { PURGE_CAUGHT_UP_ALERT } from "../../src/app/daemon/catch-up.js";
import { runDaemon } from "../../src/app/daemon/daemon.js";
import { AlertSink } from "../../src/app/ports/alert-sink.port.js";
import { EventLog } from "../../src/app/ports/event-log.port.js";
import { Marketplace } from "../../src/app/ports/marketplace.port.js";
import { OrderStore } from "../../src/app/ports/order-store.port.js";
import { fakePlugin, HARNESS_SKUS } from "../support/app-harness.js";
import { FakeMarketplace } from "../support/fakes/fake.marketplace.js";
import { FixedClock } from "../support/fakes/fixed.clock.js";
import { MemoryAlertSink } from "../support/fakes/memory.alert-sink.js";
import { MemoryEventLog } from "../support/fakes/memory.event-log.js";
import { MemoryOrderStore } from "../support/fakes/memory.order-store.js";
import { aLocalFolderConfig } from "../support/local-folder-config.js";
import { anOrder, aShipTo } from "../support/order-mother.js";

const test = suite("daemon: a purge missed while it was down runs at start-up");

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error("timed out");
}

/**
 * Starts the daemon on fakes whose last purge finished at `lastPurge`, waits for its first cycle
 * (and for `alsoUntil`), stops it.
 */
async function startWith(
  lastPurge: string | undefined,
  purge = "0 0 1 1 *",
  alsoUntil: (alerts: MemoryAlertSink) => boolean = () => true,
) {
  const root = mkdtempSync(path.join(os.tmpdir(), "daemon-catch-up-"));
  const base = aLocalFolderConfig(root);
  const config = { ...base, schedule: { ...base.schedule, cycle: "0 0 1 1 *", purge } };
  const clock = new FixedClock("2026-12-05T08:00:00Z");
  const store = new MemoryOrderStore();
  store.insert(anOrder(), aShipTo());
  if (lastPurge)
    store.recordJobRun({ job: "purge", startedAt: lastPurge, finishedAt: lastPurge, ok: true, summary: "" });
  const log = new MemoryEventLog();
  const alerts = new MemoryAlertSink(clock);
  const container = buildContainer(
    config,
    { command: "run", consoleEvents: false },
    {
      plugins: {
        marketplace: fakePlugin("marketplace", [[Marketplace, new FakeMarketplace()]]),
        store: fakePlugin("store", [
          [OrderStore, store],
          [AlertSink, alerts],
        ]),
        logger: fakePlugin("logger", [[EventLog, log]]),
      },
      skuMap: HARNESS_SKUS,
      clock,
    },
  );
  try {
    const done = runDaemon(container, config, { version: "test", runtime: "test" });
    let code: number;
    try {
      await until(() => store.lastJobRuns().some((r) => r.job === "confirm") && alsoUntil(alerts));
    } finally {
      // Stopped even on a timeout: a daemon left running keeps its named cron jobs for the next test.
      process.emit("SIGTERM");
      code = await done;
    }
    assert.is(code, 0);
    const steps = log.named("step.finished").map((e) => e.fields.step);
    return { log, alerts, runs: store.lastJobRuns(), steps };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test("a last purge 30 hours ago runs again at start-up, before the first cycle, with an alert", async () => {
  const { log, alerts, runs, steps } = await startWith("2026-12-04T02:00:00.000Z");
  assert.is(steps[0], "purge");
  assert.is(runs.find((r) => r.job === "purge")?.startedAt, "2026-12-05T08:00:00.000Z");
  assert.is(log.named("purge.catch-up")[0]?.fields.from_date, "2026-12-04T02:00:00.000Z");
  const alert = alerts.active().find((a) => a.code === PURGE_CAUGHT_UP_ALERT);
  assert.is(alert?.severity, "warning");
  assert.match(alert?.message ?? "", /last ran at 2026-12-04T02:00:00.000Z/);
  assert.is(alert?.count, 1);
});

test("the catch-up alert clears once a scheduled purge succeeds", async () => {
  let raised = false;
  const { steps } = await startWith("2026-12-04T02:00:00.000Z", "* * * * * *", (alerts) => {
    raised ||= alerts.active().some((a) => a.code === PURGE_CAUGHT_UP_ALERT);
    return raised && alerts.active().length === 0;
  });
  assert.ok(steps.filter((s) => s === "purge").length >= 2, "the catch-up and a scheduled run");
});

test("a purge that ran this morning waits for its schedule, without an alert", async () => {
  const { alerts, runs, steps } = await startWith("2026-12-05T03:15:00.000Z");
  assert.not.ok(steps.includes("purge"));
  assert.equal(alerts.active(), []);
  assert.is(runs.find((r) => r.job === "purge")?.startedAt, "2026-12-05T03:15:00.000Z");
});

test("a purge that never ran, with orders stored, runs at start-up", async () => {
  const { steps } = await startWith(undefined);
  assert.is(steps[0], "purge");
});

test.run();
