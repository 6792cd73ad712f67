import * as fs from "node:fs";
import * as path from "node:path";
import { inject, injectable } from "inversify";
import type { Config } from "../../app/config/config.js";
import { AppConfig } from "../../app/config/config.token.js";
import { IntegrationError } from "../../app/errors.js";
import { Clock } from "../../app/ports/clock.port.js";
import { SupplierCodec } from "../../app/ports/supplier-codec.port.js";
import type {
  InboundFile,
  OutboundFile,
  SendOutcome,
  SupplierGateway,
  SupplierSession,
} from "../../app/ports/supplier-gateway.port.js";
import { isIgnoredInboundName, isUnsafeInboundName, safeNameFor } from "../essendant/inbound-entries.js";
import { EssendantSimulator } from "./essendant-simulator.js";
import {
  checkName,
  ensureFolder,
  exists,
  freeName,
  type LocalFolders,
  localFolders,
} from "./local-folder.paths.js";

class LocalFolderSession implements SupplierSession {
  constructor(
    private readonly folders: LocalFolders,
    private readonly maxInboundBytes: number,
  ) {}

  async send(file: OutboundFile): Promise<SendOutcome> {
    const final = path.join(this.folders.outbound, checkName(file.fileName));
    const existing = this.sizeOf(final);
    if (existing !== undefined) return this.outcomeFor(existing, file);
    const tmp = `${final}.tmp`;
    const fd = fs.openSync(tmp, "w", 0o600);
    try {
      fs.writeFileSync(fd, file.bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (fs.statSync(tmp).size !== file.bytes.length) {
      fs.unlinkSync(tmp);
      throw new IntegrationError(
        "UPLOAD_SIZE_MISMATCH",
        "the uploaded size differs from the local size",
        true,
      );
    }
    // link() fails when the final name exists, so a racing writer's file is never replaced (rename would).
    try {
      fs.linkSync(tmp, final);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      return this.outcomeFor(this.sizeOf(final) ?? -1, file);
    } finally {
      fs.unlinkSync(tmp);
    }
    return { kind: "sent" };
  }

  async listInbound(): Promise<readonly InboundFile[]> {
    const files: InboundFile[] = [];
    for (const name of fs.readdirSync(this.folders.inbound)) {
      if (isIgnoredInboundName(name)) continue;
      const stat = fs.lstatSync(path.join(this.folders.inbound, name));
      if (stat.isDirectory()) continue;
      const problem = isUnsafeInboundName(name)
        ? "UNSAFE_NAME"
        : stat.isFile()
          ? undefined
          : "NOT_A_REGULAR_FILE";
      files.push({ name, size: stat.size, ...(problem ? { problem } : {}) });
    }
    return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async fetch(file: InboundFile): Promise<Uint8Array> {
    const full = this.inboundPath(file);
    const stat = fs.lstatSync(full);
    if (!stat.isFile())
      throw new IntegrationError("INBOUND_NOT_A_FILE", "the inbound entry is not a regular file", false);
    if (stat.size > this.maxInboundBytes) {
      throw new IntegrationError(
        "INBOUND_TOO_LARGE",
        `inbound file of ${stat.size} bytes exceeds ${this.maxInboundBytes}`,
        false,
      );
    }
    return new Uint8Array(fs.readFileSync(full));
  }

  async archive(file: InboundFile): Promise<void> {
    this.moveTo(this.folders.archive, file);
  }

  async reject(file: InboundFile): Promise<void> {
    this.moveTo(this.folders.errors, file);
  }

  async close(): Promise<void> {}

  /** Moves the entry itself (a symlink is moved, never followed), under a safe name when its own is not. */
  private moveTo(dir: string, file: InboundFile): void {
    fs.renameSync(this.inboundPath(file), path.join(dir, freeName(dir, safeNameFor(file.name))));
  }

  /** The inbound entry's path; a file gone since the listing is a retryable fault, as on SFTP. */
  private inboundPath(file: InboundFile): string {
    // Names come from our own listing of this folder, so they hold no "/"; an unsafe one is only ever moved.
    if (!file.problem || file.name.includes("/") || file.name === "." || file.name === "..")
      checkName(file.name);
    const full = path.join(this.folders.inbound, file.name);
    if (!exists(full)) throw new IntegrationError("INBOUND_NOT_FOUND", "the inbound file is gone", true);
    return full;
  }

  private sizeOf(file: string): number | undefined {
    return exists(file) ? fs.lstatSync(file).size : undefined;
  }

  private outcomeFor(existingSize: number, file: OutboundFile): SendOutcome {
    if (existingSize === file.bytes.length) return { kind: "already-there" };
    throw new IntegrationError(
      "REMOTE_FILE_CONFLICT",
      "a different file with this name is already on the server",
      false,
    );
  }
}

/** The demo's stand-in for Essendant's SFTP server: a local directory with the same folders and protocol. */
@injectable()
export class LocalFolderSupplierGateway implements SupplierGateway {
  private readonly simulator: EssendantSimulator | undefined;

  constructor(
    @inject(Clock) clock: Clock,
    @inject(AppConfig) private readonly config: Config,
    @inject(SupplierCodec) codec: SupplierCodec,
  ) {
    const options = config.essendant.localFolder;
    this.simulator = options?.simulator.enabled ? new EssendantSimulator(config, clock, codec) : undefined;
  }

  async open(): Promise<SupplierSession> {
    const { localFolder, paths, maxInboundBytes } = this.config.essendant;
    if (!localFolder)
      throw new IntegrationError("NOT_CONFIGURED", "essendant.localFolder is not configured", false);
    const folders = localFolders(localFolder.root, paths);
    try {
      for (const dir of [folders.outbound, folders.inbound, folders.archive, folders.errors])
        ensureFolder(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unknown";
      throw new IntegrationError(
        "SUPPLIER_UNAVAILABLE",
        `the local supplier folder cannot be prepared (${code})`,
        true,
      );
    }
    await this.simulator?.tick();
    return new LocalFolderSession(folders, maxInboundBytes);
  }
}
