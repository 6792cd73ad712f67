import { IntegrationError } from "../../../src/app/errors.js";
import type { BackupFile, Backups } from "../../../src/app/ports/backups.port.js";

/** Backups as names in memory; `tamper` makes a file fail authentication, `failNext` makes create fail. */
export class MemoryBackups implements Backups {
  readonly files = new Map<string, { createdAt: string; tampered: boolean }>();
  restored: string[] = [];
  #fail: IntegrationError | undefined;

  create(now: Date): BackupFile {
    const fault = this.#fail;
    this.#fail = undefined;
    if (fault) throw fault;
    const file = `/backups/fulfillment-${now
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z")
      .replace(/[-:]/g, "")}.backup`;
    this.files.set(file, { createdAt: now.toISOString(), tampered: false });
    return { file, bytes: 4096, createdAt: now.toISOString() };
  }

  restore(file: string): { createdAt: string } {
    const entry = this.files.get(file);
    if (!entry) throw new IntegrationError("BACKUP_UNREADABLE", `cannot read ${file} (ENOENT)`, false);
    if (entry.tampered)
      throw new IntegrationError("BACKUP_AUTHENTICATION_FAILED", `${file} failed authentication`, false);
    this.restored.push(file);
    return { createdAt: entry.createdAt };
  }

  tamper(file: string): void {
    const entry = this.files.get(file);
    if (entry) entry.tampered = true;
  }

  failNext(error: IntegrationError): void {
    this.#fail = error;
  }
}
