import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { loadConfig } from "../../src/app/config/load-config.js";
import { EventLog } from "../../src/app/ports/event-log.port.js";
import { OrderStore } from "../../src/app/ports/order-store.port.js";
import { piiDeadline } from "../../src/domain/retention.js";
import { addDays } from "../../src/domain/time.js";
import { CANARY_SHIP_TO, cycleContainer, runCycles } from "../support/canary-flow.js";
import { FakeMarketplace } from "../support/fakes/fake.marketplace.js";
import { FixedClock } from "../support/fakes/fixed.clock.js";
import { anAmazonOrder, anItem, aShipTo } from "../support/order-mother.js";
import { cli, demoCopy, ROOT } from "./cli-harness.js";

const test = suite("CLI: purge, backup and restore");
const MARKS = ["zyxwvut", "xylophone"];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

/** Plain, base64 or hex forms of the canary marks. */
function leaks(file: string): string[] {
  const raw = readFileSync(file).toString("latin1");
  const lower = raw.toLowerCase();
  return MARKS.filter(
    (m) =>
      lower.includes(m) ||
      raw.includes(Buffer.from(m).toString("base64").slice(0, 8)) ||
      lower.includes(Buffer.from(m).toString("hex")),
  );
}

test("retention.logDays 30 and retention.piiDaysAfterShipment 45 are refused at start with exit 2", () => {
  for (const [key, value] of [
    ["logDays", 30],
    ["piiDaysAfterShipment", 45],
  ] as const) {
    const { dir, file } = demoCopy((c) => {
      c.retention = { ...c.retention, [key]: value };
    });
    try {
      for (const command of [["status"], ["purge"], ["run"]]) {
        const r = cli([...command, "--config", file]);
        assert.is(r.status, 2, `${key}=${value} ${command}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr, new RegExp(key));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test("--dry-run and --force go only with purge; restore needs one file", () => {
  const { dir, file } = demoCopy();
  try {
    const cycle = cli(["cycle", "--dry-run", "--config", file]);
    assert.is(cycle.status, 2);
    assert.match(cycle.stderr, /only with purge/);
    assert.is(cli(["restore", "--config", file]).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an old backup restored after the purge cannot bring back the purged ship-to", async () => {
  const { dir, file } = demoCopy();
  try {
    const config = loadConfig(file, ROOT);
    const amazon = new FakeMarketplace();
    const shipTo = aShipTo(CANARY_SHIP_TO);
    const order = anAmazonOrder({ facts: { items: [anItem({ sellerSku: "DEMO-GEL-PEN-12" })] }, shipTo });
    const id = order.facts.orderId;
    amazon.add(order);
    const clock = new FixedClock("2026-12-04T09:00:00Z");
    const container = cycleContainer(config, amazon, clock);
    await runCycles(container, clock);
    const confirmed = container.get(OrderStore).get(id);
    assert.is(confirmed?.state, "CONFIRMED");
    const deadline = piiDeadline(confirmed as NonNullable<typeof confirmed>, config.retention).deadline;
    await container.get(EventLog).flush();
    container.get(OrderStore).close();

    const at = (d: Date) => d.toISOString();
    const backup = cli(["backup", "--json", "--now", at(addDays(deadline, -1)), "--config", file]);
    assert.is(backup.status, 0, backup.stderr);
    const backupFile = (JSON.parse(backup.stdout) as { file: string }).file;
    assert.is(path.dirname(backupFile), config.storage.backupDir);

    const dry = cli(["purge", "--dry-run", "--now", at(deadline), "--config", file]);
    assert.is(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /wouldPurge=1/);
    assert.match(dry.stdout, /nothing was deleted/);
    const held = cli(["orders", "show", id, "--pii", "--now", at(deadline), "--config", file]);
    assert.match(held.stdout, /Zyxwvut/i, "a dry run destroys nothing");

    const purge = cli(["purge", "--now", at(deadline), "--config", file]);
    assert.is(purge.status, 0, purge.stderr);
    assert.match(purge.stdout, /purged=1/);
    assert.match(purge.stdout, /ship-to deadlines/);
    const restore = cli(["restore", backupFile, "--config", file]);
    assert.is(restore.status, 0, restore.stderr);
    assert.match(restore.stdout, /restored/);

    const show = cli(["orders", "show", id, "--pii", "--config", file]);
    assert.is(show.status, 0, show.stderr);
    assert.match(show.stdout, /purged/);
    assert.equal(leaks(backupFile), [], "the backup file");
    for (const f of files(config.storage.dataDir)) assert.equal(leaks(f), [], f);
    for (const f of files(config.storage.logDir)) assert.equal(leaks(f), [], f);
    const audit = files(config.storage.logDir)
      .filter((f) => path.basename(f).startsWith("audit-"))
      .map((f) => readFileSync(f, "utf8"))
      .join("");
    assert.match(audit, /"event":"backup.restored"/);
    assert.match(audit, /"event":"pii.purged","count":1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a tampered backup is refused with a clear message and exit 1", () => {
  const { dir, file } = demoCopy();
  try {
    const backup = cli(["backup", "--json", "--config", file]);
    assert.is(backup.status, 0, backup.stderr);
    const backupFile = (JSON.parse(backup.stdout) as { file: string }).file;
    const bytes = readFileSync(backupFile);
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0xff;
    writeFileSync(backupFile, bytes);
    const restore = cli(["restore", backupFile, "--config", file]);
    assert.is(restore.status, 1);
    assert.match(restore.stderr, /failed authentication.*BACKUP_AUTHENTICATION_FAILED/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
