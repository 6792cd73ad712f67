import type { CleanValue } from "./event-fields.js";

type Fields = Readonly<Record<string, CleanValue>>;

const label = (text: string) => `${text.padEnd(19)} `;
const plural = (n: CleanValue | undefined, word: string) => `${n ?? "?"} ${word}${n === 1 ? "" : "s"}`;

/** Friendly text for the events an operator watches; `subject` is the order id (the step for step.failed). */
const FRIENDLY: Readonly<Record<string, (subject: CleanValue, f: Fields) => string>> = {
  "order.imported": (id) => `${label("order imported")}${id}`,
  "order.held": (id, f) => `${label("order held")}${id} (${f.reason ?? "?"})`,
  "po.sent": (id) => `${label("PO sent to Essendant")}${id}`,
  "order.acknowledged": (id, f) => `${label("acknowledged")}${id} ${f.reason ?? f.code ?? f.state ?? ""}`,
  "order.shipped": (id, f) => `${label("shipped")}${id} ${plural(f.packages, "package")}`,
  "order.confirmed": (id) => `${label("confirmed to Amazon")}${id}`,
  "pocancel.sent": (id) => `${label("cancel sent")}${id}`,
  "order.cancelled": (id) => `${label("cancelled")}${id}`,
  "package.confirmed": (id, f) => `${label("package confirmed")}${id} package ${f.packageReferenceId ?? "?"}`,
  "step.failed": (step, f) => `step failed: ${step} (${f.errorCode ?? "?"})`,
};

const MARK: Readonly<Record<string, string>> = { warn: "WARN  ", error: "ERROR ", audit: "AUDIT " };

function clock(at: Date, timeZone: string): string {
  const options = { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" } as const;
  try {
    return new Intl.DateTimeFormat("en-GB", { ...options, timeZone }).format(at);
  } catch {
    return at.toISOString().slice(11, 19);
  }
}

/** Book-keeping the log file keeps but the terminal would drown in: a step that ran without a problem. */
function quiet(level: string, event: string, fields: Fields): boolean {
  return level === "info" && event === "step.finished" && !fields.failed;
}

/**
 * One terminal line: `HH:MM:SS  <text>` in the schedule's time zone; fields are already allow-listed.
 * Undefined for events the terminal leaves to the log file.
 */
export function consoleLine(
  level: string,
  event: string,
  fields: Fields,
  at: Date,
  timeZone: string,
): string | undefined {
  if (quiet(level, event, fields)) return undefined;
  const subject = event === "step.failed" ? fields.step : fields.orderId;
  const friendly = FRIENDLY[event];
  const text =
    friendly && subject !== undefined
      ? friendly(subject, fields)
      : [event, ...Object.entries(fields).map(([k, v]) => `${k}=${v}`)].join(" ");
  // Sanitised values may still hold line breaks; one event stays one line.
  return `${clock(at, timeZone)}  ${MARK[level] ?? ""}${text.replace(/[\r\n\t]+/g, " ").trimEnd()}`;
}
