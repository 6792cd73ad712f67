import { type CleanValue, cleanFields, eventName } from "../../../src/adapters/logging/event-fields.js";
import type { EventFields, EventLog } from "../../../src/app/ports/event-log.port.js";

export interface RecordedEvent {
  readonly level: "info" | "warn" | "error" | "audit";
  readonly event: string;
  readonly fields: Readonly<Record<string, CleanValue>>;
}

/** Keeps events in memory after the same allow-list and sanitiser as the real log. */
export class MemoryEventLog implements EventLog {
  readonly events: RecordedEvent[] = [];
  droppedFields = 0;

  info(event: string, fields?: EventFields): void {
    this.record("info", event, fields);
  }

  warn(event: string, fields?: EventFields): void {
    this.record("warn", event, fields);
  }

  error(event: string, fields?: EventFields): void {
    this.record("error", event, fields);
  }

  audit(event: string, fields?: EventFields): void {
    this.record("audit", event, fields);
  }

  async flush(): Promise<void> {}

  /** The events with this name, in order. */
  named(event: string): RecordedEvent[] {
    return this.events.filter((e) => e.event === event);
  }

  private record(level: RecordedEvent["level"], event: string, fields: EventFields | undefined): void {
    const clean = cleanFields(fields);
    this.droppedFields += clean.dropped;
    this.events.push({ level, event: eventName(event), fields: clean.fields });
  }
}
