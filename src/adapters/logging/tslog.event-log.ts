import * as fs from "node:fs";
import * as path from "node:path";
import { inject, injectable } from "inversify";
import { type ILogObjMeta, type IMeta, Logger } from "tslog";
import type { Runtime as RuntimeInfo } from "../../app/composition/runtime.js";
import { Runtime } from "../../app/composition/runtime.js";
import type { Config } from "../../app/config/config.js";
import { AppConfig } from "../../app/config/config.token.js";
import { Clock } from "../../app/ports/clock.port.js";
import type { EventFields, EventLog } from "../../app/ports/event-log.port.js";
import { consoleLine } from "./console-line.js";
import { type CleanValue, cleanFields, eventName, MASK, SECRET_PATTERNS } from "./event-fields.js";

type Level = "info" | "warn" | "error" | "audit";
type LogRecord = Record<string, unknown>;

const LEVEL_ID: Readonly<Record<Level, number>> = { info: 3, warn: 4, error: 5, audit: 7 };
const MIN_LEVEL: Readonly<Record<Config["logging"]["level"], number>> = {
  debug: 2,
  info: 3,
  warn: 4,
  error: 5,
};

/**
 * Events as JSON lines in daily files (`fulfillment-YYYY-MM-DD.log`, `audit-YYYY-MM-DD.log`, UTC
 * dates from the Clock). Fields pass the EventFields allow-list and the sanitiser before tslog
 * sees them; tslog's mask is a second net. Appends are synchronous so nothing is lost on exit.
 */
@injectable()
export class TslogEventLog implements EventLog {
  /** Fields dropped because they are not on the allow-list or are not plain values. */
  droppedFields = 0;
  private readonly logger: Logger<LogRecord>;
  private dirReady = false;

  constructor(
    @inject(AppConfig) private readonly config: Config,
    @inject(Clock) private readonly clock: Clock,
    @inject(Runtime) private readonly runtime: RuntimeInfo,
  ) {
    this.logger = new Logger<LogRecord>({
      type: "hidden",
      strictConfig: true,
      name: "fulfillment",
      minLevel: MIN_LEVEL[config.logging.level],
      customLevels: { AUDIT: LEVEL_ID.audit },
      clock: () => this.clock.now(),
      stack: { capture: "off" },
      mask: {
        keys: ["shipTo", "address", "name", "email", "phone", "password", "authorization", "refreshToken"],
        caseInsensitive: true,
        regex: [...SECRET_PATTERNS],
        placeholder: MASK,
      },
    });
    this.logger.attachTransport({ name: "daily-file", write: (record) => this.write(record) });
  }

  info(event: string, fields?: EventFields): void {
    this.emit("info", event, fields);
  }

  warn(event: string, fields?: EventFields): void {
    this.emit("warn", event, fields);
  }

  error(event: string, fields?: EventFields): void {
    this.emit("error", event, fields);
  }

  audit(event: string, fields?: EventFields): void {
    this.emit("audit", event, fields);
  }

  /** Writes are synchronous: once a call returns, its line is in the file. */
  flush(): Promise<void> {
    return this.logger.flush();
  }

  private emit(level: Level, event: string, fields: EventFields | undefined): void {
    const clean = cleanFields(fields);
    this.droppedFields += clean.dropped;
    this.logger.log(LEVEL_ID[level], level.toUpperCase(), { event: eventName(event), ...clean.fields });
  }

  private write(record: LogRecord & ILogObjMeta): void {
    const { _logMeta: meta, event, ...fields } = record as LogRecord & { _logMeta?: IMeta };
    const at = meta?.date ?? this.clock.now();
    const level = (meta?.logLevelName ?? "INFO").toLowerCase();
    const time = at.toISOString();
    const line = JSON.stringify({ time, level, event, ...fields });
    const file = path.join(
      this.config.storage.logDir,
      `${level === "audit" ? "audit" : "fulfillment"}-${time.slice(0, 10)}.log`,
    );
    this.ensureDir();
    fs.appendFileSync(file, `${line}\n`, { mode: 0o600 });
    if (this.runtime.consoleEvents) {
      const text = consoleLine(
        level,
        String(event),
        fields as Record<string, CleanValue>,
        at,
        this.config.schedule.timezone,
      );
      if (text !== undefined) process.stdout.write(`${text}\n`);
    }
  }

  private ensureDir(): void {
    if (this.dirReady) return;
    fs.mkdirSync(this.config.storage.logDir, { recursive: true, mode: 0o700 });
    this.dirReady = true;
  }
}
