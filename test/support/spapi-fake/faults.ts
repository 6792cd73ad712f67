import {
  EXPIRED_DETAILS,
  errorReply,
  type FakeReply,
  QUOTA_EXCEEDED,
  REVOKED_DETAILS,
  unauthorized,
} from "./replies.js";
import type { SpApiOperation } from "./token-buckets.js";

/**
 * What the fake can do wrong on purpose (sp-api.md section 9). Armed faults answer before the
 * access token and the token bucket are checked, and consume no bucket token.
 */
export type SpApiFault =
  /** 429 QuotaExceeded with x-amzn-RateLimit-Limit. */
  | "quota-exceeded"
  /** 429 QuotaExceeded without the rate header (as the Orders models list it). */
  | "quota-exceeded-no-rate-header"
  /** 403 Unauthorized, details "The access token you provided has expired." */
  | "token-expired"
  /** 403 Unauthorized, details "The access token you provided is revoked, malformed or invalid." */
  | "token-revoked"
  /** 500 InternalFailure. */
  | "internal-failure"
  /** 503 ServiceUnavailable. */
  | "service-unavailable"
  /** The socket is destroyed before any answer; the request is not processed. */
  | "connection-reset"
  /** No answer at all until close(); the request is not processed. */
  | "hang"
  /** The request IS processed, then a 200 carries the first half of the JSON body (Content-Length matches the half). */
  | "truncated-json";

/** The fixed replies; the other faults act on the socket or the real reply. */
export const FAULT_REPLIES: Partial<Record<SpApiFault, FakeReply>> = {
  "quota-exceeded": QUOTA_EXCEEDED,
  "quota-exceeded-no-rate-header": { ...QUOTA_EXCEEDED, rateHeader: false },
  "token-expired": unauthorized(EXPIRED_DETAILS),
  "token-revoked": unauthorized(REVOKED_DETAILS),
  "internal-failure": errorReply(
    500,
    "InternalFailure",
    "We encountered an internal error. Please try again.",
  ),
  "service-unavailable": errorReply(
    503,
    "ServiceUnavailable",
    "Service temporarily unavailable. Please try again.",
  ),
};

/** Faults armed per operation, served first in, first out. */
export class FaultQueue {
  private readonly armed = new Map<SpApiOperation, { fault: SpApiFault; left: number }[]>();

  arm(operation: SpApiOperation, fault: SpApiFault, times: number): void {
    if (!Number.isInteger(times) || times < 1)
      throw new Error(`times must be a positive integer, got ${times}`);
    this.armed.set(operation, [...(this.armed.get(operation) ?? []), { fault, left: times }]);
  }

  /** The fault for this request, if one is armed; counts it down. */
  take(operation: SpApiOperation): SpApiFault | undefined {
    const queue = this.armed.get(operation);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.left -= 1;
    if (head.left === 0) queue.shift();
    return head.fault;
  }

  /** How many armed requests are left for an operation. */
  pending(operation: SpApiOperation): number {
    return (this.armed.get(operation) ?? []).reduce((sum, f) => sum + f.left, 0);
  }

  clear(): void {
    this.armed.clear();
  }
}
