import { ConfigError } from "../errors.js";
import type { EventLog } from "../ports/event-log.port.js";
import {
  describeUnencrypted,
  type EncryptedVolumeStatus,
  encryptedVolumeFix,
} from "../queries/encrypted-volumes.query.js";

/**
 * The rule `security.requireEncryptedVolume` at the start of a command that touches data. Required
 * and broken: a ConfigError (exit 2) before anything is opened, naming each directory and the fix.
 * Not required: the command goes on, but every start says so, on stderr, in the log and in the
 * audit log (`security.unencrypted-volume`). The log is asked for only then, so a refusal writes nothing.
 */
export function enforceEncryptedVolumes(
  status: EncryptedVolumeStatus,
  configFile: string,
  log: () => EventLog,
  warn: (line: string) => void,
): void {
  if (status.ok) return;
  if (status.required) {
    const dirs = status.unencrypted.map((d) => `  - ${describeUnencrypted(d)}`).join("\n");
    throw new ConfigError(
      `refusing to start: customer data must be on an encrypted volume\n${dirs}\nFix: ${encryptedVolumeFix(configFile)}.`,
    );
  }
  const events = log();
  for (const dir of status.unencrypted) {
    const fields = { path: dir.path, code: dir.setting, reason: dir.detail };
    events.warn("security.unencrypted-volume", fields);
    events.audit("security.unencrypted-volume", fields);
    warn(
      `fulfillment: warning: ${describeUnencrypted(dir)}; allowed only because security.requireEncryptedVolume is false`,
    );
  }
}
