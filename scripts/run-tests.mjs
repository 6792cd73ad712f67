#!/usr/bin/env node
// Runs the uvu suites, echoes their output, then prints "N passed, N failed, N skipped" and exits
// non-zero on any failure. uvu's own summary has no "Failed" line, a throwing before()/after() hook
// leaves its exit code at 0, and no tests at all also exits 0: all three are caught here.
// Usage: node scripts/run-tests.mjs [--node | --deno | --all] [dir] [pattern]
//   --node (default) runs the suites under Node through tsx, --deno under Deno, --all both in turn.
import { spawn } from "node:child_process";

const args = process.argv.slice(2);
const mode = args[0]?.startsWith("--") ? args.shift().slice(2) : "node";
if (!["node", "deno", "all"].includes(mode)) {
  console.error(`unknown mode --${mode}; use --node, --deno or --all`);
  process.exit(2);
}
const dir = args[0] ?? "test";
const pattern = args[1] ?? "\\.test\\.ts$";

function runSuite(runtime) {
  const uvu = ["node_modules/uvu/bin.js", dir, pattern, "--no-color"];
  const [cmd, cmdArgs] =
    runtime === "deno"
      ? ["node_modules/.bin/deno", ["run", "--allow-all", "--quiet", ...uvu]]
      : [process.execPath, ["--import", "tsx", ...uvu]];
  const env = { ...process.env, NO_COLOR: "1", FULFILLMENT_TEST_RUNTIME: runtime };
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: ["ignore", "pipe", "pipe"], env });
    let out = "";
    child.stdout.on("data", (b) => {
      out += b;
      process.stdout.write(b);
    });
    child.stderr.on("data", (b) => {
      out += b;
      process.stderr.write(b);
    });
    child.on("close", (code, signal) => {
      const num = (label) => {
        const m = out.match(new RegExp(`^\\s*${label}:\\s+(\\d+)`, "m"));
        return m ? Number(m[1]) : undefined;
      };
      const total = num("Total");
      const passed = num("Passed") ?? 0;
      const skipped = num("Skipped") ?? 0;
      let failed = total !== undefined ? total - passed : 1; // no summary: the runner crashed
      if (failed === 0 && code !== 0) failed = 1; // crashed after printing a summary
      if (signal) console.error(`uvu on ${runtime} killed by ${signal}`);
      if (!total) console.error(`no test ran on ${runtime}: that is a failure`);
      resolve({ runtime, passed, failed, skipped, ok: failed === 0 && code === 0 && Boolean(total) });
    });
  });
}

const results = [];
for (const runtime of mode === "all" ? ["node", "deno"] : [mode]) {
  const r = await runSuite(runtime);
  results.push(r);
  if (mode === "all") console.log(`${runtime}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
}
const sum = (key) => results.reduce((s, r) => s + r[key], 0);
console.log(`${sum("passed")} passed, ${sum("failed")} failed, ${sum("skipped")} skipped`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
