import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Config } from "../../../src/app/config/config.js";
import { purgeOverdue } from "../../../src/app/daemon/catch-up.js";
import { PurgeClockGuard } from "../../../src/app/use-cases/purge-clock-guard.js";
import { CLOCK_JUMP_ALERT, PurgePii } from "../../../src/app/use-cases/purge-pii.use-case.js";
import { anApp } from "../../support/app-harness.js";
import { MemoryRetentionFiles } from "../../support/fakes/memory.retention-files.js";
import { anAmazonOrder, anItem } from "../../support/order-mother.js";

const job = suite("the daily retention job: logs, backups, clock jumps, catch-up");

/** The harness app with the purge built on a fake file store, at `now`. */
function aJob(now: string, retention: Partial<Config["retention"]> = {}, force = false) {
  const app = anApp({ config: (c) => ({ ...c, retention: { ...c.retention, ...retention } }) });
  app.clock.set(now);
  const files = new MemoryRetentionFiles();
  const runtime = { command: "purge", consoleEvents: false, force };
  const guard = app.container.get(PurgeClockGuard);
  const purge = new PurgePii(app.store, app.config, app.clock, app.log, app.alerts, files, runtime, guard);
  const lastPurgeAt = (at: string, ok = true) =>
    app.store.recordJobRun({ job: "purge", startedAt: at, finishedAt: at, ok, summary: "" });
  return { app, files, purge, lastPurgeAt };
}

job("log files more than logDays before today are deleted; today's and younger ones stay", async () => {
  const { app, files, purge } = aJob("2027-12-31T23:59:00Z", { logDays: 365 });
  for (const name of [
    "fulfillment-2026-12-29.log",
    "audit-2026-12-30.log",
    "fulfillment-2026-12-31.log",
    "audit-2027-06-01.log",
    "fulfillment-2027-12-31.log",
    "notes.txt",
  ])
    files.add("log", name);
  const report = await purge.execute();
  assert.is(report.ok, true);
  assert.is(report.counts.logsDeleted, 2);
  assert.equal(files.names("log"), [
    "audit-2027-06-01.log",
    "fulfillment-2026-12-31.log",
    "fulfillment-2027-12-31.log",
    "notes.txt",
  ]);
  assert.equal(report.ranges.logs, {
    from_date: "2026-12-29T00:00:00.000Z",
    to_date: "2026-12-30T00:00:00.000Z",
  });
  const audit = app.log.named("logs.deleted")[0];
  assert.equal(
    [audit?.level, audit?.fields.count, audit?.fields.from_date, audit?.fields.to_date],
    ["audit", 2, "2026-12-29T00:00:00.000Z", "2026-12-30T00:00:00.000Z"],
  );
});

job("job runs older than logDays are deleted, each job's latest kept; a dry run deletes none", async () => {
  const { app, purge } = aJob("2027-12-31T03:15:00Z", { logDays: 365 });
  const run = (job: string, at: string) => ({ job, startedAt: at, finishedAt: at, ok: true, summary: "" });
  app.store.recordJobRun(run("cycle", "2026-12-30T00:00:00.000Z"));
  app.store.recordJobRun(run("cycle", "2027-01-01T00:00:00.000Z"));
  app.store.recordJobRun(run("backup", "2026-06-01T00:00:00.000Z"));
  app.store.recordJobRun(run("purge", "2027-12-30T03:15:00.000Z"));
  assert.is((await purge.execute({ dryRun: true })).counts.jobRunsPruned, undefined);
  const report = await purge.execute();
  assert.is(report.counts.jobRunsPruned, 1, "the old cycle run; the old backup run is that job's latest");
  assert.equal(
    app.store.lastJobRuns().map((r) => r.job),
    ["backup", "cycle", "purge"],
  );
});

job("backups older than backupDays are deleted, the others kept", async () => {
  const { app, files, purge } = aJob("2026-12-10T03:15:00Z", { backupDays: 7 });
  for (const name of [
    "fulfillment-20261202T024500Z.backup",
    "fulfillment-20261203T031400Z.backup",
    "fulfillment-20261203T031600Z.backup",
    "fulfillment-20261210T024500Z.backup",
  ])
    files.add("backup", name);
  const report = await purge.execute();
  assert.is(report.counts.backupsDeleted, 2);
  assert.equal(files.names("backup"), [
    "fulfillment-20261203T031600Z.backup",
    "fulfillment-20261210T024500Z.backup",
  ]);
  assert.is(app.log.named("backups.deleted")[0]?.fields.to_date, "2026-12-03T03:14:00.000Z");
});

job("a dry run says what it would delete and deletes nothing", async () => {
  const { app, files, purge } = aJob("2027-12-31T00:00:00Z");
  files.add("log", "audit-2025-01-01.log");
  files.add("backup", "fulfillment-20250101T000000Z.backup");
  const report = await purge.execute({ dryRun: true });
  assert.equal(report.counts, { wouldPurge: 0, wouldDeleteBackups: 1, wouldDeleteLogs: 1 });
  assert.equal(Object.keys(report.ranges).sort(), ["backups", "logs"]);
  assert.equal(files.names("log"), ["audit-2025-01-01.log"]);
  assert.equal(files.names("backup"), ["fulfillment-20250101T000000Z.backup"]);
  assert.is(app.log.named("logs.delete-dry-run")[0]?.fields.count, 1);
});

job(
  "a clock behind the last purge run stops the job before it deletes anything, and it stays stopped",
  async () => {
    const { app, files, purge, lastPurgeAt } = aJob("2026-12-01T03:15:00Z");
    lastPurgeAt("2026-12-04T03:15:00.000Z");
    files.add("log", "audit-2020-01-01.log");
    const order = anAmazonOrder({
      facts: { items: [anItem({ sellerSku: "NOT-MAPPED" })], purchaseDate: "2026-01-01T00:00:00Z" },
    });
    app.marketplace.add(order);
    await app.importOrders();
    const report = await purge.execute();
    assert.is(report.ok, false);
    assert.is(report.problems[0]?.code, "CLOCK_JUMP");
    assert.equal(report.counts, {});
    assert.equal(files.names("log"), ["audit-2020-01-01.log"]);
    assert.is(app.store.getShipTo(order.facts.orderId).kind, "held");
    const alert = app.alerts.active().find((a) => a.code === CLOCK_JUMP_ALERT);
    assert.is(alert?.severity, "critical");
    assert.match(alert?.message ?? "", /purge --force/);
    const refused = app.log.named("purge.refused")[0]?.fields;
    assert.equal([refused?.reason, refused?.basis], ["CLOCK_JUMP", "wall-clock"]);
    // The refused run is recorded on the suspect clock; the next day's run must not trust it.
    lastPurgeAt("2026-12-01T03:15:00.000Z", false);
    app.clock.set("2026-12-02T03:15:00Z");
    assert.is((await purge.execute()).problems[0]?.code, "CLOCK_JUMP");
    assert.equal(files.names("log"), ["audit-2020-01-01.log"]);
  },
);

job("a clock more than two days ahead is refused; two days is a missed run, not a jump", async () => {
  const ahead = aJob("2026-12-07T03:16:00Z");
  ahead.lastPurgeAt("2026-12-04T03:15:00.000Z");
  assert.is((await ahead.purge.execute()).problems[0]?.code, "CLOCK_JUMP");
  assert.match(ahead.app.alerts.active()[0]?.message ?? "", /3 days ahead/);
  const missed = aJob("2026-12-06T03:15:00Z");
  missed.lastPurgeAt("2026-12-04T03:15:00.000Z");
  assert.is((await missed.purge.execute()).ok, true);
});

job("--force runs the job despite the jump, audits it and clears the alert", async () => {
  const { app, files, purge, lastPurgeAt } = aJob("2027-12-31T03:15:00Z", {}, true);
  lastPurgeAt("2026-12-04T03:15:00.000Z");
  app.alerts.raise({ code: CLOCK_JUMP_ALERT, severity: "critical", message: "earlier refusal" });
  files.add("log", "audit-2025-01-01.log");
  const report = await purge.execute();
  assert.is(report.ok, true);
  assert.is(report.counts.logsDeleted, 1);
  assert.equal(app.alerts.active(), []);
  assert.is(app.log.named("purge.forced")[0]?.level, "audit");
});

job("a dry run on a jumped clock reports the jump, raises no alert and deletes nothing", async () => {
  const { app, files, purge, lastPurgeAt } = aJob("2026-12-01T00:00:00Z");
  lastPurgeAt("2026-12-04T03:15:00.000Z");
  files.add("log", "audit-2020-01-01.log");
  const report = await purge.execute({ dryRun: true });
  assert.is(report.problems[0]?.code, "CLOCK_JUMP");
  assert.is(report.counts.wouldDeleteLogs, 1);
  assert.equal(app.alerts.active(), []);
  assert.equal(files.names("log"), ["audit-2020-01-01.log"]);
});

job(
  "the purge is overdue at start-up when it never ran with orders, failed, or last ran over a day ago",
  () => {
    const now = new Date("2026-12-05T08:00:00Z");
    const run = (finishedAt: string, ok = true) => ({
      job: "purge",
      startedAt: finishedAt,
      finishedAt,
      ok,
      summary: "",
    });
    assert.is(purgeOverdue([], false, now), false, "nothing to purge yet");
    assert.is(purgeOverdue([], true, now), true);
    assert.is(purgeOverdue([run("2026-12-04T09:00:00Z")], true, now), false);
    assert.is(purgeOverdue([run("2026-12-04T07:59:00Z")], true, now), true);
    assert.is(purgeOverdue([run("2026-12-05T03:15:00Z", false)], true, now), true);
  },
);

job.run();
