import { CRASH_EXIT_STATUS, crashLine } from "./crash.js";
import { main } from "./main.js";

// Process entry point. An error nobody handled becomes one sanitised line on stderr and a non-zero exit.
for (const [event, kind] of [
  ["unhandledRejection", "unhandled-rejection"],
  ["uncaughtException", "uncaught-exception"],
] as const) {
  process.on(event, (error: unknown) => {
    process.stderr.write(`${crashLine(kind, error)}\n`);
    process.exit(CRASH_EXIT_STATUS);
  });
}

process.exitCode = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  cwd: process.cwd(),
});
