import type { BenchOptions, BenchResult } from "./bench.rig.js";
import { confirmBench } from "./confirm.bench.js";
import { intakeBench } from "./intake.bench.js";
import { purgeBench } from "./purge.bench.js";
import { storeBench } from "./store.bench.js";

/**
 * `npm run bench [-- intake|confirm|store|purge] [--speed N]`: the SP-API throughput benchmarks
 * against the HTTPS fake (`--speed` applies to these), then the store's. Each ends with its one-line
 * result; the exit status is 1 when a target is missed, 2 on a usage error.
 */
const BENCHES: Record<string, (options: BenchOptions) => Promise<BenchResult>> = {
  intake: intakeBench,
  confirm: confirmBench,
  store: ({ print }) => storeBench(print),
  purge: ({ print }) => purgeBench(print),
};

function usage(problem: string): never {
  console.error(`${problem}\nusage: npm run bench [-- intake|confirm|store|purge ...] [--speed N]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let speed: number | undefined;
const names: string[] = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i] ?? "";
  if (arg === "--speed") {
    speed = Number(args[++i]);
    if (!(speed > 0)) usage("--speed needs a positive number");
  } else if (arg in BENCHES) names.push(arg);
  else usage(`unknown benchmark ${arg}; valid: ${Object.keys(BENCHES).join(", ")}`);
}

let missed = 0;
for (const name of names.length > 0 ? names : Object.keys(BENCHES)) {
  const run = BENCHES[name];
  if (!run) continue;
  const result = await run({ print: (line) => console.log(line), ...(speed ? { speed } : {}) });
  for (const miss of result.misses) console.log(`  MISSED: ${miss}`);
  console.log(result.line);
  missed += result.misses.length;
}
process.exit(missed > 0 ? 1 : 0);
