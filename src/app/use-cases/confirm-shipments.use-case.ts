import { inject, injectable } from "inversify";
import { packageConfirmed, packageRejected, pendingPackages } from "../../domain/confirmation.js";
import type { FulfillmentOrder, PackageConfirmation } from "../../domain/fulfillment-order.js";
import { utcSeconds } from "../../domain/time.js";
import { AlertSink } from "../ports/alert-sink.port.js";
import { Clock } from "../ports/clock.port.js";
import { EventLog } from "../ports/event-log.port.js";
import { type ConfirmOutcome, Marketplace, type ShipmentConfirmation } from "../ports/marketplace.port.js";
import { OrderStore } from "../ports/order-store.port.js";
import { BATCH, type BatchLimits, CommitBatch } from "./commit-batch.js";
import { logFault, type StepReport, StepTally } from "./step-report.js";

function toConfirmation(p: PackageConfirmation): ShipmentConfirmation {
  return {
    packageReferenceId: p.packageReferenceId,
    carrierCode: p.carrierCode,
    ...(p.carrierName ? { carrierName: p.carrierName } : {}),
    ...(p.shippingMethod ? { shippingMethod: p.shippingMethod } : {}),
    trackingNumber: p.trackingNumber,
    shipDate: utcSeconds(p.shipDate),
    items: p.items,
  };
}

/**
 * When outcomes are committed: per BATCH, or once the first has waited 20 ms. A commit blocks the
 * event loop while other calls are in flight, and a long one bunches the calls that follow it into a
 * burst Amazon may throttle (the confirm benchmark at Amazon's rate × 200 saw 429s with batches of
 * 100); the wait bounds a batch by the rate calls complete at (about 8 at that speed, 1 at Amazon's
 * own), while answers that come at once (the store benchmark's fake) share a commit.
 */
export const CONFIRM_BATCH: BatchLimits = { size: BATCH, maxWaitMs: 20 };

/** Orders confirmed at once: enough to overlap the calls' latency at Amazon's rate, few enough to stop soon after a fault. */
export const ORDERS_IN_FLIGHT = 4;

/**
 * Confirms every shipped package to Amazon, one call per package, up to `ORDERS_IN_FLIGHT` orders
 * at once. One order's packages go one after another, and their outcomes are applied together, in
 * that order, to the order as stored when they are recorded: per batch (see CommitBatch), as soon as
 * the run stops, and at the end. A package Amazon refuses puts its order in NEEDS_ATTENTION and the
 * others go on; a retryable fault (Amazon unreachable or throttling) leaves its package pending for
 * the next pass, starts no further call, lets the calls in flight finish, and is reported once.
 */
@injectable()
export class ConfirmShipments {
  constructor(
    @inject(Marketplace) private readonly marketplace: Marketplace,
    @inject(OrderStore) private readonly store: OrderStore,
    @inject(Clock) private readonly clock: Clock,
    @inject(EventLog) private readonly log: EventLog,
    @inject(AlertSink) private readonly alerts: AlertSink,
  ) {}

  async execute(): Promise<StepReport> {
    const tally = new StepTally("confirm");
    const outcomes = new CommitBatch<OrderOutcomes, Applied[]>(
      this.store,
      (o) => this.#apply(o),
      (o, applied) => this.#announce(o.orderId, applied, tally),
      CONFIRM_BATCH,
    );
    const run: Run = { tally, outcomes, stopped: false };
    const orders = this.store.withPendingPackages()[Symbol.iterator]();
    const worker = async () => {
      for (let next = orders.next(); !next.done && !run.stopped; next = orders.next())
        await this.#confirmOrder(next.value, run);
    };
    await Promise.all(Array.from({ length: ORDERS_IN_FLIGHT }, worker));
    this.#commit(run, () => outcomes.flush());
    return tally.report();
  }

  /**
   * Confirms the order's pending packages one after another, then hands their outcomes over together,
   * to be applied in that order to the order as stored when their batch commits.
   */
  async #confirmOrder(order: FulfillmentOrder, run: Run): Promise<void> {
    const orderId = order.facts.orderId;
    const outcomes: PackageOutcome[] = [];
    for (const pkg of pendingPackages(order)) {
      if (run.stopped) break;
      try {
        const outcome = await this.marketplace.confirmShipment(orderId, toConfirmation(pkg));
        outcomes.push({ pkg, outcome, at: this.clock.now() });
      } catch (error) {
        const fault = logFault(this.log, "package.confirm-failed", error, { orderId });
        // Another call in flight already reported Amazon unreachable or throttling.
        if (fault.retryable && run.stopped) break;
        run.tally.problem({ code: fault.code, message: fault.message, orderId });
        // The rest waits for the next pass rather than failing one by one.
        if (fault.retryable) {
          run.stopped = true;
          break;
        }
      }
    }
    if (outcomes.length === 0) return;
    this.#commit(run, () => {
      run.outcomes.add({ orderId, outcomes }, outcomes.length);
      // Once the run stops, what Amazon took is recorded without waiting for the batch to fill.
      if (run.stopped) run.outcomes.flush();
    });
  }

  /** Applies one order's outcomes to the order as stored now; runs in the batch's transaction. */
  #apply({ orderId, outcomes }: OrderOutcomes): Applied[] {
    let current = this.store.get(orderId);
    if (!current) return [];
    const applied: Applied[] = [];
    for (const { pkg, outcome, at } of outcomes) {
      const before: FulfillmentOrder = current;
      const ref = pkg.packageReferenceId;
      current =
        outcome.kind === "confirmed"
          ? packageConfirmed(before, ref, at)
          : packageRejected(before, ref, outcome.code, outcome.message, at);
      applied.push({
        pkg,
        outcome,
        orderConfirmed: current.state === "CONFIRMED" && before.state !== "CONFIRMED",
      });
    }
    this.store.update(current);
    return applied;
  }

  /** Counts, logs and alerts for outcomes once they are committed. */
  #announce(orderId: string, applied: readonly Applied[], tally: StepTally): void {
    for (const { pkg, outcome, orderConfirmed } of applied) {
      const ref = pkg.packageReferenceId;
      if (outcome.kind === "confirmed") {
        tally.add("confirmed");
        this.log.info("package.confirmed", {
          orderId,
          packageReferenceId: ref,
          carrierCode: pkg.carrierCode,
        });
        if (orderConfirmed) this.log.info("order.confirmed", { orderId });
        continue;
      }
      tally.add("rejected");
      this.log.warn("package.rejected", {
        orderId,
        packageReferenceId: ref,
        errorCode: outcome.code,
        errorMessage: outcome.message,
      });
      this.alerts.raise({
        code: "AMAZON_REJECTED_CONFIRMATION",
        severity: "critical",
        orderId,
        message: `Amazon refused the shipment confirmation of package ${ref} (${outcome.code}); fix it in Seller Central or correct the data`,
      });
    }
  }

  /**
   * Runs a commit of outcomes. When it throws, nothing of its batch is recorded: those packages stay
   * pending and are confirmed again next pass (an edit at Amazon); the run stops as for any fault.
   */
  #commit(run: Run, work: () => void): void {
    try {
      work();
    } catch (error) {
      const fault = logFault(this.log, "step.failed", error, { step: "confirm" });
      run.tally.problem({ code: fault.code, message: fault.message });
      run.stopped = true;
    }
  }
}

interface PackageOutcome {
  readonly pkg: PackageConfirmation;
  readonly outcome: ConfirmOutcome;
  readonly at: Date;
}

/** One order's outcomes of a run, in the order its packages were confirmed. */
interface OrderOutcomes {
  readonly orderId: string;
  readonly outcomes: readonly PackageOutcome[];
}

interface Applied {
  readonly pkg: PackageConfirmation;
  readonly outcome: ConfirmOutcome;
  /** This package's confirmation completed the order. */
  readonly orderConfirmed: boolean;
}

/** One execution's shared state: its tally, the outcomes waiting for their commit, and whether a retryable fault has stopped new calls. */
interface Run {
  readonly tally: StepTally;
  readonly outcomes: CommitBatch<OrderOutcomes, Applied[]>;
  stopped: boolean;
}
