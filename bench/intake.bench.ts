import { ImportOrders } from "../src/app/use-cases/import-orders.use-case.js";
import { anSpApiOrder } from "../test/support/spapi-fake/orders.js";
import {
  type BenchOptions,
  type BenchResult,
  describeStart,
  drain,
  emptyPoll,
  lowerBoundMs,
  MAX_RATIO,
  seconds,
  startRig,
} from "./bench.rig.js";

const ORDERS = 2000;
/** searchOrders: 0.0056/s × 700 = 3.92/s, so 20 pages from an empty bucket take about 5.1 s. */
export const INTAKE_SPEED = 700;
const PAGE = 100;
const MINUTE = 60_000;

const amazonTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * 2,000 new orders pulled through the real ImportOrders use case, the sp-api plugin and the
 * sqlite store, starting with searchOrders' buckets empty as in a running daemon.
 */
export async function intakeBench(options: BenchOptions): Promise<BenchResult> {
  const { print } = options;
  const speed = options.speed ?? INTAKE_SPEED;
  const rig = await startRig(speed);
  try {
    const { rate, burst } = rig.limits.searchOrders;
    print(
      `intake: ${ORDERS} orders, searchOrders at ${rate.toFixed(2)}/s burst ${burst} (Amazon × ${speed})`,
    );
    const start = await drain(rig, "searchOrders", () => emptyPoll(rig));
    print(describeStart(start, "empty polls"));
    // Added after the drain, so its polls find none; updated 60 to 27 minutes ago, inside the first poll's window.
    const now = Date.now();
    rig.fake.state.addOrders(
      Array.from({ length: ORDERS }, (_, i) =>
        anSpApiOrder({ lastUpdatedTime: amazonTime(now - 60 * MINUTE + i * 1000) }, { now: new Date(now) }),
      ),
    );
    const before = rig.fake.state.counter("searchOrders").requests;
    const report = await rig.container.get(ImportOrders).execute();
    const elapsedMs = Date.now() - start.at;
    const calls = rig.fake.state.counter("searchOrders").requests - before;
    const imported = report.counts.imported ?? 0;
    const boundMs = lowerBoundMs(calls, start.tokens, rate);
    const ratio = elapsedMs / boundMs;

    // The next poll finds nothing new: it should cost one call.
    const emptyBefore = rig.fake.state.counter("searchOrders").requests;
    await rig.container.get(ImportOrders).execute();
    const emptyCalls = rig.fake.state.counter("searchOrders").requests - emptyBefore;
    const { throttled } = rig.fake.state.counter("searchOrders");

    const problems = report.ok ? "no problems" : JSON.stringify(report.problems);
    print(`  imported:          ${imported} orders (${problems})`);
    print(`  searchOrders:      ${calls} calls, ${throttled} throttled (429) in the whole run`);
    print(`  elapsed:           ${seconds(elapsedMs)} from t=0`);
    print(
      `  lower bound:       ${seconds(boundMs)} = (${calls} calls − ${start.tokens.toFixed(3)} tokens) / ${rate.toFixed(2)}/s`,
    );
    print(`  next (empty) poll: ${emptyCalls} call(s)`);

    const maxCalls = Math.max(1, Math.ceil(ORDERS / PAGE));
    const misses: string[] = [];
    if (imported !== ORDERS) misses.push(`imported ${imported} orders, not ${ORDERS}`);
    if (throttled !== 0) misses.push(`${throttled} searchOrders calls were throttled (target 0)`);
    if (calls > maxCalls)
      misses.push(`${calls} searchOrders calls for ${ORDERS} orders (target ≤ ${maxCalls})`);
    if (emptyCalls > 1) misses.push(`an empty poll made ${emptyCalls} calls (target 1)`);
    if (!(ratio <= MAX_RATIO)) misses.push(`ratio ${ratio.toFixed(2)} (target ≤ ${MAX_RATIO})`);
    return {
      line: `intake: orders=${imported} calls=${calls} throttled=${throttled} ratio=${ratio.toFixed(2)}`,
      misses,
    };
  } finally {
    await rig.dispose();
  }
}
