import type { BackorderPolicy, FacilitySplit } from "../../domain/purchase-order.js";
import type { RetentionPolicy } from "../../domain/retention.js";

/** The validated configuration, defaults filled in and paths made absolute. */
export interface Config {
  /** Absolute path of the file this came from. */
  readonly file: string;
  readonly adapters: {
    readonly marketplace: string;
    readonly supplier: string;
    readonly store: string;
    readonly logger: string;
  };
  readonly amazon: {
    readonly region: "na" | "eu" | "fe";
    readonly marketplaceId: string;
    readonly sample: SampleMarketplaceOptions;
    /** Tests and staging only: all SP-API and LWA traffic to 127.0.0.1:port, verified against caFile (absolute). */
    readonly loopback?: { readonly port: number; readonly caFile: string };
    /** Per-operation token buckets; Amazon's documented values unless overridden. */
    readonly rateLimits: Readonly<Record<SpApiOperation, RateLimit>>;
    /** How far back the very first poll looks for orders. */
    readonly firstPollHours: number;
    readonly requestTimeoutSeconds: number;
    /** Retries of a throttled, failed or timed-out SP-API call before the step reports it. */
    readonly maxRetries: number;
  };
  readonly essendant: EssendantConfig;
  readonly storage: {
    readonly dataDir: string;
    readonly logDir: string;
    /** Absolute path of the key-encryption key file, when configured (the sqlite store requires it). */
    readonly keyFile?: string;
    /** Demo only: create the key file on first start instead of refusing to start without it. */
    readonly createKeyFileIfMissing?: boolean;
    /** Absolute path of the encrypted backups' directory (default `<dataDir>/backups`). */
    readonly backupDir: string;
  };
  readonly retention: RetentionPolicy & {
    /** Days log files are kept: at least 90 (the seller's policy), 365 by default (Amazon's DPP asks for 12 months). */
    readonly logDays: number;
    /** Days an encrypted backup is kept before the daily job deletes it. */
    readonly backupDays: number;
  };
  readonly schedule: {
    readonly timezone: string;
    readonly cycle: string;
    readonly purge: string;
    readonly backup: string;
  };
  readonly security: {
    /** Refuse to start unless dataDir, logDir and backupDir are on a dm-crypt (LUKS) device. */
    readonly requireEncryptedVolume: boolean;
  };
  readonly logging: { readonly level: "debug" | "info" | "warn" | "error" };
}

export type SpApiOperation = "searchOrders" | "getOrder" | "confirmShipment";

/** A token bucket: `rate` requests per second refill, up to `burst` at once. */
export interface RateLimit {
  readonly rate: number;
  readonly burst: number;
}

export interface SampleMarketplaceOptions {
  /** A new demo order appears every this many seconds of clock time. */
  readonly intervalSeconds: number;
  /** How many orders the first poll finds. */
  readonly firstPollOrders: number;
  readonly seed: number;
}

export interface EssendantConfig {
  readonly accountNumber: string;
  readonly environment: "TEST" | "PRODUCTION";
  readonly senderId: string;
  readonly senderName?: string;
  readonly shipFromLabel?: string;
  readonly backorderPolicy: BackorderPolicy;
  readonly facilitySplit: FacilitySplit;
  readonly paths: {
    readonly outbound: string;
    readonly inbound: string;
    readonly archive: string;
    readonly errors: string;
  };
  /** Absolute path of the SKU map CSV. */
  readonly skuMapFile: string;
  readonly shipMethods: Readonly<Record<string, string>>;
  readonly carriers: Readonly<Record<string, string>>;
  readonly maxInboundBytes: number;
  readonly localFolder?: LocalFolderOptions;
  readonly sftp?: SftpOptions;
}

export interface SftpOptions {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** Absolute path of the private key (OpenSSH format); it must not be readable by group or others. */
  readonly privateKeyFile: string;
  /** The server's host key fingerprint as `ssh-keygen -lf` prints it: `SHA256:` + 43 base64 characters. */
  readonly hostKeySha256: string;
  readonly connectTimeoutSeconds: number;
  readonly operationTimeoutSeconds: number;
  /** Further attempts after a failed connection, with exponential back-off. */
  readonly reconnectAttempts: number;
}

export interface LocalFolderOptions {
  /** Absolute path of the directory that stands in for the SFTP server's root. */
  readonly root: string;
  readonly simulator: {
    readonly enabled: boolean;
    readonly asnDelaySeconds: number;
    readonly invoiceDelaySeconds: number;
    /** Item numbers the simulator acknowledges as backordered (shipped later) or cancelled. */
    readonly backorderItems: readonly string[];
    readonly cancelItems: readonly string[];
  };
}

export const DEFAULTS = {
  essendantPaths: { outbound: "/in", inbound: "/out", archive: "/out/archive", errors: "/out/errors" },
  maxInboundBytes: 5 * 1024 * 1024,
  retention: {
    piiDaysAfterShipment: 30,
    piiHardCapDays: 60,
    hardCapAlertDays: 7,
    logDays: 365,
    backupDays: 7,
  },
  schedule: { timezone: "UTC", cycle: "*/5 * * * *", purge: "15 3 * * *", backup: "45 2 * * *" },
  security: { requireEncryptedVolume: true },
  sample: { intervalSeconds: 30, firstPollOrders: 3, seed: 1 },
  /** Amazon's documented limits (Orders API v2026-01-01 searchOrders/getOrder, v0 confirmShipment). */
  rateLimits: {
    searchOrders: { rate: 0.0056, burst: 20 },
    getOrder: { rate: 0.5, burst: 30 },
    confirmShipment: { rate: 2, burst: 10 },
  },
  amazon: { firstPollHours: 72, requestTimeoutSeconds: 30, maxRetries: 4 },
  simulator: { asnDelaySeconds: 8, invoiceDelaySeconds: 20 },
  sftp: { port: 22, connectTimeoutSeconds: 20, operationTimeoutSeconds: 60, reconnectAttempts: 3 },
} as const;
