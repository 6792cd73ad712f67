#!/usr/bin/env node
// The installed command: runs the compiled CLI (npm install builds dist/ through the prepare script).
import { existsSync } from "node:fs";

const entry = new URL("../dist/app/cli/fulfillment.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    "fulfillment: the compiled program (dist/) is missing; run `npm run build` in the project folder\n",
  );
  process.exit(2);
}
await import(entry.href);
