import { IntegrationError } from "../../../src/app/errors.js";
import type {
  InboundFile,
  OutboundFile,
  SendOutcome,
  SupplierGateway,
  SupplierSession,
} from "../../../src/app/ports/supplier-gateway.port.js";

const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/;
const PARTIAL = /\.(tmp|part|filepart)$/;

function checkName(name: string): string {
  if (!SAFE_NAME.test(name))
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
      const bytes = this.remoteInbound.get(checkName(file.name));
      if (!bytes) throw new IntegrationError("INBOUND_NOT_FOUND", "the inbound file is gone", true);
      this.remoteInbound.delete(file.name);
      to.set(freeName(to, file.name), bytes);
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
        this.remoteOutbound.set(file.fileName, Uint8Array.from(file.bytes));
        this.uploads++;
        return { kind: "sent" };
      },
      listInbound: async () =>
        [...this.remoteInbound.entries()]
          .filter(([name]) => SAFE_NAME.test(name) && !PARTIAL.test(name))
          .map(([name, bytes]) => ({ name, size: bytes.length }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      fetch: async (file: InboundFile) => {
        const bytes = this.remoteInbound.get(checkName(file.name));
        if (!bytes) throw new IntegrationError("INBOUND_NOT_FOUND", "the inbound file is gone", true);
        if (bytes.length > this.maxInboundBytes) {
          throw new IntegrationError(
            "INBOUND_TOO_LARGE",
            `inbound file of ${bytes.length} bytes exceeds ${this.maxInboundBytes}`,
            false,
          );
        }
        return Uint8Array.from(bytes);
      },
      archive: async (file: InboundFile) => move(this.archived, file),
      reject: async (file: InboundFile) => move(this.rejected, file),
      close: async () => {},
    };
  }
}
