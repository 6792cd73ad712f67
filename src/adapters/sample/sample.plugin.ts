import { ContainerModule } from "inversify";
import type { Plugin } from "../../app/composition/plugin.js";
import { Marketplace } from "../../app/ports/marketplace.port.js";
import { SampleMarketplace } from "./sample.marketplace.js";

/** Invented, deterministic demo orders; confirmations are recorded locally instead of sent to Amazon. */
export const samplePlugin: Plugin = {
  family: "marketplace",
  name: "sample",
  summary: "demo orders generated from a seed; confirmations recorded under storage.dataDir",
  module: () =>
    new ContainerModule(({ bind }) => {
      bind(Marketplace).to(SampleMarketplace).inSingletonScope();
    }),
};
