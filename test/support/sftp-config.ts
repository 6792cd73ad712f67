import {
  type Config,
  DEFAULTS,
  type EssendantConfig,
  type SftpOptions,
} from "../../src/app/config/config.js";
import { aLocalFolderConfig } from "./local-folder-config.js";

/** What a test SFTP server (in-process or real sshd) tells its clients. */
export interface TestSftpServer {
  readonly port: number;
  readonly username: string;
  readonly hostFingerprint: string;
  readonly clientKeyFile: string;
  readonly paths?: EssendantConfig["paths"];
}

/**
 * A complete configuration for the essendant-sftp plugin against a test server, fast timeouts and
 * one reconnect.
 */
export function anSftpConfig(
  server: TestSftpServer,
  overrides: { sftp?: Partial<SftpOptions>; maxInboundBytes?: number } = {},
): Config {
  const base = aLocalFolderConfig("/nonexistent/sftp-test");
  return {
    ...base,
    adapters: { ...base.adapters, supplier: "essendant-sftp" },
    essendant: {
      ...base.essendant,
      shipMethods: { STANDARD: "GRND", SECOND_DAY: "2DAY" },
      paths: server.paths ?? DEFAULTS.essendantPaths,
      maxInboundBytes: overrides.maxInboundBytes ?? DEFAULTS.maxInboundBytes,
      sftp: {
        host: "127.0.0.1",
        port: server.port,
        username: server.username,
        privateKeyFile: server.clientKeyFile,
        hostKeySha256: server.hostFingerprint,
        connectTimeoutSeconds: 5,
        operationTimeoutSeconds: 10,
        reconnectAttempts: 1,
        ...overrides.sftp,
      },
    },
  };
}
