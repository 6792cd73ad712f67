import { inject, injectable } from "inversify";
import type { Config } from "../config/config.js";
import { AppConfig } from "../config/config.token.js";
import { VolumeInspector } from "../ports/volume-inspector.port.js";

/** The directories that hold customer data, logs about it, or copies of it. */
export const DATA_DIRECTORIES = ["storage.dataDir", "storage.logDir", "storage.backupDir"] as const;
export type DataDirectory = (typeof DATA_DIRECTORIES)[number];

export interface UnencryptedDirectory {
  readonly setting: DataDirectory;
  readonly path: string;
  /** What the inspector found, e.g. `no dm-crypt layer under sda` (device 8:1). */
  readonly detail: string;
}

/** `status`' view of the rule `security.requireEncryptedVolume`. */
export interface EncryptedVolumeStatus {
  /** security.requireEncryptedVolume: refuse to start when a directory is not encrypted. */
  readonly required: boolean;
  /** Every data directory is on a dm-crypt (LUKS) device. */
  readonly ok: boolean;
  readonly unencrypted: readonly UnencryptedDirectory[];
}

function pathOf(config: Config, setting: DataDirectory): string {
  const { dataDir, logDir, backupDir } = config.storage;
  return { "storage.dataDir": dataDir, "storage.logDir": logDir, "storage.backupDir": backupDir }[setting];
}

/** Which of dataDir, logDir and backupDir are not on an encrypted volume (the policy's "encrypted at rest"). */
@injectable()
export class EncryptedVolumesQuery {
  constructor(
    @inject(VolumeInspector) private readonly inspector: VolumeInspector,
    @inject(AppConfig) private readonly config: Config,
  ) {}

  execute(): EncryptedVolumeStatus {
    const unencrypted: UnencryptedDirectory[] = [];
    for (const setting of DATA_DIRECTORIES) {
      const dir = pathOf(this.config, setting);
      const verdict = this.inspector.isEncrypted(dir);
      if (!verdict.encrypted)
        unencrypted.push({
          setting,
          path: dir,
          detail: verdict.device ? `${verdict.detail}, device ${verdict.device}` : verdict.detail,
        });
    }
    return {
      required: this.config.security.requireEncryptedVolume,
      ok: unencrypted.length === 0,
      unencrypted,
    };
  }
}

/** One sentence per directory, naming the path and what was found. */
export function describeUnencrypted(dir: UnencryptedDirectory): string {
  return `${dir.setting} ${dir.path} is not on an encrypted (dm-crypt LUKS) volume (${dir.detail})`;
}

/** How to fix a refusal: said the same way by start-up and by `config check`. */
export function encryptedVolumeFix(configFile: string): string {
  return `move each such directory onto the LUKS volume (or mount the LUKS volume there), or, on a demo or test machine only, set "security": { "requireEncryptedVolume": false } in ${configFile}`;
}
