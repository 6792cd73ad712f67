import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { buildContainer } from "../../src/app/composition/container.js";
import { loadConfig } from "../../src/app/config/load-config.js";
import { EventLog } from "../../src/app/ports/event-log.port.js";
import { Marketplace } from "../../src/app/ports/marketplace.port.js";
import { OrderStore } from "../../src/app/ports/order-store.port.js";
import { RunSteps } from "../../src/app/use-cases/run-cycle.use-case.js";
import { fakePlugin } from "../support/app-harness.js";
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
    const shipTo = aShipTo({
      name: "Quentin Zyxwvut",
      company: "Canarycorp Zyx",
      line1: "4242 Xylophone Canaryway",
      line2: "Suite Qqqq 77",
    });
    const shipped = anAmazonOrder({ facts: { items: [anItem({ sellerSku: "DEMO-GEL-PEN-12" })] }, shipTo });
    const held = anAmazonOrder({ facts: { items: [anItem({ sellerSku: "DEMO-UNKNOWN-SKU" })] }, shipTo });
    amazon.add(shipped);
    amazon.add(held);
    const clock = new FixedClock("2026-12-04T09:00:00Z");
    const container = buildContainer(
      config,
      { command: "cycle", consoleEvents: false },
      { plugins: { marketplace: fakePlugin("marketplace", [[Marketplace, amazon]]) }, clock },
    );
    const steps = container.get(RunSteps);
    for (let i = 0; i < 4; i++) {
      await steps.cycle();
      clock.advance(20_000);
    }
    await steps.run(["purge"]);
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

canary.run();
