import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { Container } from "inversify";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { SpApiMarketplace } from "../../../src/adapters/sp-api/sp-api.marketplace.js";
import { spApiPlugin } from "../../../src/adapters/sp-api/sp-api.plugin.js";
import {
  insecureTlsProblem,
  LoopbackAgent,
  REUSE_CONNECTIONS,
  refuseInsecureTls,
  spApiAgent,
} from "../../../src/adapters/sp-api/spapi-tls.js";
import { Runtime } from "../../../src/app/composition/runtime.js";
import type { Config } from "../../../src/app/config/config.js";
import { AppConfig } from "../../../src/app/config/config.token.js";
import { IntegrationError } from "../../../src/app/errors.js";
import { Clock } from "../../../src/app/ports/clock.port.js";
import { EventLog } from "../../../src/app/ports/event-log.port.js";
import { Marketplace } from "../../../src/app/ports/marketplace.port.js";
import { OrderStore } from "../../../src/app/ports/order-store.port.js";
import { FixedClock } from "../../support/fakes/fixed.clock.js";
import { MemoryEventLog } from "../../support/fakes/memory.event-log.js";
import { MemoryOrderStore } from "../../support/fakes/memory.order-store.js";
import { aLocalFolderConfig } from "../../support/local-folder-config.js";

const SECRETS = {
  SPAPI_CLIENT_ID: "amzn1.application-oa2-client.clientid-QX7PLM",
  SPAPI_CLIENT_SECRET: "clientsecret-ZC4NB8TY1HGD",
  SPAPI_REFRESH_TOKEN: "refreshtoken-JM5KS3UE6OFA",
};

function anSpApiConfig(root: string, loopback?: Config["amazon"]["loopback"]): Config {
  const base = aLocalFolderConfig(root);
  return {
    ...base,
    adapters: { ...base.adapters, marketplace: "sp-api" },
    amazon: { ...base.amazon, ...(loopback ? { loopback } : {}) },
  };
}

function aMarketplace(config: Config, env: Record<string, string | undefined>, log = new MemoryEventLog()) {
  return new SpApiMarketplace(
    config,
    { command: "cycle", consoleEvents: false, env },
    new MemoryOrderStore(),
    new FixedClock(),
    log,
  );
}

async function firstUseError(marketplace: SpApiMarketplace): Promise<IntegrationError> {
  try {
    for await (const _ of marketplace.changedOrders(undefined)) break;
  } catch (error) {
    assert.instance(error, IntegrationError);
    return error as IntegrationError;
  }
  throw new Error("expected the first use to fail");
}

const tls = suite<{ root: string }>("sp-api TLS settings and secrets");
tls.before.each((ctx) => {
  ctx.root = fs.mkdtempSync(path.join(os.tmpdir(), "sp-api-tls-"));
});
tls.after.each((ctx) => fs.rmSync(ctx.root, { recursive: true, force: true }));

tls("certificate checks switched off by NODE_TLS_REJECT_UNAUTHORIZED=0 are refused", () => {
  assert.match(
    insecureTlsProblem({ NODE_TLS_REJECT_UNAUTHORIZED: "0" }) ?? "",
    "NODE_TLS_REJECT_UNAUTHORIZED",
  );
  assert.is(insecureTlsProblem({ NODE_TLS_REJECT_UNAUTHORIZED: "1" }), undefined);
  try {
    refuseInsecureTls({ NODE_TLS_REJECT_UNAUTHORIZED: "0" });
    assert.unreachable();
  } catch (error) {
    assert.instance(error, IntegrationError);
    assert.is((error as IntegrationError).code, "INSECURE_TLS_SETTINGS");
    assert.not.ok((error as IntegrationError).retryable);
  }
});

tls("a TLS minimum lowered in NODE_OPTIONS is refused; other options are not", () => {
  for (const options of ["--tls-min-v1.0", "--max-old-space-size=512 --tls-min-v1.1", "--tls-min-v1.0 --x"])
    assert.match(insecureTlsProblem({ NODE_OPTIONS: options }) ?? "", "NODE_OPTIONS", options);
  for (const options of ["", "--tls-min-v1.2", "--tls-min-v1.3 --enable-source-maps"])
    assert.is(insecureTlsProblem({ NODE_OPTIONS: options }), undefined, options);
  assert.is(insecureTlsProblem({}), undefined);
});

tls(
  "the marketplace refuses insecure TLS settings on first use, before any secret is read",
  async ({ root }) => {
    const error = await firstUseError(
      aMarketplace(anSpApiConfig(root), { ...SECRETS, NODE_TLS_REJECT_UNAUTHORIZED: "0" }),
    );
    assert.is(error.code, "INSECURE_TLS_SETTINGS");
    const confirmError = await aMarketplace(anSpApiConfig(root), { NODE_OPTIONS: "--tls-min-v1.1" })
      .confirmShipment("113-1234567-1234567", {
        packageReferenceId: "1",
        carrierCode: "UPS",
        trackingNumber: "1Z",
        shipDate: "2026-12-04T10:00:00Z",
        items: [],
      })
      .then(
        () => undefined,
        (e: unknown) => e as IntegrationError,
      );
    assert.is(confirmError?.code, "INSECURE_TLS_SETTINGS");
  },
);

tls(
  "missing secrets fail first use with SPAPI_CREDENTIALS_MISSING naming the variables",
  async ({ root }) => {
    const none = await firstUseError(aMarketplace(anSpApiConfig(root), {}));
    assert.is(none.code, "SPAPI_CREDENTIALS_MISSING");
    for (const name of Object.keys(SECRETS)) assert.match(none.message, name);
    const some = await firstUseError(
      aMarketplace(anSpApiConfig(root), { ...SECRETS, SPAPI_REFRESH_TOKEN: " ", SPAPI_CLIENT_ID: undefined }),
    );
    assert.match(some.message, "SPAPI_CLIENT_ID, SPAPI_REFRESH_TOKEN");
    assert.not.match(some.message, "SPAPI_CLIENT_SECRET");
    assert.not.ok(some.message.includes(SECRETS.SPAPI_CLIENT_SECRET));
  },
);

tls("constructing the marketplace touches nothing: no secret, no file, no connection", ({ root }) => {
  const missingCa = anSpApiConfig(root, { port: 1, caFile: path.join(root, "missing.pem") });
  assert.instance(aMarketplace(missingCa, {}), SpApiMarketplace);
});

tls("the loopback agent is an https.Agent that requires TLS 1.2; so is the default agent", () => {
  const loopback = spApiAgent({ port: 4443, ca: Buffer.from("") });
  assert.instance(loopback, LoopbackAgent);
  assert.instance(loopback, https.Agent);
  assert.is(loopback.options.minVersion, "TLSv1.2");
  const direct = spApiAgent(undefined);
  assert.not.instance(direct, LoopbackAgent);
  assert.is(direct.options.minVersion, "TLSv1.2");
});

tls(
  "both agents keep connections alive on Node, and not on Deno, which re-sends reset requests unseen",
  () => {
    const onDeno = "Deno" in globalThis;
    assert.is(REUSE_CONNECTIONS, !onDeno);
    assert.is(spApiAgent({ port: 4443, ca: Buffer.from("") }).options.keepAlive, !onDeno);
    assert.is(spApiAgent(undefined).options.keepAlive, !onDeno);
  },
);

tls.run();

const plugin = suite<{ root: string }>("sp-api plugin");
plugin.before.each((ctx) => {
  ctx.root = fs.mkdtempSync(path.join(os.tmpdir(), "sp-api-plugin-"));
});
plugin.after.each((ctx) => fs.rmSync(ctx.root, { recursive: true, force: true }));

plugin("is the marketplace plugin named sp-api", () => {
  assert.is(spApiPlugin.family, "marketplace");
  assert.is(spApiPlugin.name, "sp-api");
});

plugin("check accepts no loopback, and a loopback whose caFile exists", ({ root }) => {
  assert.equal(spApiPlugin.check?.(anSpApiConfig(root)), []);
  const caFile = path.join(root, "ca.pem");
  fs.writeFileSync(caFile, "-----BEGIN CERTIFICATE-----\n");
  assert.equal(spApiPlugin.check?.(anSpApiConfig(root, { port: 4443, caFile })), []);
});

plugin("check stops start-up when the environment weakens TLS, and is quiet otherwise", ({ root }) => {
  const config = anSpApiConfig(root);
  assert.equal(spApiPlugin.check?.(config, { NODE_OPTIONS: "--max-old-space-size=512" }), []);
  const off = spApiPlugin.check?.(config, { NODE_TLS_REJECT_UNAUTHORIZED: "0" }) ?? [];
  assert.is(off.length, 1);
  assert.match(off[0] ?? "", "NODE_TLS_REJECT_UNAUTHORIZED=0");
  const lowered = spApiPlugin.check?.(config, { NODE_OPTIONS: "--tls-min-v1.0" }) ?? [];
  assert.match(lowered[0] ?? "", "TLS minimum");
});

plugin("check names a loopback caFile that does not exist, and the fix", ({ root }) => {
  const caFile = path.join(root, "nope.pem");
  const problems = spApiPlugin.check?.(anSpApiConfig(root, { port: 4443, caFile })) ?? [];
  assert.is(problems.length, 1);
  assert.match(problems[0] ?? "", "amazon.loopback.caFile");
  assert.match(problems[0] ?? "", caFile);
});

plugin(
  "its module binds one SpApiMarketplace, resolved from configuration, runtime, store, clock and log",
  ({ root }) => {
    const config = anSpApiConfig(root);
    const container = new Container();
    container.bind(AppConfig).toConstantValue(config);
    container.bind(Runtime).toConstantValue({ command: "cycle", consoleEvents: false, env: {} });
    container.bind(OrderStore).toConstantValue(new MemoryOrderStore());
    container.bind(Clock).toConstantValue(new FixedClock());
    container.bind(EventLog).toConstantValue(new MemoryEventLog());
    container.load(spApiPlugin.module(config));
    assert.instance(container.get(Marketplace), SpApiMarketplace);
    assert.is(container.get(Marketplace), container.get(Marketplace));
  },
);

plugin.run();
