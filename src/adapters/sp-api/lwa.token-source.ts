import * as https from "node:https";
import { SpApiError, safeToken, transportFault } from "./spapi-errors.js";
import { type SpApiTiming, withDeadline } from "./spapi-timing.js";

export const LWA_HOST = "api.amazon.com";
const LWA_PATH = "/auth/o2/token";
/** A token is replaced this long before Amazon says it expires (tokens last an hour, sp-api.md 5). */
export const REFRESH_EARLY_MS = 5 * 60_000;

export interface LwaCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

export interface LwaGrant {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
}

/** One Login with Amazon token request. */
export type LwaFetch = () => Promise<LwaGrant>;

/**
 * The LWA access token: fetched once for any number of concurrent callers (single flight), reused
 * until five minutes before it expires, and dropped when Amazon says it expired. The package's own
 * token handling races and ignores expiry (sp-api.md 6.7), so it is switched off.
 */
export class LwaTokenSource {
  #current: { value: string; refreshAt: number } | undefined;
  #inflight: Promise<string> | undefined;
  /** How many token requests were made, for tests and diagnostics. */
  fetches = 0;

  constructor(
    private readonly fetch: LwaFetch,
    private readonly timing: SpApiTiming,
  ) {}

  token(): Promise<string> {
    const current = this.#current;
    if (current && this.timing.now() < current.refreshAt) return Promise.resolve(current.value);
    this.#inflight ??= this.#refresh().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /** Forgets `value` if it is still the current token, so the next `token()` fetches a new one. */
  invalidate(value: string): void {
    if (this.#current?.value === value) this.#current = undefined;
  }

  async #refresh(): Promise<string> {
    this.fetches += 1;
    const grant = await this.fetch();
    const lifetimeMs = grant.expiresInSeconds * 1000;
    const refreshAt = this.timing.now() + Math.max(lifetimeMs - REFRESH_EARLY_MS, lifetimeMs / 2);
    this.#current = { value: grant.accessToken, refreshAt };
    return grant.accessToken;
  }
}

/**
 * Asks Login with Amazon for an access token with the form body Amazon documents, through the
 * given agent (the loopback seam in tests). Errors name the status and LWA's error code only.
 */
export function lwaFetch(credentials: LwaCredentials, agent: https.Agent, timeoutMs: number): LwaFetch {
  return () => {
    const body = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: credentials.refreshToken,
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    }).toString();
    let request: ReturnType<typeof https.request> | undefined;
    const exchange = new Promise<{ status: number; body: string }>((resolve, reject) => {
      request = https.request(
        {
          host: LWA_HOST,
          port: 443,
          path: LWA_PATH,
          method: "POST",
          agent,
          headers: {
            "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
            "content-length": Buffer.byteLength(body),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
          );
          response.on("error", reject);
          response.on("aborted", () => reject(Object.assign(new Error("aborted"), { code: "ECONNRESET" })));
        },
      );
      request.on("error", reject);
      request.end(body);
    });
    const timedOut = () => {
      request?.destroy();
      return Object.assign(new Error("LWA deadline"), { code: "API_DEADLINE_TIMEOUT" });
    };
    return withDeadline(exchange, timeoutMs, timedOut).then(grantFrom, (error: unknown) => {
      throw transportFault(error, "LWA token", LWA_HOST);
    });
  };
}

function grantFrom(answer: { status: number; body: string }): LwaGrant {
  const json = parseObject(answer.body);
  const detail = { operation: "LWA token", status: answer.status };
  if (answer.status >= 200 && answer.status < 300) {
    const accessToken = json?.access_token;
    const expiresIn = json?.expires_in;
    if (typeof accessToken === "string" && accessToken.length > 0)
      return {
        accessToken,
        expiresInSeconds: typeof expiresIn === "number" && expiresIn > 0 ? expiresIn : 3600,
      };
    throw new SpApiError("SPAPI_BAD_RESPONSE", "Login with Amazon sent no access token", detail, true);
  }
  const lwaCode = safeToken(json?.error);
  const withCode = lwaCode ? { ...detail, amazonCode: lwaCode } : detail;
  if (answer.status >= 500 || answer.status === 429)
    throw new SpApiError("SPAPI_LWA_UNAVAILABLE", "Login with Amazon failed", withCode, true);
  throw new SpApiError(
    "SPAPI_LWA_REJECTED",
    "Login with Amazon refused the credentials; check SPAPI_CLIENT_ID, SPAPI_CLIENT_SECRET and SPAPI_REFRESH_TOKEN (the app may have been de-authorised or its secret rotated)",
    withCode,
    false,
  );
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
