import { posix } from "node:path";
import type { EssendantConfig } from "../../app/config/config.js";
import { IntegrationError } from "../../app/errors.js";
import type {
  InboundFile,
  OutboundFile,
  SendOutcome,
  SupplierSession,
} from "../../app/ports/supplier-gateway.port.js";
import { isIgnoredInboundName, isUnsafeInboundName, safeNameFor } from "../essendant/inbound-entries.js";
import type { SftpConnection } from "./sftp-connection.js";

/** `NAME.1` … `NAME.999`: enough for any number of re-deliveries of one name. */
const MAX_SUFFIX = 999;

/** Refuses any name that could leave its folder or hide itself (spec/essendant README: `[A-Za-z0-9_.-]`). */
function checkName(name: string): string {
  if (isUnsafeInboundName(name) || name.startsWith("."))
    throw new IntegrationError("INVALID_FILE_NAME", "a file name outside [A-Za-z0-9_.-]", false);
  return name;
}

const tmpName = (name: string) => `${name}.tmp`;

const gone = (op: string, name: string) =>
  new IntegrationError("INBOUND_NOT_FOUND", `${op}: ${name} is gone from the server`, true);
const notAFile = (name: string) =>
  new IntegrationError("INBOUND_NOT_A_FILE", `${name} is not a regular file; it was not read`, false);

/** Size of a remote file, or undefined when nothing has that name. */
async function sizeOf(conn: SftpConnection, path: string, name: string): Promise<number | undefined> {
  if (!(await conn.run("exists", (c) => c.exists(path), name))) return undefined;
  return (await conn.run("stat", (c) => c.stat(path), name)).size;
}

/** The final name exists: the same size means an earlier attempt got there; another size is never replaced. */
async function settle(conn: SftpConnection, dir: string, name: string, existing: number, size: number) {
  if (existing !== size)
    throw new IntegrationError(
      "REMOTE_FILE_CONFLICT",
      `a different file named ${name} is already on the server; it was not overwritten`,
      false,
    );
  await conn.run("delete", (c) => c.delete(posix.join(dir, tmpName(name)), true), tmpName(name));
  return { kind: "already-there" } as const;
}

/**
 * Upload protocol step 2, first half: the bytes go to `NAME.tmp` (a leftover of a crashed attempt is
 * overwritten), then the remote size must equal the local size. Exported so a crash test can stop here.
 */
export async function uploadTmp(conn: SftpConnection, dir: string, file: OutboundFile): Promise<void> {
  const tmp = tmpName(checkName(file.fileName));
  const path = posix.join(dir, tmp);
  await conn.run("upload", (c) => c.put(Buffer.from(file.bytes), path), tmp);
  const size = (await conn.run("stat", (c) => c.stat(path), tmp)).size;
  if (size !== file.bytes.length) {
    await conn.run("delete", (c) => c.delete(path, true), tmp);
    throw new IntegrationError(
      "UPLOAD_SIZE_MISMATCH",
      `${tmp} arrived with another size; it was removed`,
      true,
    );
  }
}

/**
 * Upload protocol step 2, second half: `NAME.tmp` is renamed to `NAME`. An SFTP rename onto an existing
 * name fails on OpenSSH (it links, then unlinks), so a file that appeared meanwhile is never replaced.
 */
export async function promote(conn: SftpConnection, dir: string, file: OutboundFile): Promise<SendOutcome> {
  const name = checkName(file.fileName);
  const final = posix.join(dir, name);
  try {
    await conn.run("rename", (c) => c.rename(posix.join(dir, tmpName(name)), final), name);
    return { kind: "sent" };
  } catch (error) {
    const existing = await sizeOf(conn, final, name);
    if (existing === undefined) throw error;
    return settle(conn, dir, name, existing, file.bytes.length);
  }
}

/** One SFTP connection used for one step: the spec's upload and download protocols. */
export class SftpSupplierSession implements SupplierSession {
  constructor(
    private readonly conn: SftpConnection,
    private readonly paths: EssendantConfig["paths"],
    private readonly maxInboundBytes: number,
  ) {}

  async send(file: OutboundFile): Promise<SendOutcome> {
    const name = checkName(file.fileName);
    const dir = this.paths.outbound;
    const existing = await sizeOf(this.conn, posix.join(dir, name), name);
    if (existing !== undefined) return settle(this.conn, dir, name, existing, file.bytes.length);
    await uploadTmp(this.conn, dir, file);
    return promote(this.conn, dir, file);
  }

  async listInbound(): Promise<readonly InboundFile[]> {
    const entries = await this.conn.run("list", (c) => c.list(this.paths.inbound));
    const files: InboundFile[] = [];
    for (const { name, type, size } of entries) {
      if (isIgnoredInboundName(name) || type === "d") continue;
      // Hostile names and symlinks are listed, never read: the caller rejects them under a safe name.
      const problem = isUnsafeInboundName(name)
        ? "UNSAFE_NAME"
        : type === "-"
          ? undefined
          : "NOT_A_REGULAR_FILE";
      files.push({ name, size, ...(problem ? { problem } : {}) });
    }
    return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async fetch(file: InboundFile): Promise<Uint8Array> {
    const name = checkName(file.name);
    if (file.problem) throw notAFile(name);
    // The listed size decides before a byte is read; the downloaded size is checked again below.
    if (file.size > this.maxInboundBytes) throw this.tooLarge(name, file.size);
    const path = posix.join(this.paths.inbound, name);
    // exists() looks with lstat: a symlink swapped in since the listing is not followed.
    const type = await this.conn.run("exists", (c) => c.exists(path), name);
    if (!type) throw gone("download", name);
    if (type !== "-") throw notAFile(name);
    const data = await this.conn.run("download", (c) => c.get(path), name);
    if (!Buffer.isBuffer(data))
      throw new IntegrationError("SFTP_FAILURE", `download: ${name} did not arrive as bytes`, true);
    if (data.length > this.maxInboundBytes) throw this.tooLarge(name, data.length);
    return new Uint8Array(data);
  }

  async archive(file: InboundFile): Promise<void> {
    await this.moveTo(this.paths.archive, file);
  }

  async reject(file: InboundFile): Promise<void> {
    await this.moveTo(this.paths.errors, file);
  }

  async close(): Promise<void> {
    await this.conn.end();
  }

  /** Moves the entry itself (a symlink is moved, never followed) into `folder`, as NAME, NAME.1, NAME.2 … */
  private async moveTo(folder: string, file: InboundFile): Promise<void> {
    // Names come from our own listing, so hold no "/"; an unsafe one is only ever moved, under a safe name.
    if (!file.problem || file.name.includes("/") || file.name === "." || file.name === "..")
      checkName(file.name);
    const from = posix.join(this.paths.inbound, file.name);
    const label = safeNameFor(file.name);
    for (let n = 0; n <= MAX_SUFFIX; n++) {
      const candidate = n === 0 ? label : `${label}.${n}`;
      const to = posix.join(folder, candidate);
      if (await this.conn.run("exists", (c) => c.exists(to), candidate)) continue;
      try {
        await this.conn.run("move", (c) => c.rename(from, to), label);
        return;
      } catch (error) {
        // Taken between the check and the rename (OpenSSH refuses to rename onto a name): try the next.
        if (await this.conn.run("exists", (c) => c.exists(to), candidate)) continue;
        if (!(await this.conn.run("exists", (c) => c.exists(from), label))) throw gone("move", label);
        throw error;
      }
    }
    throw new IntegrationError("SFTP_FAILURE", `move: no free name for ${label} in the folder`, true);
  }

  private tooLarge(name: string, size: number): IntegrationError {
    return new IntegrationError(
      "INBOUND_TOO_LARGE",
      `${name} is ${size} bytes, above essendant.maxInboundBytes (${this.maxInboundBytes})`,
      false,
    );
  }
}
