import "reflect-metadata";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Container } from "inversify";
import { buildContainer } from "../composition/container.js";
import { selectPlugins } from "../composition/plugins.js";
import type { Config } from "../config/config.js";
import { loadConfig } from "../config/load-config.js";
import { readSkuMap } from "../config/sku-map-file.js";
import { runDaemon } from "../daemon/daemon.js";
import { AlreadyRunningError } from "../daemon/instance-lock.js";
import { checkSchedule } from "../daemon/schedules.js";
import { ConfigError } from "../errors.js";
import { EventLog } from "../ports/event-log.port.js";
import { KeyAdministration } from "../ports/key-administration.port.js";
import { OrderStore } from "../ports/order-store.port.js";
import { StoreIntegrity } from "../ports/store-integrity.port.js";
import {
  describeUnencrypted,
  EncryptedVolumesQuery,
  encryptedVolumeFix,
} from "../queries/encrypted-volumes.query.js";
import { OrderDetailsQuery } from "../queries/order-details.query.js";
import { StatusQuery } from "../queries/status.query.js";
import { RunSteps } from "../use-cases/run-cycle.use-case.js";
import type { StepName } from "../use-cases/step-report.js";
import { type Command, HELP, type ParsedArgs, parseArgs, UsageError } from "./args.js";
import { enforceEncryptedVolumes } from "./encrypted-volume.guard.js";
import { renderOrder, renderStatus, renderSteps } from "./render.js";
import { backupCommand, purgeCommand, restoreCommand, withInstanceLock } from "./store-commands.js";

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

const PACKAGE_JSON = new URL("../../../package.json", import.meta.url);

export function version(): string {
  return (JSON.parse(readFileSync(PACKAGE_JSON, "utf8")) as { version: string }).version;
}

export function runtimeName(): string {
  const deno = (globalThis as { Deno?: { version?: { deno?: string } } }).Deno;
  return deno?.version?.deno ? `deno ${deno.version.deno}` : `node ${process.version}`;
}

function configPath(args: ParsedArgs, io: Io): string {
  return args.config ?? io.env.FULFILLMENT_CONFIG ?? "config/fulfillment.json";
}

/** `config check`: everything start-up would refuse, found without touching the data directory. */
function checkConfig(config: Config, args: ParsedArgs, io: Io): number {
  const plugins = selectPlugins(config, io.env);
  const skus = readSkuMap(config.essendant.skuMapFile);
  checkSchedule("schedule.cycle", config.schedule.cycle, config.schedule.timezone);
  checkSchedule("schedule.purge", config.schedule.purge, config.schedule.timezone);
  checkSchedule("schedule.backup", config.schedule.backup, config.schedule.timezone);
  const problems: string[] = [];
  for (const [key, dir] of [
    ["storage.dataDir", config.storage.dataDir],
    ["storage.logDir", config.storage.logDir],
    ["storage.backupDir", config.storage.backupDir],
  ] as const) {
    try {
      const mode = statSync(dir).mode & 0o777;
      if (mode & 0o077) problems.push(`${key} ${dir} has mode ${mode.toString(8)}; run: chmod 700 ${dir}`);
    } catch {
      // Created with mode 0700 on first start.
    }
  }
  const keyFile = config.storage.keyFile;
  if (keyFile) {
    try {
      const mode = statSync(keyFile).mode & 0o777;
      if (mode & 0o077)
        problems.push(`storage.keyFile ${keyFile} has mode ${mode.toString(8)}; run: chmod 600 ${keyFile}`);
    } catch {
      if (!config.storage.createKeyFileIfMissing) {
        problems.push(`storage.keyFile ${keyFile} does not exist; create it with: fulfillment keys init`);
      }
    }
  }
  const container = buildContainer(config, { command: "config check", consoleEvents: false, env: io.env });
  const volumes = container.get(EncryptedVolumesQuery).execute();
  // Read-only: the check opens nothing for writing and creates nothing.
  const integrity = container.isBound(StoreIntegrity) ? container.get(StoreIntegrity).check() : undefined;
  if (integrity?.kind === "damaged") {
    problems.push(
      `the database in ${config.storage.dataDir} fails its integrity check (${integrity.problems.join("; ")}); stop the daemon and restore the latest backup: fulfillment restore FILE`,
    );
  }
  if (volumes.required)
    for (const d of volumes.unencrypted)
      problems.push(`${describeUnencrypted(d)}; ${encryptedVolumeFix(config.file)}`);
  const summary = {
    ok: problems.length === 0,
    file: config.file,
    plugins: Object.fromEntries(Object.entries(plugins).map(([family, p]) => [family, p.name])),
    skuMappings: skus.size,
    encryptedVolume: volumes,
    databaseIntegrity: integrity?.kind ?? "not-checked",
    problems,
  };
  if (args.json) io.out(JSON.stringify(summary, null, 2));
  else {
    io.out(`configuration ${config.file}: ${problems.length === 0 ? "OK" : "PROBLEMS"}`);
    for (const [family, p] of Object.entries(plugins))
      io.out(`  ${family.padEnd(12)} ${p.name} — ${p.summary}`);
    io.out(`  SKU map      ${skus.size} mappings from ${config.essendant.skuMapFile}`);
    if (integrity)
      io.out(
        `  database     ${integrity.kind === "no-database" ? "none yet" : integrity.kind === "ok" ? "integrity ok" : "DAMAGED"}`,
      );
    if (!volumes.required)
      for (const d of volumes.unencrypted)
        io.out(`  warning: ${describeUnencrypted(d)} (allowed: security.requireEncryptedVolume is false)`);
    for (const p of problems) io.out(`  problem: ${p}`);
  }
  return problems.length === 0 ? 0 : 2;
}

/**
 * `keys init` and `keys rotate`: the store's key administration. A rotation holds the instance
 * lock, so no daemon wraps a new data key with the old key file meanwhile.
 */
function runKeys(command: "keys init" | "keys rotate", config: Config, args: ParsedArgs, io: Io): number {
  const container = buildContainer(config, { command, consoleEvents: false, env: io.env });
  guardEncryptedVolumes(container, config, io);
  if (!container.isBound(KeyAdministration))
    throw new ConfigError(
      `the "${config.adapters.store}" store encrypts nothing; \`${command}\` has no keys to manage`,
    );
  const keys = container.get(KeyAdministration);
  if (command === "keys init") {
    const { file } = keys.init();
    io.out(
      args.json
        ? JSON.stringify({ file }, null, 2)
        : `created key file ${file} (mode 0600); keep a copy offline and apart from the backups: without it no stored ship-to can be read`,
    );
    return 0;
  }
  return withInstanceLock(config, io, () => {
    const { file, dataKeys } = keys.rotate(args.newKeyFile && path.resolve(io.cwd, args.newKeyFile));
    const moved = file !== config.storage.keyFile;
    if (args.json) io.out(JSON.stringify({ file, dataKeys }, null, 2));
    else if (moved)
      io.out(
        `new key file ${file}: ${dataKeys} data keys re-wrapped under it; set storage.keyFile to ${file} in ${config.file}, then destroy the old key file ${config.storage.keyFile} (shred -u)`,
      );
    else
      io.out(
        `key file ${file} replaced: ${dataKeys} data keys re-wrapped under the new key; the old key is gone`,
      );
    return 0;
  });
}

async function runCommand(
  command: Command,
  container: Container,
  config: Config,
  args: ParsedArgs,
  io: Io,
): Promise<number> {
  switch (command) {
    case "run":
      try {
        return await runDaemon(container, config, { version: version(), runtime: runtimeName() });
      } catch (error) {
        if (!(error instanceof AlreadyRunningError)) throw error;
        io.err(`fulfillment: ${error.message}`);
        return 1;
      }
    case "status": {
      const report = container.get(StatusQuery).execute();
      io.out(args.json ? JSON.stringify(report, null, 2) : renderStatus(report));
      return 0;
    }
    case "orders show": {
      const [orderId, extra] = args.operands;
      if (!orderId || extra) throw new UsageError("orders show takes exactly one Amazon order id");
      const details = container.get(OrderDetailsQuery).execute(orderId, args.pii);
      if (!details) {
        io.err(`no order ${orderId} is known to this system`);
        return 1;
      }
      io.out(args.json ? JSON.stringify(details, null, 2) : renderOrder(details));
      return 0;
    }
    case "purge":
      return await purgeCommand(container, args, io);
    case "backup":
      return backupCommand(container, config, args, io);
    case "restore":
      return restoreCommand(container, config, args, io);
    default: {
      const steps = container.get(RunSteps);
      const reports = command === "cycle" ? await steps.cycle() : await steps.run([command as StepName]);
      io.out(args.json ? JSON.stringify(reports, null, 2) : renderSteps(reports));
      return reports.every((r) => r.ok) ? 0 : 1;
    }
  }
}

/** The CLI: returns the exit status (0 done, 1 the work failed, 2 usage or configuration error). */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let container: Container | undefined;
  try {
    const args = parseArgs(argv);
    if (args.help) {
      io.out(HELP);
      return 0;
    }
    if (args.version) {
      io.out(`fulfillment ${version()}`);
      return 0;
    }
    if (!args.command) throw new UsageError("no command given");
    if (args.command === "run" && args.now)
      throw new UsageError("run acts on the real clock; --now is only for one-shot commands");
    if (args.operands.length > 0 && args.command !== "orders show" && args.command !== "restore")
      throw new UsageError(`${args.command} takes no arguments`);
    if ((args.dryRun || args.force) && args.command !== "purge")
      throw new UsageError("--dry-run and --force go only with purge");
    if (args.newKeyFile && args.command !== "keys rotate")
      throw new UsageError("--new-key-file goes only with keys rotate");
    const config = loadConfig(configPath(args, io), io.cwd);
    if (args.command === "config check") return checkConfig(config, args, io);
    if (args.command === "keys init" || args.command === "keys rotate")
      return runKeys(args.command, config, args, io);
    const built = buildContainer(config, {
      command: args.command,
      consoleEvents: args.command === "run",
      env: io.env,
      ...(args.now ? { now: args.now } : {}),
      ...(args.force ? { force: true } : {}),
    });
    // Before `container` is set: a refusal must not open the store or the log, even to close them.
    guardEncryptedVolumes(built, config, io);
    container = built;
    return await runCommand(args.command, container, config, args, io);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`fulfillment: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    if (container) await closeAll(container);
  }
}

/**
 * `security.requireEncryptedVolume`, before every command that touches data (all but `config
 * check`, which reports it): exit 2 naming each directory off the LUKS volume and the fix, or,
 * when the rule is off, a warning on stderr, in the log and in the audit log at every start.
 */
function guardEncryptedVolumes(container: Container, config: Config, io: Io): void {
  const status = container.get(EncryptedVolumesQuery).execute();
  enforceEncryptedVolumes(status, config.file, () => container.get(EventLog), io.err);
}

/** Flushes the log and closes the store, whichever of them this command opened. */
async function closeAll(container: Container): Promise<void> {
  try {
    await container.get(EventLog).flush();
  } catch {
    // The logger never started: nothing to flush.
  }
  try {
    container.get(OrderStore).close();
  } catch {
    // The store could not open: nothing to close.
  }
}
