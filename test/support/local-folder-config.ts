import { type Config, DEFAULTS, type LocalFolderOptions } from "../../src/app/config/config.js";

/** A complete configuration for the local-folder supplier rooted at `root` (simulator off unless given). */
export function aLocalFolderConfig(
  root: string,
  options: { maxInboundBytes?: number; simulator?: Partial<LocalFolderOptions["simulator"]> } = {},
): Config {
  return {
    file: `${root}/config.json`,
    adapters: { marketplace: "sample", supplier: "local-folder", store: "sqlite", logger: "tslog" },
    amazon: {
      region: "na",
      marketplaceId: "ATVPDKIKX0DER",
      sample: DEFAULTS.sample,
      rateLimits: DEFAULTS.rateLimits,
      ...DEFAULTS.amazon,
    },
    essendant: {
      accountNumber: "123456",
      environment: "TEST",
      senderId: "TP-OURCO",
      senderName: "Our Company LLC",
      backorderPolicy: "SHIP_AVAILABLE_CANCEL_REST",
      facilitySplit: "ALLOW_SPLIT",
      paths: DEFAULTS.essendantPaths,
      skuMapFile: `${root}/sku-map.csv`,
      shipMethods: { STANDARD: "GRND" },
      carriers: { UPSN: "UPS" },
      maxInboundBytes: options.maxInboundBytes ?? DEFAULTS.maxInboundBytes,
      localFolder: {
        root,
        simulator: {
          enabled: false,
          asnDelaySeconds: 8,
          invoiceDelaySeconds: 20,
          backorderItems: [],
          cancelItems: [],
          ...options.simulator,
        },
      },
    },
    storage: {
      dataDir: `${root}/data`,
      logDir: `${root}/logs`,
      keyFile: `${root}/keys/data.key`,
      createKeyFileIfMissing: true,
      backupDir: `${root}/backups`,
    },
    retention: DEFAULTS.retention,
    schedule: DEFAULTS.schedule,
    logging: { level: "info" },
    // Test machines have no LUKS volume; production configurations keep the default (true).
    security: { requireEncryptedVolume: false },
  };
}
