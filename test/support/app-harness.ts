import "reflect-metadata";
import { ContainerModule, type ServiceIdentifier } from "inversify";
import { buildContainer } from "../../src/app/composition/container.js";
import type { Plugin, PluginFamily } from "../../src/app/composition/plugin.js";
import type { Config } from "../../src/app/config/config.js";
import { AlertSink } from "../../src/app/ports/alert-sink.port.js";
import { EventLog } from "../../src/app/ports/event-log.port.js";
import { Marketplace } from "../../src/app/ports/marketplace.port.js";
import { OrderStore } from "../../src/app/ports/order-store.port.js";
import { SupplierGateway } from "../../src/app/ports/supplier-gateway.port.js";
import { CollectSupplierDocuments } from "../../src/app/use-cases/collect-supplier-documents.use-case.js";
import { ConfirmShipments } from "../../src/app/use-cases/confirm-shipments.use-case.js";
import { ImportOrders } from "../../src/app/use-cases/import-orders.use-case.js";
import { PurgePii } from "../../src/app/use-cases/purge-pii.use-case.js";
import { RunSteps } from "../../src/app/use-cases/run-cycle.use-case.js";
import { SubmitPurchaseOrders } from "../../src/app/use-cases/submit-purchase-orders.use-case.js";
import type { SkuMap, SkuMapping } from "../../src/domain/sku-map.js";
import { FakeClockWitness } from "./fakes/fake.clock-witness.js";
import { FakeMarketplace } from "./fakes/fake.marketplace.js";
import { FixedClock } from "./fakes/fixed.clock.js";
import { MemoryAlertSink } from "./fakes/memory.alert-sink.js";
import { MemoryEventLog } from "./fakes/memory.event-log.js";
import { MemoryOrderStore } from "./fakes/memory.order-store.js";
import { MemoryQuarantine } from "./fakes/memory.quarantine.js";
import { MemorySupplierGateway } from "./fakes/memory.supplier-gateway.js";
import { aLocalFolderConfig } from "./local-folder-config.js";

/** A plugin that binds ready-made instances: how tests swap fakes in through the real composition root. */
export function fakePlugin(family: PluginFamily, bindings: [ServiceIdentifier<unknown>, unknown][]): Plugin {
  return {
    family,
    name: `fake-${family}`,
    summary: "test fake",
    module: () =>
      new ContainerModule(({ bind }) => {
        for (const [token, instance] of bindings) bind(token).toConstantValue(instance);
      }),
  };
}

export const HARNESS_SKUS: SkuMap = new Map(
  (
    [
      ["PAPER", "UNV21200", "CT", 1, "37.95"],
      ["PAPER-2PK", "UNV21200", "CT", 2, "37.95"],
      ["PENS", "BICGSM11BK", "DZ", 1],
    ] as const
  ).map(([sellerSku, itemNumber, uom, unitsPerSku, cost]): [string, SkuMapping] => [
    sellerSku,
    { sellerSku, itemNumber, uom, unitsPerSku, ...(cost ? { expectedUnitCost: cost } : {}) },
  ]),
);

/** The application wired by buildContainer with every port on a fake, and the fakes at hand. */
export function anApp(
  options: {
    skuMap?: SkuMap;
    config?: (c: Config) => Config;
    pageSize?: number;
    /** Another in-memory store (a subclass that counts or fails commits, say). */
    store?: MemoryOrderStore;
    /** What the application talks to instead of Essendant's server in memory (`gateway`), e.g. a wrapper around it. */
    wrapGateway?: (server: MemorySupplierGateway) => SupplierGateway;
  } = {},
) {
  const clock = new FixedClock("2026-12-04T10:00:00Z");
  const marketplace = new FakeMarketplace(options.pageSize);
  const gateway = new MemorySupplierGateway();
  const store = options.store ?? new MemoryOrderStore();
  const alerts = new MemoryAlertSink(clock);
  const log = new MemoryEventLog();
  const quarantine = new MemoryQuarantine();
  const base = aLocalFolderConfig("/nonexistent/harness");
  const config = (options.config ?? ((c) => c))({
    ...base,
    essendant: { ...base.essendant, shipMethods: { STANDARD: "GRND", SECOND_DAY: "2DAY" } },
  });
  let n = 0;
  const container = buildContainer(
    config,
    { command: "test", consoleEvents: false },
    {
      plugins: {
        marketplace: fakePlugin("marketplace", [[Marketplace, marketplace]]),
        supplier: fakePlugin("supplier", [[SupplierGateway, options.wrapGateway?.(gateway) ?? gateway]]),
        store: fakePlugin("store", [
          [OrderStore, store],
          [AlertSink, alerts],
        ]),
        logger: fakePlugin("logger", [[EventLog, log]]),
      },
      skuMap: options.skuMap ?? HARNESS_SKUS,
      clock,
      // One boot whose uptime follows the test clock: moving the clock is time passing, not a jump.
      clockWitness: FakeClockWitness.following(clock),
      quarantine,
      ids: { uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}` },
    },
  );
  return {
    container,
    config,
    clock,
    marketplace,
    gateway,
    store,
    alerts,
    log,
    quarantine,
    importOrders: () => container.get(ImportOrders).execute(),
    submit: () => container.get(SubmitPurchaseOrders).execute(),
    collect: () => container.get(CollectSupplierDocuments).execute(),
    confirm: () => container.get(ConfirmShipments).execute(),
    purge: (dryRun = false) => container.get(PurgePii).execute({ dryRun }),
    steps: container.get(RunSteps),
  };
}

export type App = ReturnType<typeof anApp>;
