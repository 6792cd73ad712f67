import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SampleMarketplace } from "../../src/adapters/sample/sample.marketplace.js";
import { FakeMarketplace } from "../support/fakes/fake.marketplace.js";
import { FixedClock } from "../support/fakes/fixed.clock.js";
import { aLocalFolderConfig } from "../support/local-folder-config.js";
import { anAmazonOrder } from "../support/order-mother.js";
import { marketplaceContract } from "./marketplace.contract.js";

marketplaceContract("fake", () => {
  const marketplace = new FakeMarketplace(2);
  return {
    marketplace,
    newOrders: (count) => {
      for (let i = 0; i < count; i++) marketplace.add(anAmazonOrder());
    },
    confirmations: () => marketplace.confirmations(),
    dispose: () => {},
  };
});

marketplaceContract("sample", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "sample-marketplace-"));
  const base = aLocalFolderConfig(root);
  const config = {
    ...base,
    amazon: { ...base.amazon, sample: { intervalSeconds: 30, firstPollOrders: 3, seed: 7 } },
  };
  const clock = new FixedClock("2026-12-04T10:11:12Z");
  const marketplace = new SampleMarketplace(config, clock);
  return {
    marketplace,
    newOrders: (count) => clock.advance(count * 30_000),
    confirmations: () => marketplace.confirmations(),
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
});
