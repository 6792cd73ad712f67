import type { ServiceIdentifier } from "inversify";

export type AlertSeverity = "warning" | "critical";

/** Something the administrator must see. `code` is stable; `message` names the problem and the fix, without PII. */
export interface Alert {
  readonly code: string;
  readonly severity: AlertSeverity;
  readonly message: string;
  readonly orderId?: string;
  readonly fileName?: string;
}

export interface ActiveAlert extends Alert {
  readonly raisedAt: string;
  readonly count: number;
}

/**
 * Where alerts go. Raising the same code for the same order or file again counts it instead of
 * duplicating it; `status` lists the active ones.
 */
export interface AlertSink {
  raise(alert: Alert): void;
  /** Clears the alert with this code (and order or file, when given). */
  resolve(code: string, key?: { orderId?: string; fileName?: string }): void;
  active(): readonly ActiveAlert[];
}
export const AlertSink: ServiceIdentifier<AlertSink> = Symbol.for("AlertSink");
