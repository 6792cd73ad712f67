import { accessSync, constants } from "node:fs";
import { ContainerModule } from "inversify";
import type { Plugin } from "../../app/composition/plugin.js";
import { Marketplace } from "../../app/ports/marketplace.port.js";
import { SpApiMarketplace } from "./sp-api.marketplace.js";
import { insecureTlsProblem } from "./spapi-tls.js";

/**
 * Amazon's Selling Partner API. Secrets are not configuration: they come from the environment and
 * are checked on first use (SPAPI_CREDENTIALS_MISSING), so the Essendant steps still run without
 * them. Settings that would weaken TLS stop start-up itself.
 */
export const spApiPlugin: Plugin = {
  family: "marketplace",
  name: "sp-api",
  summary:
    "Amazon SP-API: Orders v2026-01-01 searchOrders in, v0 confirmShipment out (secrets from SPAPI_* variables)",
  check: (config, env) => {
    const problems: string[] = [];
    const insecure = insecureTlsProblem(env ?? {});
    if (insecure) problems.push(`the environment weakens TLS for SP-API: ${insecure}`);
    const loopback = config.amazon.loopback;
    if (!loopback) return problems;
    try {
      accessSync(loopback.caFile, constants.R_OK);
    } catch {
      problems.push(
        `amazon.loopback.caFile ${loopback.caFile} does not exist or cannot be read; point it at the PEM certificate of the CA that signed the loopback server's certificate, or remove amazon.loopback`,
      );
    }
    return problems;
  },
  module: () =>
    new ContainerModule(({ bind }) => {
      bind(Marketplace).to(SpApiMarketplace).inSingletonScope();
    }),
};
