import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { essendantSftpPlugin } from "../../src/adapters/essendant-sftp/essendant-sftp.plugin.js";
import { fingerprintOf } from "../../src/adapters/essendant-sftp/host-key.js";
import { SftpSleep, SftpSupplierGateway } from "../../src/adapters/essendant-sftp/sftp.supplier-gateway.js";
import { buildContainer } from "../../src/app/composition/container.js";
import type { SftpOptions } from "../../src/app/config/config.js";
import { IntegrationError } from "../../src/app/errors.js";
import { AlertSink } from "../../src/app/ports/alert-sink.port.js";
import { EventLog } from "../../src/app/ports/event-log.port.js";
import { Marketplace } from "../../src/app/ports/marketplace.port.js";
import { OrderStore } from "../../src/app/ports/order-store.port.js";
import { CollectSupplierDocuments } from "../../src/app/use-cases/collect-supplier-documents.use-case.js";
import { ImportOrders } from "../../src/app/use-cases/import-orders.use-case.js";
import { SubmitPurchaseOrders } from "../../src/app/use-cases/submit-purchase-orders.use-case.js";
import { fakePlugin, HARNESS_SKUS } from "../support/app-harness.js";
import { ackFile, asnFile } from "../support/essendant-answers.js";
import { FakeMarketplace } from "../support/fakes/fake.marketplace.js";
import { FixedClock } from "../support/fakes/fixed.clock.js";
import { MemoryAlertSink } from "../support/fakes/memory.alert-sink.js";
import { MemoryEventLog } from "../support/fakes/memory.event-log.js";
import { MemoryOrderStore } from "../support/fakes/memory.order-store.js";
import { MemoryQuarantine } from "../support/fakes/memory.quarantine.js";
import { anAmazonOrder, anItem } from "../support/order-mother.js";
import { anSftpConfig } from "../support/sftp-config.js";
import { type RealSshd, startSshd } from "../support/sshd.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CRASH_SCRIPT = path.join(ROOT, "test/support/crash-upload.child.ts");
const ON_DENO = process.env.FULFILLMENT_TEST_RUNTIME === "deno" || "Deno" in globalThis;

// Without sshd every test here fails with the install hint (CI installs openssh-server).
const sshd = await startSshd().catch((error: Error) => error);
function server(): RealSshd {
  if (sshd instanceof Error) throw sshd;
  return sshd;
}

/** The application wired by buildContainer with the essendant-sftp plugin against the real sshd. */
function anSftpApp(sftp: Partial<SftpOptions> = {}) {
  const clock = new FixedClock("2026-12-04T10:00:00Z");
  const marketplace = new FakeMarketplace();
  const store = new MemoryOrderStore();
  const alerts = new MemoryAlertSink(clock);
  const log = new MemoryEventLog();
  const sleeps: number[] = [];
  const config = anSftpConfig(server(), { sftp });
  assert.equal(essendantSftpPlugin.check?.(config), [], "the plugin accepts the configuration");
  const container = buildContainer(
    config,
    { command: "test", consoleEvents: false },
    {
      plugins: {
        marketplace: fakePlugin("marketplace", [[Marketplace, marketplace]]),
        supplier: essendantSftpPlugin,
        store: fakePlugin("store", [
          [OrderStore, store],
          [AlertSink, alerts],
        ]),
        // The back-off is recorded, not waited out.
        logger: fakePlugin("logger", [
          [EventLog, log],
          [SftpSleep, async (ms: number) => void sleeps.push(ms)],
        ]),
      },
      skuMap: HARNESS_SKUS,
      clock,
      quarantine: new MemoryQuarantine(),
    },
  );
  const app = {
    config,
    store,
    alerts,
    log,
    sleeps,
    submit: () => container.get(SubmitPurchaseOrders).execute(),
    collect: () => container.get(CollectSupplierDocuments).execute(),
    /** Amazon has one paper order; it is imported. Returns its id and PO file name. */
    anOrder: async () => {
      const order = anAmazonOrder({ facts: { items: [anItem({ sellerSku: "PAPER" })] } });
      marketplace.add(order);
      await container.get(ImportOrders).execute();
      return { id: order.facts.orderId, fileName: `PO_123456_${order.facts.orderId}.json` };
    },
    /** Submits while the server is down: the PO is built and stored, not sent. Returns its stored bytes. */
    storedWhileDown: async () => {
      await server().stop();
      await app.submit();
      await server().restart();
      const [stored] = store.unsentOutbound();
      if (!stored) throw new Error("no stored PO");
      return stored.bytes;
    },
  };
  return app;
}

const outbound = () => fs.readdirSync(server().paths.outbound).sort();
const outboundBytes = (name: string) =>
  new Uint8Array(fs.readFileSync(path.join(server().paths.outbound, name)));
const files = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((n) => !fs.lstatSync(path.join(dir, n)).isDirectory())
    .sort();

const it = suite("essendant-sftp on OpenSSH");

it.before.each(async () => {
  if (sshd instanceof Error) return;
  if (!sshd.running()) await sshd.restart();
  for (const dir of [sshd.paths.outbound, sshd.paths.inbound])
    fs.rmSync(dir, { recursive: true, force: true });
  for (const dir of Object.values(sshd.paths)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
});

it.after(async () => {
  if (!(sshd instanceof Error)) await sshd.dispose();
});

it("fingerprintOf gives what ssh-keygen -lf prints for the server's host key", () => {
  const blob = Buffer.from(fs.readFileSync(server().hostPublicKeyFile, "utf8").split(" ")[1] ?? "", "base64");
  assert.is(fingerprintOf(blob), server().hostFingerprint);
});

it("a replaced host key stops the upload before authentication, audited and alerted", async () => {
  const s = server();
  const app = anSftpApp({ reconnectAttempts: 3 });
  const { id } = await app.anOrder();
  const control = s.log().length;
  await (await new SftpSupplierGateway(app.config, new MemoryEventLog(), app.alerts).open()).close();
  assert.match(
    s.log().slice(control),
    "userauth-request",
    "the server log shows authentication when it happens",
  );

  const presented = await s.replaceHostKey();
  const since = s.log().length;
  const report = await app.submit();

  assert.equal(
    report.problems.map((p) => p.code),
    ["HOST_KEY_MISMATCH"],
  );
  assert.not.match(s.log().slice(since), /userauth|publickey|Accepted/, "no credential reached the server");
  assert.equal(outbound(), []);
  assert.is(app.store.get(id)?.state, "PO_READY");
  assert.equal(
    app.log.named("security.host-key-mismatch").map((e) => [e.level, e.fields.host, e.fields.fingerprint]),
    [["audit", "127.0.0.1", presented]],
  );
  assert.equal(app.log.named("sftp.connect-failed").length, 1, "a mismatch is not retried");
  const alert = app.alerts.active().find((a) => a.code === "SFTP_HOST_KEY_MISMATCH");
  assert.is(alert?.severity, "critical");
  assert.match(alert?.message ?? "", presented);
  assert.match(alert?.message ?? "", "update essendant.sftp.hostKeySha256");

  const updated = new SftpSupplierGateway(anSftpConfig(s), new MemoryEventLog(), app.alerts);
  await (await updated.open()).close();
  assert.equal(
    app.alerts.active().map((a) => a.code),
    [],
    "the alert clears once the pinned key matches again",
  );
});

it("a client key the server does not know fails as SFTP_AUTH_FAILED after one attempt", async () => {
  const s = server();
  const app = anSftpApp({ privateKeyFile: s.strangerKeyFile, reconnectAttempts: 3 });
  const { id } = await app.anOrder();
  const since = s.log().length;
  const report = await app.submit();
  assert.equal(
    report.problems.map((p) => p.code),
    ["SFTP_AUTH_FAILED"],
  );
  assert.equal(
    app.log.named("sftp.connect-failed").map((e) => [e.fields.attempt, e.fields.errorCode]),
    [[1, "AUTH_FAILED"]],
  );
  assert.equal(app.sleeps, []);
  assert.is(
    (
      s
        .log()
        .slice(since)
        .match(/Connection from 127\.0\.0\.1/g) ?? []
    ).length,
    1,
    "one connection",
  );
  assert.is(app.store.get(id)?.state, "PO_READY");
});

it("with the server down for a whole cycle the PO waits; once it is back the next submit sends it once", async () => {
  const s = server();
  const app = anSftpApp({ reconnectAttempts: 2 });
  const { id, fileName } = await app.anOrder();
  await s.stop();
  const down = await app.submit();
  assert.equal(
    down.problems.map((p) => p.code),
    ["SFTP_UNREACHABLE"],
  );
  assert.equal(
    app.log.named("sftp.connect-failed").map((e) => [e.fields.host, e.fields.attempt, e.fields.errorCode]),
    [
      ["127.0.0.1", 1, "ECONNREFUSED"],
      ["127.0.0.1", 2, "ECONNREFUSED"],
      ["127.0.0.1", 3, "ECONNREFUSED"],
    ],
  );
  assert.is(app.sleeps.length, 2, "a pause between attempts, none after the last");
  assert.ok((app.sleeps[0] ?? 0) >= 500 && (app.sleeps[0] ?? 0) <= 1000, "the first pause is about 1 s");
  assert.ok((app.sleeps[1] ?? 0) >= 1000 && (app.sleeps[1] ?? 0) <= 2000, "the second about 2 s");
  assert.is(app.store.get(id)?.state, "PO_READY");
  const [stored] = app.store.unsentOutbound();

  await s.restart();
  const up = await app.submit();
  assert.equal(up.counts, { sent: 1 });
  assert.equal(outbound(), [fileName]);
  assert.equal(outboundBytes(fileName), stored?.bytes);
  assert.is(app.store.get(id)?.state, "PO_SENT");
});

it("a final file of the same size already on the server counts as sent; a stale .tmp is removed", async () => {
  const app = anSftpApp({ reconnectAttempts: 0 });
  const { id, fileName } = await app.anOrder();
  const bytes = await app.storedWhileDown();
  fs.writeFileSync(path.join(server().paths.outbound, fileName), bytes);
  fs.writeFileSync(path.join(server().paths.outbound, `${fileName}.tmp`), bytes.subarray(0, 10));
  const report = await app.submit();
  assert.equal(report.counts, { sent: 1 });
  assert.is(app.log.named("po.sent")[0]?.fields.reason, "already-there");
  assert.equal(outbound(), [fileName]);
  assert.equal(outboundBytes(fileName), bytes);
  assert.is(app.store.get(id)?.state, "PO_SENT");
});

it("a different file under the PO's name is never overwritten: REMOTE_FILE_CONFLICT, attention, alert", async () => {
  const app = anSftpApp();
  const { id, fileName } = await app.anOrder();
  fs.writeFileSync(path.join(server().paths.outbound, fileName), "{}\n");
  const report = await app.submit();
  assert.equal(
    report.problems.map((p) => p.code),
    ["REMOTE_FILE_CONFLICT"],
  );
  assert.equal(outbound(), [fileName]);
  assert.is(new TextDecoder().decode(outboundBytes(fileName)), "{}\n", "the server's file is untouched");
  assert.is(app.store.get(id)?.state, "NEEDS_ATTENTION");
  assert.is(app.alerts.active().find((a) => a.code === "REMOTE_FILE_CONFLICT")?.severity, "critical");
});

it("a connection dropped mid-upload leaves no final file; the next pass completes it, once", async () => {
  const s = server();
  const gateway = new SftpSupplierGateway(
    anSftpConfig(s),
    new MemoryEventLog(),
    new MemoryAlertSink(new FixedClock()),
  );
  const file = { fileName: "PO_123456_DROPPED.json", bytes: new Uint8Array(randomBytes(64 * 1024 * 1024)) };
  const tmp = path.join(s.paths.outbound, `${file.fileName}.tmp`);
  const session = await gateway.open();
  // Kill the session processes as soon as the upload has begun writing.
  const watch = setInterval(() => {
    if (fs.existsSync(tmp) && fs.statSync(tmp).size > 0) {
      clearInterval(watch);
      s.dropConnections();
    }
  }, 1);
  const error = await session.send(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  clearInterval(watch);
  await session.close();
  assert.instance(error, IntegrationError);
  assert.is((error as IntegrationError).code, "SFTP_CONNECTION_LOST");
  assert.is((error as IntegrationError).retryable, true);
  assert.not.ok(fs.existsSync(path.join(s.paths.outbound, file.fileName)), "no final file after the drop");

  const retry = await gateway.open();
  assert.equal(await retry.send(file), { kind: "sent" });
  await retry.close();
  assert.equal(outbound(), [file.fileName]);
  assert.ok(outboundBytes(file.fileName).every((b, i) => b === file.bytes[i]));
});

for (const crashPoint of ["before-rename", "before-record"] as const) {
  it(`a process killed ${crashPoint.replace("-", " the ")} leaves, after the next submit, one final PO with the stored bytes`, async () => {
    const app = anSftpApp({ reconnectAttempts: 0 });
    const { id, fileName } = await app.anOrder();
    const bytes = await app.storedWhileDown();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "sftp-crash-"));
    try {
      fs.writeFileSync(path.join(work, "config.json"), JSON.stringify(app.config));
      fs.writeFileSync(path.join(work, "po.json"), bytes);
      const args = [
        CRASH_SCRIPT,
        path.join(work, "config.json"),
        path.join(work, "po.json"),
        fileName,
        crashPoint,
      ];
      const [cmd, argv] = ON_DENO
        ? [
            path.join(ROOT, "node_modules/.bin/deno"),
            ["run", "--quiet", "--allow-all", `--config=${path.join(ROOT, "deno.json")}`, ...args],
          ]
        : [process.execPath, ["--import", "tsx", ...args]];
      const child = spawnSync(cmd, argv, { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
      assert.is(child.signal, "SIGKILL", `the script died by SIGKILL (${child.status}): ${child.stderr}`);
      assert.equal(outbound(), crashPoint === "before-rename" ? [`${fileName}.tmp`] : [fileName]);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }

    const report = await app.submit();
    assert.equal(report.counts, { sent: 1 });
    assert.equal(outbound(), [fileName]);
    assert.equal(outboundBytes(fileName), bytes, "byte-identical to the stored PO");
    assert.is(app.store.get(id)?.state, "PO_SENT");
  });
}

it("collecting twice over the same inbound files changes nothing the second time", async () => {
  const s = server();
  const app = anSftpApp();
  const { id, fileName } = await app.anOrder();
  assert.equal((await app.submit()).counts, { prepared: 1, sent: 1 });
  const po = JSON.parse(new TextDecoder().decode(outboundBytes(fileName)));
  const ack = `ACK_123456_${id}_1.json`;
  const asn = `ASN_123456_${id}_S1.json`;
  fs.writeFileSync(path.join(s.paths.inbound, ack), ackFile(po));
  fs.writeFileSync(path.join(s.paths.inbound, asn), asnFile(po, "S1"));

  assert.equal((await app.collect()).counts, { applied: 2 });
  const after = app.store.get(id);
  assert.is(after?.state, "SHIPPED_FULL");
  assert.equal(files(s.paths.inbound), []);
  assert.equal(files(s.paths.archive), [ack, asn]);

  assert.equal((await app.collect()).counts, {});
  assert.equal(app.store.get(id), after);
  assert.equal(files(s.paths.archive), [ack, asn]);

  fs.copyFileSync(path.join(s.paths.archive, ack), path.join(s.paths.inbound, ack));
  assert.equal((await app.collect()).counts, { duplicates: 1 }, "a re-delivered file is only archived");
  assert.equal(app.store.get(id), after);
  assert.equal(files(s.paths.archive), [ack, `${ack}.1`, asn]);
});

it.run();
