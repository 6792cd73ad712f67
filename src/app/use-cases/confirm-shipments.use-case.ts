import { inject, injectable } from "inversify";
import { packageConfirmed, packageRejected, pendingPackages } from "../../domain/confirmation.js";
import type { PackageConfirmation } from "../../domain/fulfillment-order.js";
import { utcSeconds } from "../../domain/time.js";
import { AlertSink } from "../ports/alert-sink.port.js";
import { Clock } from "../ports/clock.port.js";
import { EventLog } from "../ports/event-log.port.js";
import { Marketplace, type ShipmentConfirmation } from "../ports/marketplace.port.js";
import { OrderStore } from "../ports/order-store.port.js";
import { describeFault, logFault, type StepReport, StepTally } from "./step-report.js";

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
 * Confirms every shipped package to Amazon, one call per package. A package Amazon refuses puts
 * its order in NEEDS_ATTENTION and the others go on; a fault leaves the package pending for the next pass.
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
    for (const order of this.store.withPendingPackages()) {
      const orderId = order.facts.orderId;
      for (const pkg of pendingPackages(order)) {
        const ref = pkg.packageReferenceId;
        try {
          const outcome = await this.marketplace.confirmShipment(orderId, toConfirmation(pkg));
          const now = this.clock.now();
          // Re-read: the order may have changed while the call was in flight.
          const current = this.store.get(orderId);
          if (!current) continue;
          if (outcome.kind === "confirmed") {
            const updated = packageConfirmed(current, ref, now);
            this.store.update(updated);
            tally.add("confirmed");
            this.log.info("package.confirmed", {
              orderId,
              packageReferenceId: ref,
              carrierCode: pkg.carrierCode,
            });
            if (updated.state === "CONFIRMED" && current.state !== "CONFIRMED")
              this.log.info("order.confirmed", { orderId });
          } else {
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
        } catch (error) {
          const fault = describeFault(error);
          logFault(this.log, "package.confirm-failed", error, { orderId });
          tally.problem({ code: fault.code, message: fault.message, orderId });
          // Amazon unreachable or throttling: the rest waits for the next pass rather than failing one by one.
          if (fault.retryable) return tally.report();
        }
      }
    }
    return tally.report();
  }
}
