/**
 * The line written when an error escaped every handler: its name, code and stack frames (code
 * locations), never its message, which could carry customer data or a secret.
 */
export function crashLine(kind: string, error: unknown, at: Date = new Date()): string {
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  const frames =
    error instanceof Error
      ? (error.stack ?? "")
          .split("\n")
          .filter((l) => /^\s+at /.test(l))
          .slice(0, 8)
          .map((l) => l.trim())
      : [];
  return JSON.stringify({
    time: at.toISOString(),
    level: "fatal",
    event: `process.${kind}`,
    errorName: name,
    ...(typeof code === "string" ? { errorCode: code } : {}),
    frames,
  });
}

/** Exit status for a crash: non-zero, distinct from 1 (work failed) and 2 (usage), so a supervisor restarts. */
export const CRASH_EXIT_STATUS = 70;
