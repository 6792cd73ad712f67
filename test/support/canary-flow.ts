import type { Container } from "inversify";
import { buildContainer } from "../../src/app/composition/container.js";
import type { Config } from "../../src/app/config/config.js";
import { Marketplace } from "../../src/app/ports/marketplace.port.js";
import { RunSteps } from "../../src/app/use-cases/run-cycle.use-case.js";
import type { ShipToFields } from "../../src/domain/ship-to.js";
import { fakePlugin } from "./app-harness.js";
import type { FakeMarketplace } from "./fakes/fake.marketplace.js";
import type { FixedClock } from "./fakes/fixed.clock.js";

/** Ship-to values no real address contains, so a search of files and outputs can only find them as leaks. */
export const CANARY_SHIP_TO: Partial<ShipToFields> = {
  name: "Quentin Zyxwvut",
  company: "Canarycorp Zyx",
  line1: "4242 Xylophone Canaryway",
  line2: "Suite Qqqq 77",
};

/** The container `fulfillment cycle` builds from `config`, with Amazon replaced by `amazon`. */
export function cycleContainer(config: Config, amazon: FakeMarketplace, clock: FixedClock): Container {
  return buildContainer(
    config,
    { command: "cycle", consoleEvents: false },
    { plugins: { marketplace: fakePlugin("marketplace", [[Marketplace, amazon]]) }, clock },
  );
}

/**
 * Runs full cycles 20 s apart: with the demo's simulator, four passes take an order from import
 * through acknowledgement and ship notice to its confirmation.
 */
export async function runCycles(container: Container, clock: FixedClock, passes = 4): Promise<void> {
  for (let i = 0; i < passes; i++) {
    await container.get(RunSteps).cycle();
    clock.advance(20_000);
  }
}
