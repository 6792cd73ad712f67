import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { buildContainer } from "../../src/app/composition/container.js";
import { loadConfig } from "../../src/app/config/load-config.js";
import { EventLog } from "../../src/app/ports/event-log.port.js";
import { OrderStore } from "../../src/app/ports/order-store.port.js";
import { RunSteps } from "../../src/app/use-cases/run-cycle.use-case.js";
import { piiDeadline } from "../../src/domain/retention.js";
import { CANARY_SHIP_TO, cycleContainer, runCycles } from "../support/canary-flow.js";
import { FakeMarketplace } from "../support/fakes/fake.marketplace.js";
import { FixedClock } from "../support/fakes/fixed.clock.js";
import { anAmazonOrder, anItem, aShipTo } from "../support/order-mother.js";
import { cli, demoCopy, ROOT } from "./cli-harness.js";

const canary = suite("PII canary: the ship-to appears in no log and no command output but orders show --pii");
const MARKS = ["zyxwvut", "xylophone", "canaryway", "canarycorp", "qqqq"];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

function leaks(text: string): string[] {
  const lower = text.toLowerCase();
  return MARKS.filter((m) => lower.includes(m));
}

canary("unmistakable ship-to values go through the whole flow and never leak", async () => {
  const { dir, file } = demoCopy();
  try {
    const config = loadConfig(file, ROOT);
    const amazon = new FakeMarketplace();
    const shipTo = aShipTo(CANARY_SHIP_TO);
    const shipped = anAmazonOrder({ facts: { items: [anItem({ sellerSku: "DEMO-GEL-PEN-12" })] }, shipTo });
    const held = anAmazonOrder({ facts: { items: [anItem({ sellerSku: "DEMO-UNKNOWN-SKU" })] }, shipTo });
    amazon.add(shipped);
    amazon.add(held);
    const clock = new FixedClock("2026-12-04T09:00:00Z");
    const container = cycleContainer(config, amazon, clock);
    await runCycles(container, clock);
    await container.get(RunSteps).run(["purge"]);
    const id = shipped.facts.orderId;
    assert.is(container.get(OrderStore).get(id)?.state, "CONFIRMED");
    await container.get(EventLog).flush();
    container.get(OrderStore).close();

    const outputs: Record<string, string> = {};
    const commands: string[][] = [
      ["status"],
      ["status", "--json"],
      ["orders", "show", id],
      ["orders", "show", id, "--json"],
      ["orders", "show", held.facts.orderId],
      ["cycle", "--now", "2026-12-04T09:02:00Z"],
      ["cycle", "--json", "--now", "2026-12-04T09:03:00Z"],
      ["config", "check"],
    ];
    for (const args of commands) {
      const r = cli([...args, "--config", file]);
      assert.is(r.status, 0, `${args.join(" ")}: ${r.stderr}`);
      outputs[args.join(" ")] = r.stdout + r.stderr;
    }
    const withPii = cli(["orders", "show", held.facts.orderId, "--pii", "--config", file]);
    assert.is(withPii.status, 0);
    assert.equal(leaks(withPii.stdout), MARKS, "orders show --pii shows the held ship-to");

    for (const [command, text] of Object.entries(outputs))
      assert.equal(leaks(text), [], `output of ${command}`);
    const logFiles = files(path.join(dir, "logs"));
    assert.ok(logFiles.some((f) => path.basename(f).startsWith("audit-")));
    for (const f of logFiles) assert.equal(leaks(readFileSync(f, "utf8")), [], f);
    const audit = logFiles
      .filter((f) => path.basename(f).startsWith("audit-"))
      .map((f) => readFileSync(f, "utf8"))
      .join("");
    assert.match(audit, new RegExp(`"event":"pii.viewed","orderId":"${held.facts.orderId}"`));
    // Everything else the daemon writes outside the database: the sample marketplace's records and the simulator's state.
    for (const f of [
      ...files(path.join(dir, "data", "sample-marketplace")),
      path.join(dir, "essendant", ".simulator", "state.json"),
    ]) {
      assert.equal(leaks(readFileSync(f, "utf8")), [], f);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A value as it could sit on disk: any case, as text, hex, or base64 at any of the three alignments. */
function diskForms(mark: string): { text: string[]; exact: string[] } {
  const variants = [mark.toLowerCase(), mark.toUpperCase(), mark[0]?.toUpperCase() + mark.slice(1)];
  const exact: string[] = [];
  for (const v of variants)
    for (let shift = 0; shift < 3; shift++) {
      const tail = v.slice(shift);
      exact.push(
        Buffer.from(tail)
          .toString("base64")
          .slice(0, Math.floor(tail.length / 3) * 4),
      );
    }
  const text = [mark.toLowerCase(), ...variants.map((v) => Buffer.from(v).toString("hex"))];
  return { text, exact: exact.filter((e) => e.length >= 4) };
}

/** The marks found in a file's raw bytes, in any of their disk forms. */
function leaksAtRest(file: string): string[] {
  const raw = readFileSync(file).toString("latin1");
  const lower = raw.toLowerCase();
  return MARKS.filter((m) => {
    const { text, exact } = diskForms(m);
    return text.some((t) => lower.includes(t)) || exact.some((e) => raw.includes(e));
  });
}

canary(
  "at rest: the ship-to is in no file under the data directory, and after its purge not even in a backup",
  async () => {
    const { dir, file } = demoCopy();
    try {
      const config = loadConfig(file, ROOT);
      const dataDir = config.storage.dataDir;
      const amazon = new FakeMarketplace();
      const shipTo = aShipTo(CANARY_SHIP_TO);
      const order = anAmazonOrder({ facts: { items: [anItem({ sellerSku: "DEMO-GEL-PEN-12" })] }, shipTo });
      const id = order.facts.orderId;
      amazon.add(order);
      const clock = new FixedClock("2026-12-04T09:00:00Z");
      const open = () => cycleContainer(config, amazon, clock);
      const close = async (c: ReturnType<typeof open>) => {
        await c.get(EventLog).flush();
        c.get(OrderStore).close();
      };
      let container = open();
      await runCycles(container, clock);
      const confirmed = container.get(OrderStore).get(id);
      assert.is(confirmed?.state, "CONFIRMED");
      const deadline = piiDeadline(confirmed as NonNullable<typeof confirmed>, config.retention).deadline;
      await close(container);

      // Control: the search sees a value hidden as base64 or hex.
      const control = path.join(dir, "control.bin");
      writeFileSync(
        control,
        `${Buffer.from("Mr Zyxwvut").toString("base64")} ${Buffer.from("XYLOPHONE").toString("hex")}`,
      );
      assert.equal(leaksAtRest(control), ["zyxwvut", "xylophone"]);
      const atRest = files(dataDir);
      assert.ok(
        atRest.some((f) => f.endsWith("fulfillment.db-wal")) ||
          atRest.some((f) => f.endsWith("fulfillment.db")),
      );
      for (const f of atRest) assert.equal(leaksAtRest(f), [], f);
      // The simulated backup: the database files, copied while the store is closed.
      const backup = path.join(dir, "backup");
      mkdirSync(backup);
      for (const f of readdirSync(dataDir).filter((n) => n.startsWith("fulfillment.db")))
        cpSync(path.join(dataDir, f), path.join(backup, f));

      clock.set(new Date(deadline.getTime() - 1000));
      container = open();
      await container.get(RunSteps).run(["purge"]);
      const before = container.get(OrderStore).getShipTo(id);
      assert.is(
        before.kind === "held" && before.shipTo.reveal().name,
        "Quentin Zyxwvut",
        "one second before",
      );
      await close(container);

      clock.set(deadline);
      container = open();
      const [purge] = await container.get(RunSteps).run(["purge"]);
      assert.is(purge?.counts.purged, 1);
      assert.ok((purge?.counts.keysDestroyed ?? 0) >= 1, JSON.stringify(purge?.counts));
      assert.equal(container.get(OrderStore).getShipTo(id), { kind: "purged", at: deadline.toISOString() });
      await close(container);
      for (const f of files(dataDir)) assert.equal(leaksAtRest(f), [], f);

      // The backup restored beside today's key ring and key file: the ship-to's key is gone.
      const restoredConfig = {
        ...config,
        storage: { ...config.storage, dataDir: path.join(dir, "restored") },
      };
      cpSync(backup, restoredConfig.storage.dataDir, { recursive: true });
      cpSync(path.join(dataDir, "keyring"), path.join(restoredConfig.storage.dataDir, "keyring"), {
        recursive: true,
      });
      const restored = buildContainer(restoredConfig, { command: "status", consoleEvents: false }, { clock });
      const lookup = restored.get(OrderStore).getShipTo(id);
      assert.is(lookup.kind, "purged", "the backup cannot reveal the ship-to");
      restored.get(OrderStore).close();
      for (const f of files(restoredConfig.storage.dataDir)) assert.equal(leaksAtRest(f), [], f);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

canary.run();
