import { readFileSync } from "node:fs";
import path from "node:path";
import { checkRetentionPolicy } from "../../domain/retention.js";
import { ConfigError } from "../errors.js";
import { type Config, DEFAULTS, type SftpOptions } from "./config.js";
import { schemaProblems } from "./config-schema.js";

/** The raw file's shape once the schema accepted it. */
interface RawConfig {
  adapters: Config["adapters"];
  amazon: {
    region: Config["amazon"]["region"];
    marketplaceId: string;
    sample?: Partial<Config["amazon"]["sample"]>;
    loopback?: { port: number; caFile: string };
    rateLimits?: Partial<Config["amazon"]["rateLimits"]>;
    firstPollHours?: number;
    requestTimeoutSeconds?: number;
    maxRetries?: number;
  };
  essendant: Omit<
    Config["essendant"],
    "paths" | "maxInboundBytes" | "backorderPolicy" | "facilitySplit" | "localFolder" | "sftp"
  > & {
    paths?: Partial<Config["essendant"]["paths"]>;
    maxInboundBytes?: number;
    backorderPolicy?: Config["essendant"]["backorderPolicy"];
    facilitySplit?: Config["essendant"]["facilitySplit"];
    localFolder?: {
      root: string;
      simulator?: Partial<NonNullable<Config["essendant"]["localFolder"]>["simulator"]>;
    };
    sftp?: Pick<SftpOptions, "host" | "username" | "privateKeyFile" | "hostKeySha256"> & Partial<SftpOptions>;
  };
  storage: Omit<Config["storage"], "backupDir"> & { backupDir?: string };
  retention?: Partial<Config["retention"]>;
  schedule?: Partial<Config["schedule"]>;
  logging?: Partial<Config["logging"]>;
  security?: Partial<Config["security"]>;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new ConfigError(
        `configuration file ${file} does not exist; pass --config FILE, set FULFILLMENT_CONFIG, or copy config/example.json to it`,
      );
    }
    throw new ConfigError(
      `cannot read configuration file ${file} (${code ?? "error"}); check the path and its permissions`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`configuration file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Relative paths in the configuration are relative to the working directory, like the examples in README. */
function resolvePath(value: string, cwd: string): string {
  return path.resolve(cwd, value);
}

/**
 * Reads and validates the configuration file: unknown keys, wrong types and broken retention promises
 * are ConfigErrors naming the key and the valid values. Nothing is created or touched on disk.
 */
export function loadConfig(file: string, cwd: string = process.cwd()): Config {
  const absolute = path.resolve(cwd, file);
  const raw = readJson(absolute);
  const problems = schemaProblems(raw);
  if (problems.length > 0) {
    throw new ConfigError(`configuration file ${absolute} is invalid:\n  - ${problems.join("\n  - ")}`);
  }
  const c = raw as RawConfig;
  const retention = { ...DEFAULTS.retention, ...c.retention };
  const retentionProblem = checkRetentionPolicy(retention);
  if (retentionProblem)
    throw new ConfigError(`configuration file ${absolute} is invalid: ${retentionProblem}`);
  const { localFolder: local, sftp, ...essendant } = c.essendant;
  return {
    file: absolute,
    adapters: c.adapters,
    amazon: {
      region: c.amazon.region,
      marketplaceId: c.amazon.marketplaceId,
      sample: { ...DEFAULTS.sample, ...c.amazon.sample },
      ...(c.amazon.loopback
        ? { loopback: { port: c.amazon.loopback.port, caFile: resolvePath(c.amazon.loopback.caFile, cwd) } }
        : {}),
      rateLimits: { ...DEFAULTS.rateLimits, ...c.amazon.rateLimits },
      firstPollHours: c.amazon.firstPollHours ?? DEFAULTS.amazon.firstPollHours,
      requestTimeoutSeconds: c.amazon.requestTimeoutSeconds ?? DEFAULTS.amazon.requestTimeoutSeconds,
      maxRetries: c.amazon.maxRetries ?? DEFAULTS.amazon.maxRetries,
    },
    essendant: {
      ...essendant,
      backorderPolicy: c.essendant.backorderPolicy ?? "SHIP_AVAILABLE_CANCEL_REST",
      facilitySplit: c.essendant.facilitySplit ?? "ALLOW_SPLIT",
      paths: { ...DEFAULTS.essendantPaths, ...c.essendant.paths },
      skuMapFile: resolvePath(c.essendant.skuMapFile, cwd),
      maxInboundBytes: c.essendant.maxInboundBytes ?? DEFAULTS.maxInboundBytes,
      ...(sftp
        ? { sftp: { ...DEFAULTS.sftp, ...sftp, privateKeyFile: resolvePath(sftp.privateKeyFile, cwd) } }
        : {}),
      ...(local
        ? {
            localFolder: {
              root: resolvePath(local.root, cwd),
              simulator: {
                enabled: local.simulator?.enabled ?? false,
                asnDelaySeconds: local.simulator?.asnDelaySeconds ?? DEFAULTS.simulator.asnDelaySeconds,
                invoiceDelaySeconds:
                  local.simulator?.invoiceDelaySeconds ?? DEFAULTS.simulator.invoiceDelaySeconds,
                backorderItems: local.simulator?.backorderItems ?? [],
                cancelItems: local.simulator?.cancelItems ?? [],
              },
            },
          }
        : {}),
    },
    storage: {
      dataDir: resolvePath(c.storage.dataDir, cwd),
      logDir: resolvePath(c.storage.logDir, cwd),
      ...(c.storage.keyFile ? { keyFile: resolvePath(c.storage.keyFile, cwd) } : {}),
      ...(c.storage.createKeyFileIfMissing ? { createKeyFileIfMissing: true } : {}),
      backupDir: resolvePath(c.storage.backupDir ?? path.join(c.storage.dataDir, "backups"), cwd),
    },
    retention,
    schedule: { ...DEFAULTS.schedule, ...c.schedule },
    logging: { level: c.logging?.level ?? "info" },
    security: { ...DEFAULTS.security, ...c.security },
  };
}
