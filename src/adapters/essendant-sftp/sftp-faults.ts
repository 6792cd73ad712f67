import { IntegrationError } from "../../app/errors.js";

/**
 * ssh2 and ssh2-sftp-client errors as stable codes. Their messages can carry full remote paths and
 * library internals, so none is passed on: only our own short text, with at most a file name.
 */
interface RawError {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly level?: unknown;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EPIPE",
]);

function raw(error: unknown): RawError {
  return typeof error === "object" && error !== null ? (error as RawError) : {};
}

function messageOf(error: unknown): string {
  const m = raw(error).message;
  return typeof m === "string" ? m : "";
}

/** Why one connection attempt failed, as a code fit for the `errorCode` log field. */
export function connectFailureCode(error: unknown): string {
  const { code, level } = raw(error);
  const message = messageOf(error);
  if (level === "client-authentication" || /All configured authentication methods failed/.test(message))
    return "AUTH_FAILED";
  if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
  if (level === "client-timeout" || /Timed out while waiting for handshake/.test(message))
    return "HANDSHAKE_TIMEOUT";
  if (level === "handshake" || level === "protocol") return "HANDSHAKE_FAILED";
  if (/Unexpected (end|close) event|Connection lost|No response from server/.test(message))
    return "CONNECTION_CLOSED";
  return "CONNECT_FAILED";
}

/** A failed SFTP call, mapped to a stable code; `fileName` is the only data the message may name. */
export function operationFault(error: unknown, op: string, fileName?: string): IntegrationError {
  if (error instanceof IntegrationError) return error;
  const { code } = raw(error);
  const message = messageOf(error);
  const about = fileName ? ` (${fileName})` : "";
  if (code === 2 || code === "ENOENT" || /No such file/i.test(message))
    return new IntegrationError(
      "SFTP_NO_SUCH_FILE",
      `${op}: no such file or folder on the server${about}`,
      true,
    );
  if (code === 3 || code === "EACCES" || /Permission denied/i.test(message))
    return new IntegrationError(
      "SFTP_PERMISSION_DENIED",
      `${op}: permission denied by the server${about}`,
      false,
    );
  if (
    code === "ERR_NOT_CONNECTED" ||
    (typeof code === "string" && NETWORK_CODES.has(code)) ||
    /Unexpected (end|close) event|No SFTP connection|No response from server|Not connected/.test(message)
  )
    return new IntegrationError(
      "SFTP_CONNECTION_LOST",
      `${op}: the connection to the server was lost${about}`,
      true,
    );
  return new IntegrationError("SFTP_FAILURE", `${op}: the server reported a failure${about}`, true);
}
