import type { EventLog } from "../ports/event-log.port.js";
import type { SupplierGateway, SupplierSession } from "../ports/supplier-gateway.port.js";
import { logFault, type StepTally } from "./step-report.js";

/**
 * One connection for the length of a step: opened, used, always closed. A connection that cannot be
 * opened, or a fault that ends the work, is logged and counted as the step's problem, not thrown.
 */
export async function withSupplierSession(
  gateway: SupplierGateway,
  log: EventLog,
  tally: StepTally,
  work: (session: SupplierSession) => Promise<void>,
): Promise<void> {
  const step = tally.step;
  let session: SupplierSession;
  try {
    session = await gateway.open();
  } catch (error) {
    const fault = logFault(log, "step.failed", error, { step });
    tally.problem({ code: fault.code, message: fault.message });
    return;
  }
  try {
    await work(session);
  } catch (error) {
    const fault = logFault(log, "step.failed", error, { step });
    tally.problem({ code: fault.code, message: fault.message });
  } finally {
    await session.close().catch((error: unknown) => logFault(log, "supplier.close-failed", error, { step }));
  }
}
