import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { TslogEventLog } from "../../src/adapters/logging/tslog.event-log.js";
import type { Runtime } from "../../src/app/composition/runtime.js";
import type { Config } from "../../src/app/config/config.js";
import { FixedClock } from "../support/fakes/fixed.clock.js";
import { MemoryEventLog } from "../support/fakes/memory.event-log.js";
import { aLocalFolderConfig } from "../support/local-folder-config.js";
import { eventLogContract, type WrittenEvent } from "./event-log.contract.js";

const quiet: Runtime = { command: "test", consoleEvents: false };

function aConfig(root: string, level: Config["logging"]["level"] = "info"): Config {
  return { ...aLocalFolderConfig(root), logging: { level } };
}

/** Every line of every file in the log directory, parsed. */
function readLines(logDir: string, prefix = ""): Record<string, unknown>[] {
  if (!fs.existsSync(logDir)) return [];
  return fs
    .readdirSync(logDir)
    .filter((name) => name.startsWith(prefix))
    .sort()
    .flatMap((name) => fs.readFileSync(path.join(logDir, name), "utf8").split("\n").filter(Boolean))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function captureStdout(action: () => void): string {
  const original = process.stdout.write;
  let out = "";
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    action();
  } finally {
    process.stdout.write = original;
  }
  return out;
}

eventLogContract("memory fake", () => {
  const log = new MemoryEventLog();
  return { log, written: () => log.events, droppedFields: () => log.droppedFields, dispose: () => {} };
});

eventLogContract("tslog", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tslog-event-log-"));
  const config = aConfig(root);
  const log = new TslogEventLog(config, new FixedClock(), quiet);
  return {
    log,
    written: () =>
      readLines(config.storage.logDir).map(({ time: _t, level, event, ...fields }): WrittenEvent => {
        return { level: String(level), event: String(event), fields };
      }),
    droppedFields: () => log.droppedFields,
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
});

const test = suite<{ root: string; config: Config; clock: FixedClock }>("tslog event log");
test.before.each((ctx) => {
  ctx.root = fs.mkdtempSync(path.join(os.tmpdir(), "tslog-event-log-"));
  ctx.config = aConfig(ctx.root);
  ctx.clock = new FixedClock("2026-12-04T10:11:12Z");
});
test.after.each((ctx) => fs.rmSync(ctx.root, { recursive: true, force: true }));

test("each line is JSON with time, level, event and the fields", ({ config, clock }) => {
  new TslogEventLog(config, clock, quiet).info("order.imported", {
    orderId: "113-4567890-1234567",
    state: "NEW",
  });
  const file = path.join(config.storage.logDir, "fulfillment-2026-12-04.log");
  assert.equal(JSON.parse(fs.readFileSync(file, "utf8")), {
    time: "2026-12-04T10:11:12.000Z",
    level: "info",
    event: "order.imported",
    orderId: "113-4567890-1234567",
    state: "NEW",
  });
});

test("the log directory is 0700 and its files 0600", ({ config, clock }) => {
  const log = new TslogEventLog(config, clock, quiet);
  log.info("daemon.started", { pid: 42 });
  log.audit("pii.viewed", { orderId: "113-4567890-1234567" });
  assert.is(fs.statSync(config.storage.logDir).mode & 0o777, 0o700);
  for (const name of fs.readdirSync(config.storage.logDir)) {
    assert.is(fs.statSync(path.join(config.storage.logDir, name)).mode & 0o777, 0o600, name);
  }
});

test("audit events go to the audit file only", ({ config, clock }) => {
  const log = new TslogEventLog(config, clock, quiet);
  log.info("order.imported", { orderId: "113-4567890-1234567" });
  log.audit("pii.viewed", { orderId: "113-4567890-1234567", command: "orders show" });
  assert.equal(
    readLines(config.storage.logDir, "audit-").map((l) => l.event),
    ["pii.viewed"],
  );
  assert.equal(
    readLines(config.storage.logDir, "fulfillment-").map((l) => l.event),
    ["order.imported"],
  );
});

test("a new UTC day starts a new file", ({ config, clock }) => {
  const log = new TslogEventLog(config, clock, quiet);
  clock.set("2026-12-31T23:59:59Z");
  log.info("cycle.done");
  clock.set("2027-01-01T00:00:01Z");
  log.info("cycle.done");
  assert.equal(fs.readdirSync(config.storage.logDir).sort(), [
    "fulfillment-2026-12-31.log",
    "fulfillment-2027-01-01.log",
  ]);
});

test("the configured level filters lower events but never audit events", ({ root, clock }) => {
  const config = aConfig(root, "warn");
  const log = new TslogEventLog(config, clock, quiet);
  log.info("order.imported", { orderId: "113-4567890-1234567" });
  log.warn("alert.raised", { code: "X" });
  log.audit("pii.purged", { count: 1 });
  assert.equal(
    readLines(config.storage.logDir).map((l) => l.event),
    ["pii.purged", "alert.raised"],
  );
});

test("with console events on, order.imported prints one readable line", ({ config, clock }) => {
  const log = new TslogEventLog(config, clock, { command: "run", consoleEvents: true });
  const out = captureStdout(() =>
    log.info("order.imported", { orderId: "113-4567890-1234567", state: "NEW" }),
  );
  assert.is(out, "10:11:12  order imported      113-4567890-1234567\n");
});

test("console lines name the friendly events and mark warnings and errors", ({ config, clock }) => {
  const log = new TslogEventLog(config, clock, { command: "run", consoleEvents: true });
  const out = captureStdout(() => {
    log.info("order.held", { orderId: "113-4567890-1234567", reason: "UNMAPPED_SKU" });
    log.info("order.shipped", { orderId: "113-4567890-1234567", packages: 2 });
    log.error("step.failed", { step: "collect", errorCode: "SFTP_DOWN", errorMessage: "call 206-555-0134" });
    log.warn("disk.low", { count: 3, reason: "LOW" });
  });
  assert.equal(out.split("\n"), [
    "10:11:12  order held          113-4567890-1234567 (UNMAPPED_SKU)",
    "10:11:12  shipped             113-4567890-1234567 2 packages",
    "10:11:12  ERROR step failed: collect (SFTP_DOWN)",
    "10:11:12  WARN  disk.low count=3 reason=LOW",
    "",
  ]);
});

test("with console events off, nothing is printed", ({ config, clock }) => {
  const log = new TslogEventLog(config, clock, quiet);
  assert.is(
    captureStdout(() => log.error("step.failed", { step: "import" })),
    "",
  );
});

test.run();
