import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { buildContainer } from "../../src/app/composition/container.js";
import { runDaemon } from "../../src/app/daemon/daemon.js";
import { AlreadyRunningError, InstanceLock } from "../../src/app/daemon/instance-lock.js";
import { AlertSink } from "../../src/app/ports/alert-sink.port.js";
import { EventLog } from "../../src/app/ports/event-log.port.js";
import { Marketplace, type OrderPage } from "../../src/app/ports/marketplace.port.js";
import { OrderStore } from "../../src/app/ports/order-store.port.js";
import { fakePlugin, HARNESS_SKUS } from "../support/app-harness.js";
import { FakeMarketplace } from "../support/fakes/fake.marketplace.js";
import { FixedClock } from "../support/fakes/fixed.clock.js";
import { MemoryAlertSink } from "../support/fakes/memory.alert-sink.js";
import { MemoryEventLog } from "../support/fakes/memory.event-log.js";
import { MemoryOrderStore } from "../support/fakes/memory.order-store.js";
import { aLocalFolderConfig } from "../support/local-folder-config.js";

const daemon = suite("daemon");

/** A marketplace whose poll waits until the test lets it finish: a step in flight. */
class GatedMarketplace extends FakeMarketplace {
  entered = false;
  private release: () => void = () => {};
  private readonly gate = new Promise<void>((resolve) => {
    this.release = resolve;
  });

  open(): void {
    this.release();
  }

  override async *changedOrders(cursor: string | undefined): AsyncIterable<OrderPage> {
    this.entered = true;
    await this.gate;
    yield* super.changedOrders(cursor);
  }
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error("timed out");
}

daemon("SIGTERM waits for the step in flight, then releases the lock and resolves 0", async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "daemon-"));
  try {
    const base = aLocalFolderConfig(root);
    const config = { ...base, schedule: { ...base.schedule, cycle: "0 0 1 1 *" } };
    const amazon = new GatedMarketplace();
    const log = new MemoryEventLog();
    const container = buildContainer(
      config,
      { command: "run", consoleEvents: false },
      {
        plugins: {
          marketplace: fakePlugin("marketplace", [[Marketplace, amazon]]),
          store: fakePlugin("store", [
            [OrderStore, new MemoryOrderStore()],
            [AlertSink, new MemoryAlertSink(new FixedClock())],
          ]),
          logger: fakePlugin("logger", [[EventLog, log]]),
        },
        skuMap: HARNESS_SKUS,
      },
    );
    let settled = false;
    const done = runDaemon(container, config, { version: "test", runtime: "test" }).then((code) => {
      settled = true;
      return code;
    });
    await until(() => amazon.entered);
    assert.ok(existsSync(path.join(config.storage.dataDir, "fulfillment.pid")));
    process.emit("SIGTERM");
    await new Promise((r) => setTimeout(r, 50));
    assert.not.ok(settled, "the daemon waits for the import in flight");
    amazon.open();
    assert.is(await done, 0);
    assert.not.ok(existsSync(path.join(config.storage.dataDir, "fulfillment.pid")));
    const names = log.events.map((e) => e.event);
    assert.ok(names.indexOf("daemon.stopping") < names.lastIndexOf("step.finished"), names.join(","));
    assert.is(names.at(-1), "daemon.stopped");
    assert.is(process.listenerCount("SIGTERM"), 0, "no signal listener outlives the daemon");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

daemon("the instance lock refuses a live holder and takes over the lock of a dead process", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "lock-"));
  const file = path.join(root, "fulfillment.pid");
  try {
    writeFileSync(file, `${process.ppid}\n`);
    assert.throws(
      () => InstanceLock.acquire(root),
      (e: unknown) => e instanceof AlreadyRunningError && /already running/.test(e.message),
    );
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(file, `${dead}\n`);
    const lock = InstanceLock.acquire(root);
    assert.is(readFileSync(file, "utf8").trim(), String(process.pid));
    lock.release();
    assert.not.ok(existsSync(file));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

daemon.run();
