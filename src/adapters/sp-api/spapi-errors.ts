import { IntegrationError } from "../../app/errors.js";

/** What identifies a failed SP-API call: never a token, a secret or a response body. */
export interface SpApiFaultDetail {
  readonly operation: string;
  readonly status?: number;
  /** Amazon's error code (`errors[0].code`), e.g. QuotaExceeded. */
  readonly amazonCode?: string;
  /** Amazon's `x-amzn-RequestId`, for Amazon support. */
  readonly requestId?: string;
}

/** A failed SP-API or Login with Amazon call; the message names the operation, status, code and request id. */
export class SpApiError extends IntegrationError {
  readonly operation: string;
  readonly status?: number;
  readonly amazonCode?: string;
  readonly requestId?: string;

  constructor(code: string, what: string, detail: SpApiFaultDetail, retryable: boolean) {
    super(code, `${detail.operation}: ${what}${describe(detail)}`, retryable);
    this.name = "SpApiError";
    this.operation = detail.operation;
    if (detail.status !== undefined) this.status = detail.status;
    if (detail.amazonCode !== undefined) this.amazonCode = detail.amazonCode;
    if (detail.requestId !== undefined) this.requestId = detail.requestId;
  }
}

const SAFE_TOKEN = /^[A-Za-z0-9_.:-]{1,80}$/;

/** Keeps only values that look like codes or ids, so nothing Amazon echoes can smuggle data into a log. */
export function safeToken(value: unknown): string | undefined {
  return typeof value === "string" && SAFE_TOKEN.test(value) ? value : undefined;
}

function describe(d: SpApiFaultDetail): string {
  const parts: string[] = [];
  if (d.status !== undefined) parts.push(`HTTP ${d.status}`);
  if (d.amazonCode !== undefined) parts.push(d.amazonCode);
  if (d.requestId !== undefined) parts.push(`request id ${d.requestId}`);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "ERR_STREAM_PREMATURE_CLOSE",
]);
const TIMEOUT_CODES = new Set(["API_RESPONSE_TIMEOUT", "API_IDLE_TIMEOUT", "API_DEADLINE_TIMEOUT"]);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|UNABLE_TO_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;
const TLS_MESSAGE = /certificate|self[- ]signed|unable to verify|handshake|invalid peer|UnknownIssuer/i;

/**
 * A transport failure (the package rejected, or our deadline passed) as an SpApiError. The raw
 * error's message is never used: for a non-JSON body the package puts the whole body there.
 */
export function transportFault(error: unknown, operation: string, host: string): SpApiError {
  if (error instanceof SpApiError) return error;
  const raw = (typeof error === "object" && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  const code = typeof raw.code === "string" ? raw.code : undefined;
  const message = typeof raw.message === "string" ? raw.message : "";
  const detail = { operation };
  if (code && TIMEOUT_CODES.has(code))
    return new SpApiError("SPAPI_TIMEOUT", `no complete answer from ${host} in time (${code})`, detail, true);
  if ((code && TLS_CODE.test(code)) || (!code && TLS_MESSAGE.test(message)) || code === "EPROTO")
    return new SpApiError(
      "SPAPI_TLS",
      `the TLS connection to ${host} failed verification (${code ?? "certificate not trusted"}); nothing was sent. Check amazon.loopback.caFile, or the system's CA store`,
      detail,
      false,
    );
  if (code && NETWORK_CODES.has(code))
    return new SpApiError("SPAPI_NETWORK", `the connection to ${host} failed (${code})`, detail, true);
  if (/socket hang up|aborted|closed/i.test(message))
    return new SpApiError("SPAPI_NETWORK", `the connection to ${host} was closed early`, detail, true);
  return new SpApiError(
    "SPAPI_CLIENT_FAILURE",
    `the SP-API client failed (${safeToken(code) ?? "no code"})`,
    detail,
    false,
  );
}
