import { inject, injectable } from "inversify";
import { packageConfirmed, packageRejected, pendingPackages } from "../../domain/confirmation.js";
import type { FulfillmentOrder, PackageConfirmation } from "../../domain/fulfillment-order.js";
import { utcSeconds } from "../../domain/time.js";
import { AlertSink } from "../ports/alert-sink.port.js";
import { Clock } from "../ports/clock.port.js";
import { EventLog } from "../ports/event-log.port.js";
import { Marketplace, type ShipmentConfirmation } from "../ports/marketplace.port.js";
import { OrderStore } from "../ports/order-store.port.js";
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

/** Orders confirmed at once: enough to overlap the calls' latency at Amazon's rate, few enough to stop soon after a fault. */
export const ORDERS_IN_FLIGHT = 4;

/**
 * Confirms every shipped package to Amazon, one call per package, up to `ORDERS_IN_FLIGHT` orders
 * at once. One order's packages go one after another, since each confirmation re-reads and updates
 * the order. A package Amazon refuses puts its order in NEEDS_ATTENTION and the others go on; a
 * retryable fault (Amazon unreachable or throttling) leaves its package pending for the next pass,
 * starts no further call, lets the calls in flight finish, and is reported once.
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
    const run: Run = { tally: new StepTally("confirm"), stopped: false };
    const orders = this.store.withPendingPackages()[Symbol.iterator]();
    const worker = async () => {
      for (let next = orders.next(); !next.done && !run.stopped; next = orders.next())
        await this.#confirmOrder(next.value, run);
    };
    await Promise.all(Array.from({ length: ORDERS_IN_FLIGHT }, worker));
    return run.tally.report();
  }

  async #confirmOrder(order: FulfillmentOrder, run: Run): Promise<void> {
    const orderId = order.facts.orderId;
    for (const pkg of pendingPackages(order)) {
      if (run.stopped) return;
      try {
        await this.#confirmPackage(orderId, pkg, run.tally);
      } catch (error) {
        const fault = logFault(this.log, "package.confirm-failed", error, { orderId });
        // Another call in flight already reported Amazon unreachable or throttling.
        if (fault.retryable && run.stopped) return;
        run.tally.problem({ code: fault.code, message: fault.message, orderId });
        // The rest waits for the next pass rather than failing one by one.
        if (fault.retryable) {
          run.stopped = true;
          return;
        }
      }
    }
  }

  async #confirmPackage(orderId: string, pkg: PackageConfirmation, tally: StepTally): Promise<void> {
    const ref = pkg.packageReferenceId;
    const outcome = await this.marketplace.confirmShipment(orderId, toConfirmation(pkg));
    const now = this.clock.now();
    // Re-read: the order may have changed while the call was in flight.
    const current = this.store.get(orderId);
    if (!current) return;
    if (outcome.kind === "confirmed") {
      const updated = packageConfirmed(current, ref, now);
      this.store.update(updated);
      tally.add("confirmed");
      this.log.info("package.confirmed", { orderId, packageReferenceId: ref, carrierCode: pkg.carrierCode });
      if (updated.state === "CONFIRMED" && current.state !== "CONFIRMED")
        this.log.info("order.confirmed", { orderId });
      return;
    }
    this.store.update(packageRejected(current, ref, outcome.code, outcome.message, now));
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

/** One execution's shared state: its tally, and whether a retryable fault has stopped new calls. */
interface Run {
  readonly tally: StepTally;
  stopped: boolean;
}
