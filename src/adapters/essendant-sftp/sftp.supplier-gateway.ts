import { readFileSync } from "node:fs";
import { inject, injectable, optional, type ServiceIdentifier } from "inversify";
import ssh2 from "ssh2";
import SftpClient from "ssh2-sftp-client";
import type { Config, SftpOptions } from "../../app/config/config.js";
import { AppConfig } from "../../app/config/config.token.js";
import { IntegrationError } from "../../app/errors.js";
import { AlertSink } from "../../app/ports/alert-sink.port.js";
import { EventLog } from "../../app/ports/event-log.port.js";
import type { SupplierGateway, SupplierSession } from "../../app/ports/supplier-gateway.port.js";
import { fingerprintOf, hostKeyMatches } from "./host-key.js";
import { SftpSupplierSession } from "./sftp.supplier-session.js";
import { SFTP_ALGORITHMS } from "./sftp-algorithms.js";
import { SftpConnection } from "./sftp-connection.js";
import { connectFailureCode } from "./sftp-faults.js";

/** Waits between connection attempts; tests bind one that does not wait. */
export type Sleep = (ms: number) => Promise<void>;
export const SftpSleep: ServiceIdentifier<Sleep> = Symbol.for("SftpSleep");

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 30_000;
const KEEPALIVE_MS = 15_000;

/** Delay before attempt `attempt + 1`: exponential from 1 s, capped at 30 s, with half of it random. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Connection failures that another attempt cannot cure: reported at once, not retried. */
const FINAL_FAILURES: Readonly<Record<string, { code: string; message: (o: SftpOptions) => string }>> = {
  AUTH_FAILED: {
    code: "SFTP_AUTH_FAILED",
    message: (o) => `the SFTP server refused the key in essendant.sftp.privateKeyFile for user ${o.username}`,
  },
  HANDSHAKE_FAILED: {
    code: "SFTP_HANDSHAKE_FAILED",
    message: (o) =>
      `the SFTP server ${o.host} and this client agree on no modern key exchange, host key, cipher or MAC algorithm`,
  },
};

/** A fault raised inside an attempt that must not be retried. */
class Final extends Error {
  constructor(readonly fault: IntegrationError) {
    super(fault.message);
  }
}

/**
 * Essendant's SFTP drop: one connection per step, key authentication only, the server's host key
 * pinned to `essendant.sftp.hostKeySha256`, bounded reconnects with back-off (spec/essendant README).
 */
@injectable()
export class SftpSupplierGateway implements SupplierGateway {
  private readonly sleep: Sleep;

  constructor(
    @inject(AppConfig) private readonly config: Config,
    @inject(EventLog) private readonly log: EventLog,
    @inject(AlertSink) private readonly alerts: AlertSink,
    @inject(SftpSleep) @optional() sleep?: Sleep,
  ) {
    this.sleep = sleep ?? realSleep;
  }

  async open(): Promise<SupplierSession> {
    const { paths, maxInboundBytes } = this.config.essendant;
    return new SftpSupplierSession(await this.connect(), paths, maxInboundBytes);
  }

  /**
   * Connects, trying `reconnectAttempts` more times when the server cannot be reached. A host key
   * that is not the pinned one, or refused credentials, end the attempts at once.
   */
  async connect(): Promise<SftpConnection> {
    const options = this.options();
    const attempts = 1 + options.reconnectAttempts;
    let last = "CONNECT_FAILED";
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const connection = await this.connectOnce(options);
        // The pinned key matched: a mismatch alert from an earlier step is over (the audit log keeps it).
        this.alerts.resolve("SFTP_HOST_KEY_MISMATCH");
        return connection;
      } catch (error) {
        const fault = error instanceof Final ? error.fault : undefined;
        last = fault?.code ?? connectFailureCode(error);
        this.log.warn("sftp.connect-failed", { host: options.host, attempt, errorCode: last });
        if (fault) throw fault;
        const final = FINAL_FAILURES[last];
        if (final) throw new IntegrationError(final.code, final.message(options), false);
        if (attempt < attempts) await this.sleep(reconnectDelayMs(attempt));
      }
    }
    throw new IntegrationError(
      "SFTP_UNREACHABLE",
      `the SFTP server ${options.host}:${options.port} could not be reached (${last}, ${attempts} attempts)`,
      true,
    );
  }

  private options(): SftpOptions {
    const options = this.config.essendant.sftp;
    if (!options) throw new IntegrationError("NOT_CONFIGURED", "essendant.sftp is not configured", false);
    return options;
  }

  private async connectOnce(options: SftpOptions): Promise<SftpConnection> {
    let privateKey: Buffer;
    try {
      privateKey = readFileSync(options.privateKeyFile);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unknown";
      throw new Final(
        new IntegrationError(
          "SFTP_KEY_UNREADABLE",
          `essendant.sftp.privateKeyFile cannot be read (${code})`,
          false,
        ),
      );
    }
    const parsed = ssh2.utils.parseKey(privateKey);
    if (parsed instanceof Error || (Array.isArray(parsed) ? parsed[0] : parsed)?.isPrivateKey() !== true)
      throw new Final(
        new IntegrationError(
          "SFTP_KEY_INVALID",
          "essendant.sftp.privateKeyFile is not an unencrypted OpenSSH or PEM private key",
          false,
        ),
      );
    let presented: string | undefined;
    let cause: unknown;
    // Library chatter (console.log on end/close) is silenced; errors reach us through connect's promise.
    const client = new SftpClient("essendant", { error() {}, end() {}, close() {} });
    // ssh2's own error, before ssh2-sftp-client re-wraps it without its `level` (handshake, authentication…).
    client.on("error", (error: unknown) => {
      cause ??= error;
    });
    const connection = new SftpConnection(client, options.operationTimeoutSeconds * 1000);
    try {
      await client.connect({
        host: options.host,
        port: options.port,
        username: options.username,
        privateKey,
        authHandler: ["publickey"],
        tryKeyboard: false,
        readyTimeout: options.connectTimeoutSeconds * 1000,
        // A dead peer between two calls is noticed, not waited on (reliability-and-security §4.2).
        keepaliveInterval: KEEPALIVE_MS,
        keepaliveCountMax: 3,
        retries: 0,
        algorithms: SFTP_ALGORITHMS,
        // Runs during key exchange, before any credential is sent: a mismatch never authenticates.
        hostVerifier: (key: Buffer) => {
          if (hostKeyMatches(key, options.hostKeySha256)) return true;
          presented = fingerprintOf(key);
          return false;
        },
      });
    } catch (error) {
      await connection.end();
      if (presented) throw new Final(this.hostKeyMismatch(options, presented));
      throw cause ?? error;
    }
    return connection;
  }

  private hostKeyMismatch(options: SftpOptions, presented: string): IntegrationError {
    this.log.audit("security.host-key-mismatch", { host: options.host, fingerprint: presented });
    this.alerts.raise({
      code: "SFTP_HOST_KEY_MISMATCH",
      severity: "critical",
      message:
        `the SFTP server ${options.host} presented host key ${presented}, not the pinned essendant.sftp.hostKeySha256; ` +
        "nothing was sent. If Essendant changed its key, confirm the new fingerprint with Essendant by phone, " +
        `compare it with \`ssh-keyscan -p ${options.port} ${options.host} | ssh-keygen -lf -\`, then update essendant.sftp.hostKeySha256`,
    });
    return new IntegrationError(
      "HOST_KEY_MISMATCH",
      `the SFTP server ${options.host} presented an unknown host key ${presented}; connection refused`,
      false,
    );
  }
}
