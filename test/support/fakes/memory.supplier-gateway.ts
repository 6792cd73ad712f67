import {
  isIgnoredInboundName,
  isUnsafeInboundName,
  safeNameFor,
} from "../../../src/adapters/essendant/inbound-entries.js";
import { IntegrationError } from "../../../src/app/errors.js";
import type {
  InboundFile,
  OutboundFile,
  SendOutcome,
  SupplierGateway,
  SupplierSession,
} from "../../../src/app/ports/supplier-gateway.port.js";

function checkName(name: string): string {
  if (isUnsafeInboundName(name) || name.startsWith("."))
    throw new IntegrationError("INVALID_FILE_NAME", "a file name outside [A-Za-z0-9_.-]", false);
  return name;
}

function freeName(folder: ReadonlyMap<string, Uint8Array>, name: string): string {
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? name : `${name}.${n}`;
    if (!folder.has(candidate)) return candidate;
  }
}

/** Essendant's file drop in memory, with the same upload and download protocol as the real gateways. */
export class MemorySupplierGateway implements SupplierGateway {
  /** Essendant's `/in`: what we uploaded. */
  readonly remoteOutbound = new Map<string, Uint8Array>();
  /** Essendant's `/out`, `/out/archive` and `/out/errors`. */
  readonly remoteInbound = new Map<string, Uint8Array>();
  readonly archived = new Map<string, Uint8Array>();
  readonly rejected = new Map<string, Uint8Array>();
  /** Names in `/out` that are symlinks rather than files. */
  readonly symlinks = new Set<string>();
  /** Calls of send(), and how many of them actually wrote a file. */
  sendCalls = 0;
  uploads = 0;
  opens = 0;
  private nextOpenError: Error | undefined;

  constructor(private readonly maxInboundBytes = 5 * 1024 * 1024) {}

  /** Essendant drops a file (any name, even one the listing must skip). */
  dropInbound(name: string, bytes: Uint8Array | string): void {
    this.remoteInbound.set(name, typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes);
  }

  /** Essendant's folder gains a symlink: listed as a problem, never read. */
  dropSymlink(name: string): void {
    this.remoteInbound.set(name, new Uint8Array());
    this.symlinks.add(name);
  }

  /** The next open() throws this error (e.g. an IntegrationError saying the server is down). */
  failNextOpen(error: Error): void {
    this.nextOpenError = error;
  }

  async open(): Promise<SupplierSession> {
    this.opens++;
    const error = this.nextOpenError;
    this.nextOpenError = undefined;
    if (error) throw error;
    return this.session();
  }

  private session(): SupplierSession {
    const move = (to: Map<string, Uint8Array>, file: InboundFile) => {
      const bytes = this.remoteInbound.get(file.problem ? file.name : checkName(file.name));
      if (!bytes) throw new IntegrationError("INBOUND_NOT_FOUND", "the inbound file is gone", true);
      this.remoteInbound.delete(file.name);
      this.symlinks.delete(file.name);
      to.set(freeName(to, safeNameFor(file.name)), bytes);
    };
    return {
      send: async (file: OutboundFile): Promise<SendOutcome> => {
        this.sendCalls++;
        const existing = this.remoteOutbound.get(checkName(file.fileName));
        if (existing) {
          if (existing.length === file.bytes.length) return { kind: "already-there" };
          throw new IntegrationError(
            "REMOTE_FILE_CONFLICT",
            "a different file with this name is already on the server",
            false,
          );
        }
        this.remoteOutbound.set(file.fileName, file.bytes.slice());
        this.uploads++;
        return { kind: "sent" };
      },
      listInbound: async () =>
        [...this.remoteInbound.entries()]
          .filter(([name]) => !isIgnoredInboundName(name))
          .map(([name, bytes]): InboundFile => {
            const problem = isUnsafeInboundName(name)
              ? "UNSAFE_NAME"
              : this.symlinks.has(name)
                ? "NOT_A_REGULAR_FILE"
                : undefined;
            return { name, size: bytes.length, ...(problem ? { problem } : {}) };
          })
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      fetch: async (file: InboundFile) => {
        if (this.symlinks.has(file.name)) {
          throw new IntegrationError("INBOUND_NOT_A_FILE", "the inbound entry is not a regular file", false);
        }
        const bytes = this.remoteInbound.get(checkName(file.name));
        if (!bytes) throw new IntegrationError("INBOUND_NOT_FOUND", "the inbound file is gone", true);
        if (bytes.length > this.maxInboundBytes) {
          throw new IntegrationError(
            "INBOUND_TOO_LARGE",
            `inbound file of ${bytes.length} bytes exceeds ${this.maxInboundBytes}`,
            false,
          );
        }
        return bytes.slice();
      },
      archive: async (file: InboundFile) => move(this.archived, file),
      reject: async (file: InboundFile) => move(this.rejected, file),
      close: async () => {},
    };
  }
}
