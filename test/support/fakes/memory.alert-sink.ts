import type { ActiveAlert, Alert, AlertSink } from "../../../src/app/ports/alert-sink.port.js";
import type { Clock } from "../../../src/app/ports/clock.port.js";

interface Entry {
  readonly alert: Alert;
  readonly key: string;
  readonly raisedAt: string;
  readonly count: number;
  readonly seq: number;
}

/** AlertSink in memory, for tests; same counting and resolving rules as the SQLite sink. */
export class MemoryAlertSink implements AlertSink {
  readonly #clock: Clock;
  #active: Entry[] = [];
  #seq = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  raise(alert: Alert): void {
    const key = alertKey(alert);
    const index = this.#active.findIndex((e) => e.alert.code === alert.code && e.key === key);
    const existing = this.#active[index];
    if (existing) {
      const alertNow = { ...existing.alert, severity: alert.severity, message: alert.message };
      this.#active[index] = { ...existing, alert: alertNow, count: existing.count + 1 };
      return;
    }
    const raisedAt = this.#clock.now().toISOString();
    this.#active.push({ alert: copy(alert), key, raisedAt, count: 1, seq: ++this.#seq });
  }

  resolve(code: string, key?: { orderId?: string; fileName?: string }): void {
    const keyed = key && (key.orderId !== undefined || key.fileName !== undefined);
    const k = keyed ? alertKey(key) : undefined;
    this.#active = this.#active.filter((e) => !(e.alert.code === code && (k === undefined || e.key === k)));
  }

  active(): readonly ActiveAlert[] {
    return [...this.#active]
      .sort((a, b) => (a.raisedAt === b.raisedAt ? b.seq - a.seq : a.raisedAt < b.raisedAt ? 1 : -1))
      .map((e) => ({ ...e.alert, raisedAt: e.raisedAt, count: e.count }));
  }
}

/** The alert's own fields only, absent ones left out, as a row read back from SQLite would be. */
function copy(alert: Alert): Alert {
  return {
    code: alert.code,
    severity: alert.severity,
    message: alert.message,
    ...(alert.orderId === undefined ? {} : { orderId: alert.orderId }),
    ...(alert.fileName === undefined ? {} : { fileName: alert.fileName }),
  };
}

function alertKey(about: { orderId?: string; fileName?: string }): string {
  return about.orderId ?? about.fileName ?? "";
}
