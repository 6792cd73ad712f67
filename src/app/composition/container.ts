import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { Container } from "inversify";
import { JsonSupplierCodec } from "../../adapters/essendant/json.supplier-codec.js";
import { FsQuarantine } from "../../adapters/quarantine/fs.quarantine.js";
import { FsRetentionFiles } from "../../adapters/retention/fs.retention-files.js";
import { LinuxClockWitness } from "../../adapters/system/linux.clock-witness.js";
import { SimulatedClockWitness } from "../../adapters/system/simulated.clock-witness.js";
import { SysfsVolumeInspector } from "../../adapters/volume/sysfs.volume-inspector.js";
import type { SkuMap } from "../../domain/sku-map.js";
import type { Config } from "../config/config.js";
import { AppConfig, SkuMapToken } from "../config/config.token.js";
import { readSkuMap } from "../config/sku-map-file.js";
import { Clock } from "../ports/clock.port.js";
import { ClockWitness } from "../ports/clock-witness.port.js";
import { IdSource } from "../ports/id-source.port.js";
import { Quarantine } from "../ports/quarantine.port.js";
import { RetentionFiles } from "../ports/retention-files.port.js";
import { SupplierCodec } from "../ports/supplier-codec.port.js";
import { VolumeInspector } from "../ports/volume-inspector.port.js";
import { EncryptedVolumesQuery } from "../queries/encrypted-volumes.query.js";
import { OrderDetailsQuery } from "../queries/order-details.query.js";
import { StatusQuery } from "../queries/status.query.js";
import { BackUpStore } from "../use-cases/back-up-store.use-case.js";
import { CollectSupplierDocuments } from "../use-cases/collect-supplier-documents.use-case.js";
import { ConfirmShipments } from "../use-cases/confirm-shipments.use-case.js";
import { ImportOrders } from "../use-cases/import-orders.use-case.js";
import { PurgeClockGuard } from "../use-cases/purge-clock-guard.js";
import { PurgePii } from "../use-cases/purge-pii.use-case.js";
import { RestoreBackup } from "../use-cases/restore-backup.use-case.js";
import { RunSteps } from "../use-cases/run-cycle.use-case.js";
import { SubmitPurchaseOrders } from "../use-cases/submit-purchase-orders.use-case.js";
import type { Plugin, PluginFamily } from "./plugin.js";
import { selectPlugins } from "./plugins.js";
import { Runtime } from "./runtime.js";

/** The system clock, or the instant given with `--now` for every read. */
export function clockFor(runtime: Runtime): Clock {
  const fixed = runtime.now;
  return fixed ? { now: () => new Date(fixed.getTime()) } : { now: () => new Date() };
}

export const randomIds: IdSource = { uuid: () => randomUUID() };

export interface ContainerOptions {
  /** Plugins to use instead of the configured ones (tests swap in fakes here). */
  readonly plugins?: Partial<Record<PluginFamily, Plugin>>;
  /** A SKU map to use instead of reading `essendant.skuMapFile`. */
  readonly skuMap?: SkuMap;
  readonly clock?: Clock;
  /** Boot id, uptime and NTP state beside the clock (default: Linux's; none with a simulated clock). */
  readonly clockWitness?: ClockWitness;
  readonly ids?: IdSource;
  readonly quarantine?: Quarantine;
  /** Tells which directories are on an encrypted volume (default: the block-device graph in /sys). */
  readonly volumeInspector?: VolumeInspector;
  /** The dated log and backup files the purge deletes (tests pass a fake). */
  readonly retentionFiles?: RetentionFiles;
}

/**
 * The composition root: binds the configuration, the plugins it names and the use cases. Adapters
 * open files and connections lazily, when first resolved, so building a container touches nothing.
 */
export function buildContainer(config: Config, runtime: Runtime, options: ContainerOptions = {}): Container {
  const plugins = { ...selectPlugins(config, runtime.env), ...options.plugins };
  const container = new Container({ defaultScope: "Singleton" });
  container.bind(AppConfig).toConstantValue(config);
  container.bind(Runtime).toConstantValue(runtime);
  container.bind(SkuMapToken).toDynamicValue(() => options.skuMap ?? readSkuMap(config.essendant.skuMapFile));
  container.bind(Clock).toConstantValue(options.clock ?? clockFor(runtime));
  // The real uptime would contradict a simulated wall clock (`--now`, a test's clock).
  const witness = runtime.now || options.clock ? new SimulatedClockWitness() : new LinuxClockWitness();
  container.bind(ClockWitness).toConstantValue(options.clockWitness ?? witness);
  container.bind(IdSource).toConstantValue(options.ids ?? randomIds);
  container.bind(SupplierCodec).to(JsonSupplierCodec);
  if (options.quarantine) container.bind(Quarantine).toConstantValue(options.quarantine);
  else container.bind(Quarantine).to(FsQuarantine);
  if (options.retentionFiles) container.bind(RetentionFiles).toConstantValue(options.retentionFiles);
  else container.bind(RetentionFiles).to(FsRetentionFiles);
  container.bind(VolumeInspector).toConstantValue(options.volumeInspector ?? new SysfsVolumeInspector());
  for (const plugin of Object.values(plugins)) container.load(plugin.module(config));
  container.bind(ImportOrders).toSelf();
  container.bind(SubmitPurchaseOrders).toSelf();
  container.bind(CollectSupplierDocuments).toSelf();
  container.bind(ConfirmShipments).toSelf();
  container.bind(PurgeClockGuard).toSelf();
  container.bind(PurgePii).toSelf();
  container.bind(BackUpStore).toSelf();
  container.bind(RestoreBackup).toSelf();
  container.bind(RunSteps).toSelf();
  container.bind(StatusQuery).toSelf();
  container.bind(EncryptedVolumesQuery).toSelf();
  container.bind(OrderDetailsQuery).toSelf();
  return container;
}
