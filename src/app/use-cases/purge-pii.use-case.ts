import { inject, injectable } from "inversify";
import type { FulfillmentOrder } from "../../domain/fulfillment-order.js";
import { moveTo } from "../../domain/fulfillment-order.js";
import { canTransition } from "../../domain/lifecycle.js";
import { piiDeadline, piiPurged } from "../../domain/retention.js";
import type { Config } from "../config/config.js";
import { AppConfig } from "../config/config.token.js";
import { AlertSink } from "../ports/alert-sink.port.js";
import { Clock } from "../ports/clock.port.js";
import { EventLog } from "../ports/event-log.port.js";
import { OrderStore } from "../ports/order-store.port.js";
import type { StepReport } from "./step-report.js";
import { StepTally } from "./step-report.js";

/** Finished orders are closed once their PII is gone; open ones keep their state for the administrator. */
function closeIfFinished(order: FulfillmentOrder, now: Date): FulfillmentOrder {
  const finished =
    order.state === "CONFIRMED" || order.state === "CANCELLED" || order.state === "ACK_REJECTED";
  return finished && canTransition(order.state, "CLOSED") ? moveTo(order, "CLOSED", now, "CLOSED") : order;
}

/**
 * The daily retention job for customer PII: every ship-to past its deadline (see domain/retention)
 * is destroyed, then the store destroys the keys that no longer protect held PII
 * (crypto-shredding); orders about to hit the hard cap unshipped raise an alert first. Reports counts and
 * date ranges, never PII.
 */
@injectable()
export class PurgePii {
  constructor(
    @inject(OrderStore) private readonly store: OrderStore,
    @inject(AppConfig) private readonly config: Config,
    @inject(Clock) private readonly clock: Clock,
    @inject(EventLog) private readonly log: EventLog,
    @inject(AlertSink) private readonly alerts: AlertSink,
  ) {}

  async execute(options: { dryRun?: boolean } = {}): Promise<StepReport> {
    const tally = new StepTally("purge");
    const now = this.clock.now();
    const due: { order: FulfillmentOrder; deadline: Date }[] = [];
    for (const order of this.store.withPiiHeld()) {
      const { deadline, alertAt } = piiDeadline(order, this.config.retention);
      if (deadline.getTime() <= now.getTime()) due.push({ order, deadline });
      else if (alertAt && alertAt.getTime() <= now.getTime()) {
        tally.add("approachingHardCap");
        this.alerts.raise({
          code: "PII_HARD_CAP_APPROACHING",
          severity: "warning",
          orderId: order.facts.orderId,
          message: `this order has not shipped; its ship-to will be purged on ${deadline.toISOString().slice(0, 10)} and it can then no longer be sent`,
        });
      }
    }
    if (!options.dryRun) {
      const keysDestroyed = this.store.transaction(() => {
        for (const { order } of due) {
          this.store.erasePii(order.facts.orderId, now.toISOString());
          this.store.update(closeIfFinished(piiPurged(order, now), now));
        }
        // Last: destroying a key cannot be undone, so nothing after it in the transaction may fail.
        return this.store.shredExpiredKeys(now);
      });
      if (keysDestroyed > 0) tally.add("keysDestroyed", keysDestroyed);
    }
    tally.add(options.dryRun ? "wouldPurge" : "purged", due.length);
    const deadlines = due.map((d) => d.deadline.toISOString()).sort();
    const range = deadlines.length
      ? { from_date: deadlines[0], to_date: deadlines[deadlines.length - 1] }
      : {};
    this.log.audit(options.dryRun ? "pii.purge-dry-run" : "pii.purged", { count: due.length, ...range });
    return tally.report();
  }
}
