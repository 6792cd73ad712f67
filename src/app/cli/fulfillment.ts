import { CRASH_EXIT_STATUS, crashLine } from "./crash.js";
import { main } from "./main.js";

// Process entry point. Everything this process creates is for its owner alone (directories 0700, files 0600),
// whatever the caller's umask; an error nobody handled becomes one sanitised line on stderr and a non-zero exit.
try {
  process.umask(0o077);
} catch {
  // Deno without --allow-sys cannot set it; every file is still created with an explicit mode.
}
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
