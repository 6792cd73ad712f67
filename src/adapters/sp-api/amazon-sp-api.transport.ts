import type * as https from "node:https";
import { SellingPartner } from "amazon-sp-api";
import type { SpApiOperation } from "../../app/config/config.js";
import type { LwaCredentials } from "./lwa.token-source.js";

/** One SP-API request, before the access token is added. */
export interface SpApiRequest {
  readonly operation: SpApiOperation;
  readonly path?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number | readonly string[]>>;
  readonly body?: unknown;
}

/** Amazon's answer as it came: status, headers (lower-case names) and the body text. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** Sends one request, once; retries, throttling and tokens are the caller's. */
export interface SpApiTransport {
  send(accessToken: string, request: SpApiRequest): Promise<RawResponse>;
}

/** Orders API version of each operation: reads on v2026-01-01 (v0 reads are deprecated), confirmations on v0. */
const VERSIONS: Readonly<Record<SpApiOperation, string>> = {
  searchOrders: "2026-01-01",
  getOrder: "2026-01-01",
  confirmShipment: "v0",
};

/** The package's raw result (`options.raw_result`); its `request` field holds the token and is never read. */
interface PackageRawResult {
  readonly statusCode?: number;
  readonly headers?: Record<string, string | string[] | undefined>;
  readonly body?: string;
}

export interface PackageTransportOptions {
  readonly region: "na" | "eu" | "fe";
  readonly credentials: LwaCredentials;
  readonly agent: https.Agent;
  readonly timeoutMs: number;
}

/**
 * `amazon-sp-api` 1.2.1 reduced to what it does well: building the URL, query and headers and
 * sending one request through our agent. Everything it would do on its own is switched off
 * (sp-api.md 6.2, 6.7, 6.12): token requests, throttle retries, network retries, debug logging.
 * `raw_result` returns status and headers untouched, so the caller sees every 403, 429 and 5xx.
 */
export class AmazonSpApiTransport implements SpApiTransport {
  #client: { token: string; sp: SellingPartner } | undefined;

  constructor(private readonly options: PackageTransportOptions) {}

  async send(accessToken: string, request: SpApiRequest): Promise<RawResponse> {
    const sp = this.#clientFor(accessToken);
    // callAPI mutates its argument (sp-api.md 6.3): a fresh object every time.
    const result = (await sp.callAPI({
      operation: request.operation,
      endpoint: "orders",
      ...(request.path ? { path: { ...request.path } } : {}),
      ...(request.query ? { query: { ...request.query } } : {}),
      ...(request.body === undefined ? {} : { body: request.body }),
      options: { version: VERSIONS[request.operation], raw_result: true },
    })) as PackageRawResult;
    return {
      status: result.statusCode ?? 0,
      headers: result.headers ?? {},
      body: result.body ?? "",
    };
  }

  /** One package client per access token: the package has no setter, and tokens change hourly. */
  #clientFor(token: string): SellingPartner {
    if (this.#client?.token !== token) {
      const { region, credentials, agent, timeoutMs } = this.options;
      const sp = new SellingPartner({
        region,
        refresh_token: credentials.refreshToken,
        access_token: token,
        credentials: {
          SELLING_PARTNER_APP_CLIENT_ID: credentials.clientId,
          SELLING_PARTNER_APP_CLIENT_SECRET: credentials.clientSecret,
        },
        options: {
          auto_request_tokens: false,
          auto_request_throttled: false,
          retry_remote_timeout: false,
          version_fallback: false,
          debug_log: false,
          https_proxy_agent: agent,
          // No `response` timeout: the package never clears it after an empty 204 answer, and the
          // live timer then keeps a finished `cycle` from exiting. `deadline` covers the first byte.
          timeouts: { idle: timeoutMs, deadline: timeoutMs },
        },
      });
      this.#client = { token, sp };
    }
    return this.#client.sp;
  }
}
