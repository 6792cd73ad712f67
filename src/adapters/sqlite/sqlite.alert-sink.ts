// @ts-types="@types/better-sqlite3"
import type Database from "better-sqlite3";
import type { ActiveAlert, Alert, AlertSeverity, AlertSink } from "../../app/ports/alert-sink.port.js";
import type { Clock } from "../../app/ports/clock.port.js";

interface AlertRow {
  code: string;
  severity: AlertSeverity;
  message: string;
  order_id: string | null;
  file_name: string | null;
  raised_at: string;
  count: number;
}

/** An alert is identified by its code and the order or file it is about ('' for neither). */
function alertKey(about: { orderId?: string; fileName?: string }): string {
  return about.orderId ?? about.fileName ?? "";
}

/**
 * Alerts kept in the store's database, so `status` in another process sees what the daemon
 * raised. Resolved alerts stay as history; a later raise of the same code starts a new one.
 */
export class SqliteAlertSink implements AlertSink {
  readonly #clock: Clock;
  readonly #sql;

  constructor(db: Database.Database, clock: Clock) {
    this.#clock = clock;
    this.#sql = {
      raise: db.prepare(
        "INSERT INTO alerts (code, key, severity, message, order_id, file_name, raised_at, count) " +
          "VALUES (@code, @key, @severity, @message, @order_id, @file_name, @raised_at, 1) " +
          "ON CONFLICT (code, key) WHERE resolved_at IS NULL " +
          "DO UPDATE SET count = count + 1, message = excluded.message, severity = excluded.severity",
      ),
      resolveOne: db.prepare<[string, string, string]>(
        "UPDATE alerts SET resolved_at = ? WHERE code = ? AND key = ? AND resolved_at IS NULL",
      ),
      resolveAll: db.prepare<[string, string]>(
        "UPDATE alerts SET resolved_at = ? WHERE code = ? AND resolved_at IS NULL",
      ),
      active: db.prepare<[], AlertRow>(
        "SELECT code, severity, message, order_id, file_name, raised_at, count FROM alerts " +
          "WHERE resolved_at IS NULL ORDER BY raised_at DESC, id DESC",
      ),
    };
  }

  raise(alert: Alert): void {
    this.#sql.raise.run({
      code: alert.code,
      key: alertKey(alert),
      severity: alert.severity,
      message: alert.message,
      order_id: alert.orderId ?? null,
      file_name: alert.fileName ?? null,
      raised_at: this.#clock.now().toISOString(),
    });
  }

  resolve(code: string, key?: { orderId?: string; fileName?: string }): void {
    const at = this.#clock.now().toISOString();
    if (key && (key.orderId !== undefined || key.fileName !== undefined)) {
      this.#sql.resolveOne.run(at, code, alertKey(key));
    } else {
      this.#sql.resolveAll.run(at, code);
    }
  }

  active(): readonly ActiveAlert[] {
    return this.#sql.active.all().map((row) => ({
      code: row.code,
      severity: row.severity,
      message: row.message,
      ...(row.order_id === null ? {} : { orderId: row.order_id }),
      ...(row.file_name === null ? {} : { fileName: row.file_name }),
      raisedAt: row.raised_at,
      count: row.count,
    }));
  }
}
