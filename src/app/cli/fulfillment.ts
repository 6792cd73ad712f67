import { main } from "./main.js";

/**
 * Process entry point. An error nobody handled is logged as a sanitised line: its name, code and
 * stack frames (code locations), never its message, which could carry data. The process then exits
 * non-zero so a supervisor restarts it.
 */
function crash(kind: string, error: unknown): void {
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
  const line = {
    time: new Date().toISOString(),
    level: "fatal",
    event: `process.${kind}`,
    errorName: name,
    ...(typeof code === "string" ? { errorCode: code } : {}),
    frames,
  };
  process.stderr.write(`${JSON.stringify(line)}\n`);
  process.exit(70);
}

process.on("unhandledRejection", (reason) => crash("unhandled-rejection", reason));
process.on("uncaughtException", (error) => crash("uncaught-exception", error));

const status = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = status;
