import * as https from "node:https";
import type { Duplex } from "node:stream";
import * as tls from "node:tls";
import { IntegrationError } from "../../app/errors.js";

const MIN_TLS = "TLSv1.2";

/**
 * Whether to keep connections alive: a TLS handshake per call costs more than the call. Node
 * unreferences idle pooled sockets, so they never keep a finished `cycle` from exiting. Deno
 * (2.9.6) re-sends a request, unseen, when a kept-alive connection is reset after it was sent,
 * which would bypass the token bucket and our retry accounting, so under Deno every call has a
 * connection of its own.
 */
export const REUSE_CONNECTIONS = !("Deno" in globalThis);

/**
 * The `amazon.loopback` seam (sp-api.md 6.5): every connection, SP-API and Login with Amazon, goes
 * to 127.0.0.1:port, while the certificate is still verified for Amazon's real host name against
 * the given CA. Passed to the package as `https_proxy_agent` and used for our own LWA calls.
 */
export class LoopbackAgent extends https.Agent {
  constructor(
    private readonly port: number,
    private readonly ca: Buffer,
  ) {
    super({ keepAlive: REUSE_CONNECTIONS, minVersion: MIN_TLS });
  }

  override createConnection(options: https.RequestOptions): Duplex {
    const servername = options.servername || String(options.hostname ?? options.host ?? "");
    return tls.connect({ host: "127.0.0.1", port: this.port, servername, ca: this.ca, minVersion: MIN_TLS });
  }
}

/** Amazon's real endpoints with TLS 1.2 at least, or the loopback seam when configured. */
export function spApiAgent(
  loopback: { readonly port: number; readonly ca: Buffer } | undefined,
): https.Agent {
  return loopback
    ? new LoopbackAgent(loopback.port, loopback.ca)
    : new https.Agent({ keepAlive: REUSE_CONNECTIONS, minVersion: MIN_TLS });
}

const LOWERED_MINIMUM = /(^|\s)--tls-min-v1\.[01](\s|=|$)/;

/**
 * Why the process's TLS settings are unsafe for Amazon traffic, or undefined. Certificate checks
 * switched off, or a TLS minimum below 1.2, would silently apply to every connection (reliability
 * and security reference 4.1; Amazon's DPP requires TLS 1.2+).
 */
export function insecureTlsProblem(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.NODE_TLS_REJECT_UNAUTHORIZED === "0")
    return "NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate verification; unset it";
  if (LOWERED_MINIMUM.test(env.NODE_OPTIONS ?? ""))
    return "NODE_OPTIONS lowers the TLS minimum below 1.2 (--tls-min-v1.0/--tls-min-v1.1); remove that option";
  if (tls.DEFAULT_MIN_VERSION === "TLSv1" || tls.DEFAULT_MIN_VERSION === "TLSv1.1")
    return `the runtime's TLS minimum is ${tls.DEFAULT_MIN_VERSION}; start it without --tls-min-v1.0/--tls-min-v1.1`;
  return undefined;
}

/** Throws INSECURE_TLS_SETTINGS when `insecureTlsProblem` finds one. */
export function refuseInsecureTls(env: Readonly<Record<string, string | undefined>>): void {
  const problem = insecureTlsProblem(env);
  if (problem)
    throw new IntegrationError("INSECURE_TLS_SETTINGS", `refusing to call Amazon: ${problem}`, false);
}
