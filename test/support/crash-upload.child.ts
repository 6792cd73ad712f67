/**
 * A process that dies mid-upload, for the crash tests: it connects through the gateway's own code,
 * runs the upload protocol up to a crash point, then SIGKILLs itself (no cleanup, no finally).
 * Usage: crash-upload.child.ts CONFIG_JSON BYTES_FILE FILE_NAME before-rename|before-record
 */
import "reflect-metadata";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { SftpSupplierGateway } from "../../src/adapters/essendant-sftp/sftp.supplier-gateway.js";
import { promote, uploadTmp } from "../../src/adapters/essendant-sftp/sftp.supplier-session.js";
import type { Config } from "../../src/app/config/config.js";
import { FixedClock } from "./fakes/fixed.clock.js";
import { MemoryAlertSink } from "./fakes/memory.alert-sink.js";
import { MemoryEventLog } from "./fakes/memory.event-log.js";

// Only as a child process: a test runner that imports this file by pattern must not run it.
const script = process.argv[1];
if (script && path.resolve(script) === fileURLToPath(import.meta.url)) {
  const [configFile, bytesFile, fileName, crashPoint] = process.argv.slice(2);
  if (
    !configFile ||
    !bytesFile ||
    !fileName ||
    !["before-rename", "before-record"].includes(crashPoint ?? "")
  ) {
    console.error(
      "usage: crash-upload.child.ts CONFIG_JSON BYTES_FILE FILE_NAME before-rename|before-record",
    );
    process.exit(2);
  }
  const config = JSON.parse(readFileSync(configFile, "utf8")) as Config;
  const gateway = new SftpSupplierGateway(
    config,
    new MemoryEventLog(),
    new MemoryAlertSink(new FixedClock()),
  );
  const file = { fileName, bytes: new Uint8Array(readFileSync(bytesFile)) };
  const connection = await gateway.connect();
  await uploadTmp(connection, config.essendant.paths.outbound, file);
  // before-record: the rename is done, but the process dies before the store could record the send.
  if (crashPoint === "before-record") await promote(connection, config.essendant.paths.outbound, file);
  process.kill(process.pid, "SIGKILL");
}
