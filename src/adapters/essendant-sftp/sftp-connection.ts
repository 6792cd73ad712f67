import type SftpClient from "ssh2-sftp-client";
import { IntegrationError } from "../../app/errors.js";
import { operationFault } from "./sftp-faults.js";

/** The ssh2 Client under ssh2-sftp-client (its `client` field, not in @types/ssh2-sftp-client). */
interface Ssh2Client {
  destroy(): void;
  setNoDelay(noDelay: boolean): void;
}

function ssh2Of(client: SftpClient): Ssh2Client | undefined {
  return (client as unknown as { client?: Ssh2Client }).client;
}

/**
 * One open SFTP connection. Every call runs under the operation timeout; a call that times out, or
 * a connection the server dropped, ends the connection for good: the step's next call fails fast.
 */
export class SftpConnection {
  private lost = false;
  private ended = false;

  constructor(
    private readonly client: SftpClient,
    private readonly timeoutMs: number,
  ) {
    const markLost = () => {
      if (!this.ended) this.lost = true;
    };
    client.on("close", markLost);
    client.on("end", markLost);
    // SFTP is request/response in small packets: with Nagle on, Deno waits out delayed ACKs (~90 ms a call).
    client.on("connect", () => ssh2Of(client)?.setNoDelay(true));
  }

  /** Runs one SFTP call; library errors come out as IntegrationErrors with stable codes. */
  async run<T>(op: string, call: (client: SftpClient) => Promise<T>, fileName?: string): Promise<T> {
    if (this.lost || this.ended) throw operationFault({ code: "ERR_NOT_CONNECTED" }, op, fileName);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const pending = Promise.resolve().then(() => call(this.client));
    // The call settles later (rejected by the teardown) when the timer wins; that outcome is moot.
    pending.catch(() => {});
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.lost = true;
        this.destroy();
        reject(
          new IntegrationError(
            "SFTP_TIMEOUT",
            `${op}: no answer from the server within ${this.timeoutMs / 1000} s; the connection was closed`,
            true,
          ),
        );
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([pending, timeout]);
    } catch (error) {
      throw operationFault(error, op, fileName);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the connection; safe to call more than once, and after the connection was lost. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (this.lost) {
      this.destroy();
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.timeoutMs);
    });
    try {
      await Promise.race([this.client.end().then(() => undefined), deadline]);
    } catch {
      // An end that fails leaves nothing to close; the socket is torn down below either way.
    } finally {
      clearTimeout(timer);
      this.destroy();
    }
  }

  private destroy(): void {
    ssh2Of(this.client)?.destroy();
  }
}
