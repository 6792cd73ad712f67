import type { ServiceIdentifier } from "inversify";

export interface OutboundFile {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

export type InboundEntryProblem = "UNSAFE_NAME" | "NOT_A_REGULAR_FILE";

export interface InboundFile {
  readonly name: string;
  readonly size: number;
  /** Set for an entry that must not be read (a hostile name, a symlink): reject it without fetching. */
  readonly problem?: InboundEntryProblem;
}

export type SendOutcome =
  | { readonly kind: "sent" }
  /** The final name already existed with the same size: an earlier attempt succeeded. */
  | { readonly kind: "already-there" };

/** One connection to the supplier's file drop, open for the length of one step. */
export interface SupplierSession {
  /**
   * Uploads the stored bytes unchanged: NAME.tmp, size check, rename. A final name that exists with
   * another size is never overwritten: throws IntegrationError code `REMOTE_FILE_CONFLICT`.
   */
  send(file: OutboundFile): Promise<SendOutcome>;
  /**
   * Inbound entries waiting, sorted by name. Dot files, *.tmp, *.part, *.filepart and directories are
   * skipped. A name outside `[A-Za-z0-9_.-]{1,200}` or containing `..`, and a symlink or other
   * non-regular file, is listed with `problem` set so the caller can reject it.
   */
  listInbound(): Promise<readonly InboundFile[]>;
  /** The file's bytes. Throws IntegrationError `INBOUND_TOO_LARGE` above the size limit, without reading it. */
  fetch(file: InboundFile): Promise<Uint8Array>;
  /** Moves an applied (or already applied) file to the archive folder. */
  archive(file: InboundFile): Promise<void>;
  /** Moves an invalid file (or a problem entry, under a safe name) to the errors folder. */
  reject(file: InboundFile): Promise<void>;
  close(): Promise<void>;
}

/** Essendant's file drop (SFTP, or a local folder for the demo). */
export interface SupplierGateway {
  /** Opens a session; throws IntegrationError (retryable) when the server cannot be reached. */
  open(): Promise<SupplierSession>;
}
export const SupplierGateway: ServiceIdentifier<SupplierGateway> = Symbol.for("SupplierGateway");
