import { inject, injectable } from "inversify";
import { Clock } from "../ports/clock.port.js";
import { EventLog } from "../ports/event-log.port.js";
import { OrderStore } from "../ports/order-store.port.js";
import { CollectSupplierDocuments } from "./collect-supplier-documents.use-case.js";
import { ConfirmShipments } from "./confirm-shipments.use-case.js";
import { ImportOrders } from "./import-orders.use-case.js";
import { PurgePii } from "./purge-pii.use-case.js";
import { describeFault, type StepName, type StepReport } from "./step-report.js";
import { SubmitPurchaseOrders } from "./submit-purchase-orders.use-case.js";

export const CYCLE_STEPS = ["import", "submit", "collect", "confirm"] as const satisfies readonly StepName[];

/**
 * Runs steps and records each run for `status`. A step that throws is reported as failed and the
 * next step still runs: an SFTP outage must not stop Amazon confirmations, nor the other way round.
 */
@injectable()
export class RunSteps {
  private readonly steps: Record<StepName, () => Promise<StepReport>>;

  constructor(
    @inject(ImportOrders) importOrders: ImportOrders,
    @inject(SubmitPurchaseOrders) submit: SubmitPurchaseOrders,
    @inject(CollectSupplierDocuments) collect: CollectSupplierDocuments,
    @inject(ConfirmShipments) confirm: ConfirmShipments,
    @inject(PurgePii) purge: PurgePii,
    @inject(OrderStore) private readonly store: OrderStore,
    @inject(Clock) private readonly clock: Clock,
    @inject(EventLog) private readonly log: EventLog,
  ) {
    this.steps = {
      import: () => importOrders.execute(),
      submit: () => submit.execute(),
      collect: () => collect.execute(),
      confirm: () => confirm.execute(),
      purge: () => purge.execute(),
    };
  }

  /** The full pass: import, submit, collect, confirm, in that order. */
  cycle(): Promise<StepReport[]> {
    return this.run(CYCLE_STEPS);
  }

  async run(names: readonly StepName[]): Promise<StepReport[]> {
    const reports: StepReport[] = [];
    for (const name of names) reports.push(await this.runOne(name));
    return reports;
  }

  private async runOne(name: StepName): Promise<StepReport> {
    const startedAt = this.clock.now();
    const started = Date.now();
    let report: StepReport;
    try {
      report = await this.steps[name]();
    } catch (error) {
      const fault = describeFault(error);
      report = {
        step: name,
        ok: false,
        counts: {},
        problems: [{ code: fault.code, message: fault.message }],
      };
    }
    if (!report.ok) {
      for (const p of report.problems) {
        this.log.warn("step.problem", {
          step: name,
          errorCode: p.code,
          errorMessage: p.message,
          ...(p.orderId ? { orderId: p.orderId } : {}),
        });
      }
    }
    const summary =
      Object.entries(report.counts)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ") || "nothing to do";
    try {
      this.store.recordJobRun({
        job: name,
        startedAt: startedAt.toISOString(),
        finishedAt: this.clock.now().toISOString(),
        ok: report.ok,
        summary,
      });
    } catch (error) {
      const fault = describeFault(error);
      this.log.error("job-run.record-failed", { step: name, errorCode: fault.code });
    }
    this.log.info("step.finished", {
      step: name,
      durationMs: Date.now() - started,
      failed: report.problems.length,
    });
    return report;
  }
}
