import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Container } from "inversify";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { essendantSftpPlugin } from "../../src/adapters/essendant-sftp/essendant-sftp.plugin.js";
import { sameFingerprint } from "../../src/adapters/essendant-sftp/host-key.js";
import {
  reconnectDelayMs,
  SftpSupplierGateway,
} from "../../src/adapters/essendant-sftp/sftp.supplier-gateway.js";
import type { EssendantConfig, SftpOptions } from "../../src/app/config/config.js";
import { AppConfig } from "../../src/app/config/config.token.js";
import { IntegrationError } from "../../src/app/errors.js";
import { AlertSink } from "../../src/app/ports/alert-sink.port.js";
import { EventLog } from "../../src/app/ports/event-log.port.js";
import { SupplierGateway } from "../../src/app/ports/supplier-gateway.port.js";
import { FixedClock } from "../support/fakes/fixed.clock.js";
import { MemoryAlertSink } from "../support/fakes/memory.alert-sink.js";
import { MemoryEventLog } from "../support/fakes/memory.event-log.js";
import { anSftpConfig, type TestSftpServer } from "../support/sftp-config.js";
import { startSftpServer } from "../support/sftp-server.js";
import { startSshd } from "../support/sshd.js";
import { type SupplierGatewayHarness, supplierGatewayContract } from "./supplier-gateway.contract.js";

/**
 * The contract on both servers the gateway meets in tests: the in-process ssh2 server (fast) and
 * OpenSSH (the real thing). The contract's factory is synchronous, so both start here, once.
 */
function harness(server: TestSftpServer, root: string, maxInboundBytes: number): SupplierGatewayHarness {
  const paths: EssendantConfig["paths"] = server.paths ?? {
    outbound: "/in",
    inbound: "/out",
    archive: "/out/archive",
    errors: "/out/errors",
  };
  // The remote folders as local directories: under `root` when the server shows root as `/`.
  const local = (remote: string) => (server.paths ? remote : path.join(root, remote));
  const reset = () => {
    fs.rmSync(local(paths.outbound), { recursive: true, force: true });
    fs.rmSync(local(paths.inbound), { recursive: true, force: true });
    for (const dir of Object.values(paths)) fs.mkdirSync(local(dir), { recursive: true, mode: 0o700 });
  };
  reset();
  const gateway = new SftpSupplierGateway(
    anSftpConfig(server, { maxInboundBytes }),
    new MemoryEventLog(),
    new MemoryAlertSink(new FixedClock()),
    async () => {},
  );
  const names = (dir: string) =>
    fs
      .readdirSync(local(dir))
      .filter((n) => !fs.lstatSync(path.join(local(dir), n)).isDirectory())
      .sort();
  return {
    gateway,
    outboundNames: () => names(paths.outbound),
    outboundBytes: (name) => {
      const file = path.join(local(paths.outbound), name);
      return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    },
    dropInbound: (name, bytes) => fs.writeFileSync(path.join(local(paths.inbound), name), bytes),
    dropSymlink: (name) => {
      const outside = path.join(local(paths.outbound), "..", "outside.json");
      fs.writeFileSync(outside, "{}");
      fs.symlinkSync(outside, path.join(local(paths.inbound), name));
    },
    archivedNames: () => names(paths.archive),
    rejectedNames: () => names(paths.errors),
    dispose: reset,
  };
}

const inProcess = await startSftpServer();
supplierGatewayContract("essendant-sftp on an in-process SFTP server", (max) =>
  harness(inProcess, inProcess.root, max),
);

const sshd = await startSshd().catch((error: Error) => error);
if (sshd instanceof Error) {
  const missing = suite("SupplierGateway contract: essendant-sftp on OpenSSH sshd");
  missing("runs on a real OpenSSH server", () => {
    throw sshd;
  });
  missing.run();
} else {
  supplierGatewayContract("essendant-sftp on OpenSSH sshd", (max) => harness(sshd, sshd.root, max));
}

const gatewaySuite = suite("SftpSupplierGateway on the in-process server");
const fresh = () => {
  for (const dir of ["in", "out"])
    fs.rmSync(path.join(inProcess.root, dir), { recursive: true, force: true });
  for (const dir of ["in", "out/archive", "out/errors"])
    fs.mkdirSync(path.join(inProcess.root, dir), { recursive: true });
};
gatewaySuite.before.each(fresh);
gatewaySuite.after.each(() => {
  inProcess.stall = false;
});

function aGateway(sftp: Partial<SftpOptions> = {}, server: TestSftpServer = inProcess) {
  const log = new MemoryEventLog();
  const alerts = new MemoryAlertSink(new FixedClock());
  const sleeps: number[] = [];
  const gateway = new SftpSupplierGateway(anSftpConfig(server, { sftp }), log, alerts, async (ms) => {
    sleeps.push(ms);
  });
  return { gateway, log, alerts, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(error, IntegrationError);
  return error as IntegrationError;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const outFile = (name: string) => path.join(inProcess.root, "in", name);

gatewaySuite(
  "a server that stops answering times out as SFTP_TIMEOUT and the session is closed",
  async () => {
    const { gateway } = aGateway({ operationTimeoutSeconds: 1 });
    const session = await gateway.open();
    inProcess.stall = true;
    const started = Date.now();
    const error = await failure(session.listInbound());
    assert.equal([error.code, error.retryable], ["SFTP_TIMEOUT", true]);
    assert.ok(Date.now() - started < 3000, "gave up after about a second");
    assert.is((await failure(session.listInbound())).code, "SFTP_CONNECTION_LOST", "later calls fail fast");
    await session.close();
    await session.close();
  },
);

gatewaySuite("an unreachable server is tried 1 + reconnectAttempts times with growing pauses", async () => {
  const closed = await startSftpServer();
  const { port } = closed;
  await closed.close();
  const { gateway, log, sleeps } = aGateway({ reconnectAttempts: 3 }, { ...inProcess, port });
  const error = await failure(gateway.open());
  assert.equal([error.code, error.retryable], ["SFTP_UNREACHABLE", true]);
  assert.equal(
    log.named("sftp.connect-failed").map((e) => [e.level, e.fields.attempt, e.fields.errorCode]),
    [
      ["warn", 1, "ECONNREFUSED"],
      ["warn", 2, "ECONNREFUSED"],
      ["warn", 3, "ECONNREFUSED"],
      ["warn", 4, "ECONNREFUSED"],
    ],
  );
  assert.is(sleeps.length, 3);
  sleeps.forEach((ms, i) => {
    assert.ok(ms >= 500 * 2 ** i && ms <= 1000 * 2 ** i, `pause ${i + 1} is ${ms} ms`);
  });
});

gatewaySuite("the back-off doubles from 1 s with jitter and never exceeds 30 s", () => {
  assert.is(
    reconnectDelayMs(1, () => 0),
    500,
  );
  assert.is(
    reconnectDelayMs(1, () => 1),
    1000,
  );
  assert.is(
    reconnectDelayMs(3, () => 1),
    4000,
  );
  assert.is(
    reconnectDelayMs(6, () => 1),
    30_000,
  );
  assert.is(
    reconnectDelayMs(10, () => 0),
    15_000,
  );
});

gatewaySuite("a refused key fails as SFTP_AUTH_FAILED on the first connection, without retries", async () => {
  const before = inProcess.stats.connections;
  const { gateway, log, sleeps } = aGateway({
    privateKeyFile: inProcess.strangerKeyFile,
    reconnectAttempts: 3,
  });
  const error = await failure(gateway.open());
  assert.equal([error.code, error.retryable], ["SFTP_AUTH_FAILED", false]);
  assert.is(inProcess.stats.connections - before, 1);
  assert.is(log.named("sftp.connect-failed").length, 1);
  assert.equal(sleeps, []);
});

gatewaySuite("an unknown host key is refused before any authentication, audited and alerted", async () => {
  const before = { ...inProcess.stats };
  const pinned = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  const { gateway, log, alerts } = aGateway({ hostKeySha256: pinned, reconnectAttempts: 2 });
  const error = await failure(gateway.open());
  assert.equal([error.code, error.retryable], ["HOST_KEY_MISMATCH", false]);
  assert.is(inProcess.stats.connections - before.connections, 1, "not retried");
  assert.is(inProcess.stats.authAttempts, before.authAttempts, "no key was offered");
  assert.equal(
    log.named("security.host-key-mismatch").map((e) => [e.level, e.fields.fingerprint]),
    [["audit", inProcess.hostFingerprint]],
  );
  assert.equal(
    alerts.active().map((a) => [a.code, a.severity]),
    [["SFTP_HOST_KEY_MISMATCH", "critical"]],
  );
});

gatewaySuite("a server offering only legacy algorithms is refused in the handshake", async () => {
  const legacy = await startSftpServer({ algorithms: { cipher: ["aes128-cbc"], hmac: ["hmac-sha1"] } });
  try {
    const { gateway, log } = aGateway({ reconnectAttempts: 0 }, legacy);
    const error = await failure(gateway.open());
    assert.equal([error.code, error.retryable], ["SFTP_HANDSHAKE_FAILED", false]);
    assert.equal(log.named("sftp.connect-failed")[0]?.fields.errorCode, "HANDSHAKE_FAILED");
    assert.is(legacy.stats.authAttempts, 0);
  } finally {
    await legacy.close();
  }
});

gatewaySuite("a .tmp left by a crashed upload is overwritten by the next one", async () => {
  fs.writeFileSync(outFile("PO_1.json.tmp"), "garbage from an earlier, longer attempt");
  const { gateway } = aGateway();
  const session = await gateway.open();
  assert.equal(await session.send({ fileName: "PO_1.json", bytes: bytes("{}") }), { kind: "sent" });
  await session.close();
  assert.equal(fs.readdirSync(path.join(inProcess.root, "in")), ["PO_1.json"]);
  assert.is(fs.readFileSync(outFile("PO_1.json"), "utf8"), "{}");
});

gatewaySuite(
  "a final file of the same size counts as already there and a stale .tmp is removed",
  async () => {
    fs.writeFileSync(outFile("PO_1.json"), "{}");
    fs.writeFileSync(outFile("PO_1.json.tmp"), "{");
    const { gateway } = aGateway();
    const session = await gateway.open();
    assert.equal(await session.send({ fileName: "PO_1.json", bytes: bytes("{}") }), {
      kind: "already-there",
    });
    await session.close();
    assert.equal(fs.readdirSync(path.join(inProcess.root, "in")), ["PO_1.json"]);
  },
);

gatewaySuite(
  "listInbound leaves folders out and a file gone since the listing is INBOUND_NOT_FOUND",
  async () => {
    fs.mkdirSync(path.join(inProcess.root, "out", "ACK_dir.json"));
    fs.writeFileSync(path.join(inProcess.root, "out", "ACK_1.json"), "{}");
    const { gateway } = aGateway();
    const session = await gateway.open();
    const listed = await session.listInbound();
    assert.equal(listed, [{ name: "ACK_1.json", size: 2 }]);
    fs.rmSync(path.join(inProcess.root, "out", "ACK_1.json"));
    const [file] = listed;
    assert.ok(file);
    assert.equal((await failure(session.fetch(file))).code, "INBOUND_NOT_FOUND");
    assert.equal((await failure(session.archive(file))).code, "INBOUND_NOT_FOUND");
    await session.close();
  },
);

const plugin = suite("essendant-sftp plugin");

plugin("check accepts a complete configuration with an owner-only private key", () => {
  assert.equal(essendantSftpPlugin.check?.(anSftpConfig(inProcess)), []);
});

plugin("check names the key and the fix for each problem", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sftp-plugin-"));
  try {
    const base = anSftpConfig(inProcess);
    const withKey = (privateKeyFile: string) => anSftpConfig({ ...inProcess, clientKeyFile: privateKeyFile });
    const { sftp: _sftp, ...noSftp } = base.essendant;
    assert.match(
      essendantSftpPlugin.check?.({ ...base, essendant: noSftp })[0] ?? "",
      "essendant.sftp is required",
    );
    assert.match(
      essendantSftpPlugin.check?.(withKey(path.join(dir, "missing")))[0] ?? "",
      /privateKeyFile .*missing does not exist/,
    );
    const open = path.join(dir, "open_key");
    fs.copyFileSync(inProcess.clientKeyFile, open);
    fs.chmodSync(open, 0o644);
    assert.equal(essendantSftpPlugin.check?.(withKey(open)), [
      `essendant.sftp.privateKeyFile ${open} is readable by group or others; run \`chmod 600 ${open}\``,
    ]);
    const notKey = path.join(dir, "not_a_key");
    fs.writeFileSync(notKey, "hello", { mode: 0o600 });
    assert.match(essendantSftpPlugin.check?.(withKey(notKey))[0] ?? "", "is not a private key");
    const publicKey = path.join(dir, "public_key");
    fs.writeFileSync(publicKey, `ssh-ed25519 ${Buffer.alloc(51).toString("base64")} x\n`, { mode: 0o600 });
    assert.match(essendantSftpPlugin.check?.(withKey(publicKey))[0] ?? "", "is not a private key");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

plugin("its module binds the gateway, resolved with only configuration, log and alerts bound", () => {
  const container = new Container();
  const config = anSftpConfig(inProcess);
  container.bind(AppConfig).toConstantValue(config);
  container.bind(EventLog).toConstantValue(new MemoryEventLog());
  container.bind(AlertSink).toConstantValue(new MemoryAlertSink(new FixedClock()));
  container.load(essendantSftpPlugin.module(config));
  assert.instance(container.get(SupplierGateway), SftpSupplierGateway);
  assert.is(container.get(SupplierGateway), container.get(SupplierGateway), "one gateway per process");
});

plugin("fingerprints are compared on their digest, padded or not", () => {
  const fp = inProcess.hostFingerprint;
  assert.ok(sameFingerprint(fp, `${fp}=`));
  assert.not.ok(sameFingerprint(fp, "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
  assert.not.ok(sameFingerprint(fp, "MD5:00"));
});

gatewaySuite.run();
plugin.run();

const teardown = suite("SupplierGateway contract: essendant-sftp servers");
teardown("both test servers stop cleanly", async () => {
  await inProcess.close();
  if (!(sshd instanceof Error)) await sshd.dispose();
});
teardown.run();
