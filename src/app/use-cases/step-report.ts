import { createHash } from "node:crypto";
import { IntegrationError } from "../errors.js";
import type { EventLog } from "../ports/event-log.port.js";

export type StepName = "import" | "submit" | "collect" | "confirm" | "purge";

export interface StepProblem {
  readonly code: string;
  readonly message: string;
  readonly orderId?: string;
  readonly fileName?: string;
}

/** What one step did: counts by outcome and the problems that kept part of it from completing. */
export interface StepReport {
  readonly step: StepName;
  readonly ok: boolean;
  readonly counts: Readonly<Record<string, number>>;
  readonly problems: readonly StepProblem[];
}

/** Collects a step's counts and problems while it runs. */
export class StepTally {
  readonly counts: Record<string, number> = {};
  readonly problems: StepProblem[] = [];

  constructor(readonly step: StepName) {}

  add(key: string, by = 1): void {
    this.counts[key] = (this.counts[key] ?? 0) + by;
  }

  problem(problem: StepProblem): void {
    this.problems.push(problem);
  }

  report(): StepReport {
    return {
      step: this.step,
      ok: this.problems.length === 0,
      counts: { ...this.counts },
      problems: [...this.problems],
    };
  }
}

/** A fault as a stable code and a message fit for logs: IntegrationErrors keep theirs, anything else is named only. */
export function describeFault(error: unknown): { code: string; message: string; retryable: boolean } {
  if (error instanceof IntegrationError)
    return { code: error.code, message: error.message, retryable: error.retryable };
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | undefined)?.code;
  return {
    code: typeof code === "string" ? code : "UNEXPECTED",
    message: `unexpected ${name}`,
    retryable: true,
  };
}

export function logFault(
  log: EventLog,
  event: string,
  error: unknown,
  fields: { orderId?: string; fileName?: string; step?: string },
) {
  const fault = describeFault(error);
  log.error(event, {
    ...fields,
    errorCode: fault.code,
    errorMessage: fault.message,
    retryable: fault.retryable,
  });
  return fault;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
