import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Runs the CLI as a user does, on the runtime the suite runs on (Node through tsx, or Deno). */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ENTRY = path.join(ROOT, "src/app/cli/fulfillment.ts");
const DENO = path.join(ROOT, "node_modules/.bin/deno");
export const RUNTIME =
  process.env.FULFILLMENT_TEST_RUNTIME === "deno" || "Deno" in globalThis ? "deno" : "node";

function command(args: readonly string[]): [string, string[]] {
  if (RUNTIME === "deno")
    return [
      DENO,
      ["run", "--quiet", "--allow-all", `--config=${path.join(ROOT, "deno.json")}`, ENTRY, ...args],
    ];
  return [process.execPath, ["--import", "tsx", ENTRY, ...args]];
}

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function cli(args: readonly string[], cwd = ROOT, env: Record<string, string> = {}): CliResult {
  const [cmd, argv] = command(args);
  const r = spawnSync(cmd, argv, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function cliInBackground(args: readonly string[], cwd = ROOT): ChildProcess {
  const [cmd, argv] = command(args);
  return spawn(cmd, argv, { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
}

/** A temporary copy of config/demo.json whose data, logs and Essendant folder live under a fresh directory. */
// biome-ignore lint/suspicious/noExplicitAny: tests edit arbitrary keys of the JSON file, invalid ones included
export function demoCopy(changes: (config: Record<string, any>) => void = () => {}): {
  dir: string;
  file: string;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), "fulfillment-e2e-"));
  const config = JSON.parse(readFileSync(path.join(ROOT, "config/demo.json"), "utf8"));
  config.storage = {
    ...config.storage,
    dataDir: path.join(dir, "data"),
    logDir: path.join(dir, "logs"),
    keyFile: path.join(dir, "keys", "data.key"),
  };
  config.essendant.localFolder.root = path.join(dir, "essendant");
  config.essendant.skuMapFile = path.join(ROOT, "config/sku-map.csv");
  changes(config);
  const file = path.join(dir, "fulfillment.json");
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return { dir, file };
}
