import { inject, injectable } from "inversify";
import { isAmazonOrderId } from "../../domain/amazon-order.js";
import { type IntakeDecision, takeIn } from "../../domain/intake.js";
import { AlertSink } from "../ports/alert-sink.port.js";
import { Clock } from "../ports/clock.port.js";
import { EventLog } from "../ports/event-log.port.js";
import { Marketplace } from "../ports/marketplace.port.js";
import { OrderStore } from "../ports/order-store.port.js";
import { logFault, type StepReport, StepTally } from "./step-report.js";

export const ORDER_CURSOR = "marketplace.orders";

/** Pulls new and changed orders from the marketplace; each page and its cursor are stored in one transaction. */
@injectable()
export class ImportOrders {
  constructor(
    @inject(Marketplace) private readonly marketplace: Marketplace,
    @inject(OrderStore) private readonly store: OrderStore,
    @inject(Clock) private readonly clock: Clock,
    @inject(EventLog) private readonly log: EventLog,
    @inject(AlertSink) private readonly alerts: AlertSink,
  ) {}

  async execute(): Promise<StepReport> {
    const tally = new StepTally("import");
    try {
      for await (const page of this.marketplace.changedOrders(this.store.getCursor(ORDER_CURSOR))) {
        const now = this.clock.now();
        const decisions: IntakeDecision[] = [];
        this.store.transaction(() => {
          for (const incoming of page.orders) {
            const id = incoming.facts.orderId;
            if (!isAmazonOrderId(id)) {
              tally.add("skipped");
              tally.problem({
                code: "INVALID_ORDER_ID",
                message: "the marketplace sent an order id that is not in Amazon's 3-7-7 form",
              });
              continue;
            }
            const decision = takeIn(incoming, this.store.get(id), now);
            if (decision.kind === "new") this.store.insert(decision.order, incoming.shipTo);
            if (decision.kind === "updated") this.store.update(decision.order);
            decisions.push(decision);
          }
          this.store.setCursor(ORDER_CURSOR, page.cursor);
        });
        for (const d of decisions) this.announce(d, tally);
      }
    } catch (error) {
      const fault = logFault(this.log, "step.failed", error, { step: "import" });
      tally.problem({ code: fault.code, message: fault.message });
    }
    return tally.report();
  }

  private announce(decision: IntakeDecision, tally: StepTally): void {
    if (decision.kind === "new") {
      const { order } = decision;
      tally.add("imported");
      this.log.info("order.imported", { orderId: order.facts.orderId, state: order.state });
      if (order.state === "HELD") {
        tally.add("held");
        this.log.info("order.held", { orderId: order.facts.orderId, reason: order.holdReason });
      }
    } else if (decision.kind === "updated") {
      const { order } = decision;
      tally.add("updated");
      this.log.info("order.updated", { orderId: order.facts.orderId, state: order.state });
      if (order.attention?.reason === "CANCEL_REQUESTED" && order.state === "NEEDS_ATTENTION") {
        this.alerts.raise({
          code: "CANCEL_REQUESTED",
          severity: "warning",
          orderId: order.facts.orderId,
          message:
            "Amazon cancelled this order after its PO went to Essendant; a cancellation request (POCANCEL) goes out with the next submit. If Essendant ships anyway, a critical alert follows",
        });
      }
    } else if (decision.kind === "skipped") {
      tally.add("skipped");
    }
  }
}
