import { ConfirmShipments } from "../src/app/use-cases/confirm-shipments.use-case.js";
import type { FulfillmentOrder } from "../src/domain/fulfillment-order.js";
import { anOrder, aPackage } from "../test/support/order-mother.js";
import { anSpApiOrder, anSpApiOrderItem, type SpApiOrder } from "../test/support/spapi-fake/orders.js";
import {
  type BenchOptions,
  type BenchResult,
  confirmUnknownOrder,
  describeStart,
  drain,
  lowerBoundMs,
  MAX_RATIO,
  seconds,
  startRig,
} from "./bench.rig.js";

const PACKAGES = 2000;
/** confirmShipment: 2/s × 200 = 400/s, so 2,000 packages from an empty bucket take at least 5 s. */
export const CONFIRM_SPEED = 200;

/** The order on Amazon's side and, in the store, shipped in full with one package waiting for Amazon. */
function shippedOrder(i: number): { amazon: SpApiOrder; stored: FulfillmentOrder } {
  const amazon = anSpApiOrder({ orderItems: [anSpApiOrderItem()] });
  const [item] = amazon.orderItems;
  if (!item) throw new Error("anSpApiOrder made an order without items");
  const stored = anOrder({
    facts: {
      orderId: amazon.orderId,
      items: [{ orderItemId: item.orderItemId, sellerSku: "DEMO-PAPER-CT", quantityOrdered: 1 }],
    },
    state: "SHIPPED_FULL",
    packages: [
      aPackage({
        trackingNumber: `1ZBENCH${String(i).padStart(10, "0")}`,
        items: [{ orderItemId: item.orderItemId, quantity: 1 }],
      }),
    ],
    pii: { status: "NONE" },
  });
  return { amazon, stored };
}

/**
 * 2,000 packages confirmed through the real ConfirmShipments use case, the sp-api plugin and the
 * sqlite store, starting with confirmShipment's buckets empty as in a running daemon.
 */
export async function confirmBench(options: BenchOptions): Promise<BenchResult> {
  const { print } = options;
  const speed = options.speed ?? CONFIRM_SPEED;
  const rig = await startRig(speed);
  try {
    const { rate, burst } = rig.limits.confirmShipment;
    print(`confirm: ${PACKAGES} packages, confirmShipment at ${rate}/s burst ${burst} (Amazon × ${speed})`);
    rig.store.transaction(() => {
      for (let i = 0; i < PACKAGES; i++) {
        const { amazon, stored } = shippedOrder(i);
        rig.fake.state.addOrder(amazon);
        rig.store.insert(stored, undefined);
      }
    });
    const start = await drain(rig, "confirmShipment", () => confirmUnknownOrder(rig));
    print(describeStart(start, "calls (404, unknown order)"));
    const before = rig.fake.state.counter("confirmShipment").requests;
    const report = await rig.container.get(ConfirmShipments).execute();
    const elapsedMs = Date.now() - start.at;
    const counter = rig.fake.state.counter("confirmShipment");
    const calls = counter.requests - before;
    const confirmed = report.counts.confirmed ?? 0;
    const onAmazon = rig.fake.state.confirmations().length;
    const boundMs = lowerBoundMs(calls, start.tokens, rate);
    const ratio = elapsedMs / boundMs;

    const problems = report.ok ? "no problems" : JSON.stringify(report.problems);
    print(`  confirmed:         ${confirmed} packages, ${onAmazon} on Amazon (${problems})`);
    print(`  confirmShipment:   ${calls} calls, ${counter.throttled} throttled (429) in the whole run`);
    print(`  elapsed:           ${seconds(elapsedMs)} from t=0`);
    print(
      `  lower bound:       ${seconds(boundMs)} = (${calls} calls − ${start.tokens.toFixed(3)} tokens) / ${rate}/s`,
    );
    print(
      `  client's pace:     ${(elapsedMs / Math.max(1, calls)).toFixed(2)} ms a call; the bucket allows one every ${(1000 / rate).toFixed(2)} ms`,
    );

    const misses: string[] = [];
    if (confirmed !== PACKAGES || onAmazon !== PACKAGES)
      misses.push(`confirmed ${confirmed} packages (${onAmazon} on Amazon), not ${PACKAGES}`);
    if (counter.throttled !== 0)
      misses.push(`${counter.throttled} confirmShipment calls were throttled (target 0)`);
    if (calls > PACKAGES)
      misses.push(`${calls} confirmShipment calls for ${PACKAGES} packages (target ${PACKAGES})`);
    if (!(ratio <= MAX_RATIO)) misses.push(`ratio ${ratio.toFixed(2)} (target ≤ ${MAX_RATIO})`);
    return {
      line: `confirm: packages=${confirmed} calls=${calls} throttled=${counter.throttled} ratio=${ratio.toFixed(2)}`,
      misses,
    };
  } finally {
    await rig.dispose();
  }
}
