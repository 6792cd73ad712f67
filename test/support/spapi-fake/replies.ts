/** What a handler answers; the server adds the request id and the rate header. */
export interface FakeReply {
  readonly status: number;
  /** JSON-serialised; absent for 204. */
  readonly body?: unknown;
  /** false leaves out x-amzn-RateLimit-Limit (a 429 as the Orders models describe it). */
  readonly rateHeader?: boolean;
}

/** Amazon's error envelope (sp-api.md section 1.1). */
export function errorReply(status: number, code: string, message: string, details?: string): FakeReply {
  return { status, body: { errors: [{ code, message, ...(details === undefined ? {} : { details }) }] } };
}

export function invalidInput(message: string): FakeReply {
  return errorReply(400, "InvalidInput", message);
}

export const QUOTA_EXCEEDED = errorReply(
  429,
  "QuotaExceeded",
  "You exceeded your quota for the requested resource.",
);

export const EXPIRED_DETAILS = "The access token you provided has expired.";
export const REVOKED_DETAILS = "The access token you provided is revoked, malformed or invalid.";

export function unauthorized(details: string): FakeReply {
  return errorReply(403, "Unauthorized", "Access to requested resource is denied.", details);
}

export function notFound(message: string): FakeReply {
  return errorReply(404, "NotFound", message);
}

/** The rate as Amazon writes it: "2.0", "0.0056". */
export function formatRate(rate: number): string {
  return Number.isInteger(rate) ? rate.toFixed(1) : String(Number(rate.toPrecision(4)));
}
