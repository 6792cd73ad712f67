import type { RateLimit, SpApiOperation } from "../../app/config/config.js";
import type { EventLog } from "../../app/ports/event-log.port.js";
import type { RawResponse, SpApiRequest, SpApiTransport } from "./amazon-sp-api.transport.js";
import type { LwaTokenSource } from "./lwa.token-source.js";
import { SpApiError, safeToken, transportFault } from "./spapi-errors.js";
import { backoffMs, type SpApiTiming, withDeadline } from "./spapi-timing.js";
import type { StoreTokenBucket } from "./store.token-bucket.js";

/** A 2xx answer, or a 400/404 the caller interprets; `json` is undefined for an empty body. */
export interface SpApiAnswer {
  readonly status: number;
  readonly requestId?: string;
  readonly json: unknown;
}

export interface SpApiClientOptions {
  readonly transport: SpApiTransport;
  readonly tokens: LwaTokenSource;
  readonly bucket: StoreTokenBucket;
  readonly timing: SpApiTiming;
  readonly log: EventLog;
  readonly rateLimits: Readonly<Record<SpApiOperation, RateLimit>>;
  /** Retries of a throttled, failed or timed-out call (amazon.maxRetries). */
  readonly maxRetries: number;
  /** The package's own deadline; ours fires a little later in case its promise never settles. */
  readonly timeoutMs: number;
  readonly host: string;
}

type Verdict =
  | { readonly kind: "answer"; readonly answer: SpApiAnswer }
  | { readonly kind: "expired"; readonly fault: SpApiError }
  | { readonly kind: "fault"; readonly fault: SpApiError; readonly floorMs?: number };

const EXPIRED = /access token.*expired/i;
/** Our deadline's margin over the package's, so the package reports its own timeout when it can. */
const deadlineMargin = (timeoutMs: number) => Math.min(1000, timeoutMs / 4);

/**
 * Owns reliability for SP-API calls (sp-api.md 6.12): our LWA token, a shared token bucket per
 * operation, a deadline on every call, bounded exponential back-off with jitter on 429 (never
 * sooner than Amazon's restore interval), 5xx, network faults, timeouts and cut-off JSON, and
 * one token refresh when Amazon says the token expired. Errors carry status, Amazon's code and
 * request id, never a token, a secret or a body.
 */
export class SpApiClient {
  constructor(private readonly o: SpApiClientOptions) {}

  async call(request: SpApiRequest): Promise<SpApiAnswer> {
    const { operation } = request;
    let retries = 0;
    let refreshed = false;
    for (;;) {
      let fault: SpApiError;
      let floorMs = 0;
      let sending = false;
      try {
        const token = await this.o.tokens.token();
        await this.o.bucket.take(operation);
        sending = true;
        const raw = await withDeadline(
          this.o.transport.send(token, request),
          this.o.timeoutMs + deadlineMargin(this.o.timeoutMs),
          () => Object.assign(new Error("deadline"), { code: "API_DEADLINE_TIMEOUT" }),
        );
        const verdict = this.#judge(operation, raw);
        if (verdict.kind === "answer") return verdict.answer;
        fault = verdict.fault;
        if (verdict.kind === "expired") {
          this.o.tokens.invalidate(token);
          if (!refreshed) {
            refreshed = true;
            this.o.log.info("spapi.token-expired", { errorMessage: fault.message });
            continue;
          }
        } else floorMs = verdict.floorMs ?? 0;
      } catch (error) {
        // LWA faults are SpApiErrors already; a store failure in the bucket is not ours to re-label.
        if (!sending && !(error instanceof SpApiError)) throw error;
        fault = transportFault(error, operation, this.o.host);
      }
      if (!fault.retryable || retries >= this.o.maxRetries) {
        this.o.log.error("spapi.call-failed", this.#fields(fault, retries));
        throw fault;
      }
      retries += 1;
      const waitMs = backoffMs(this.o.timing, retries, floorMs);
      this.o.log.warn("spapi.retry", { ...this.#fields(fault, retries), durationMs: waitMs });
      await this.o.timing.sleep(waitMs);
    }
  }

  #fields(fault: SpApiError, attempt: number) {
    return {
      errorCode: fault.code,
      errorMessage: fault.message,
      retryable: fault.retryable,
      attempt,
      ...(fault.amazonCode ? { code: fault.amazonCode } : {}),
    };
  }

  #judge(operation: SpApiOperation, raw: RawResponse): Verdict {
    const requestId = safeToken(header(raw, "x-amzn-requestid"));
    const base = { operation, status: raw.status, ...(requestId ? { requestId } : {}) };
    const parsed = parseJson(raw.body);
    if ((raw.status >= 200 && raw.status < 300) || raw.status === 400 || raw.status === 404) {
      if (!parsed.ok)
        return {
          kind: "fault",
          fault: new SpApiError("SPAPI_BAD_RESPONSE", "the answer was not complete JSON", base, true),
        };
      return {
        kind: "answer",
        answer: { status: raw.status, ...(requestId ? { requestId } : {}), json: parsed.value },
      };
    }
    const first = firstError(parsed.ok ? parsed.value : undefined);
    const amazonCode = safeToken(first?.code);
    const detail = amazonCode ? { ...base, amazonCode } : base;
    if (raw.status === 401 || raw.status === 403) {
      if (typeof first?.details === "string" && EXPIRED.test(first.details))
        return {
          kind: "expired",
          fault: new SpApiError(
            "SPAPI_FORBIDDEN",
            "Amazon said the access token expired, even after a refresh",
            detail,
            false,
          ),
        };
      return {
        kind: "fault",
        fault: new SpApiError(
          "SPAPI_FORBIDDEN",
          "Amazon refused access: the app's authorisation may be revoked, or it lacks the role this call needs",
          detail,
          false,
        ),
      };
    }
    if (raw.status === 429) {
      this.o.bucket.drain(operation);
      const headerRate = Number(header(raw, "x-amzn-ratelimit-limit"));
      const rate = headerRate > 0 ? headerRate : this.o.rateLimits[operation].rate;
      return {
        kind: "fault",
        fault: new SpApiError("SPAPI_THROTTLED", "Amazon throttled the call", detail, true),
        floorMs: Math.ceil(1000 / rate),
      };
    }
    if (raw.status >= 500)
      return {
        kind: "fault",
        fault: new SpApiError("SPAPI_SERVER_ERROR", "Amazon failed to answer", detail, true),
      };
    return {
      kind: "fault",
      fault: new SpApiError("SPAPI_REQUEST_FAILED", "Amazon refused the request", detail, false),
    };
  }
}

function header(raw: RawResponse, name: string): string | undefined {
  const value = raw.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  if (body.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}

/** `errors[0]` of Amazon's error envelope, when there is one. */
export function firstError(
  json: unknown,
): { code?: unknown; message?: unknown; details?: unknown } | undefined {
  const errors = (json as { errors?: unknown } | null | undefined)?.errors;
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  return typeof first === "object" && first !== null ? first : undefined;
}
