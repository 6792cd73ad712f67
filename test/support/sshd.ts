import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { EssendantConfig } from "../../src/app/config/config.js";

const SSHD = "/usr/sbin/sshd";

/** A real OpenSSH server on 127.0.0.1 for the tests: key-only, internal-sftp, its own keys and port. */
export interface RealSshd {
  readonly port: number;
  /** The local directory holding the SFTP tree (`in`, `out`, `out/archive`, `out/errors`). */
  readonly root: string;
  /** The spec's folders under `root`: no chroot, so the gateway sees them by their absolute paths. */
  readonly paths: EssendantConfig["paths"];
  readonly username: string;
  /** As `ssh-keygen -lf` prints it for the current host key. */
  readonly hostFingerprint: string;
  readonly hostPublicKeyFile: string;
  readonly clientKeyFile: string;
  /** A valid key that is not in authorized_keys. */
  readonly strangerKeyFile: string;
  /** sshd's log so far (LogLevel DEBUG1: every userauth request shows). */
  log(): string;
  /** True while the listener runs. */
  running(): boolean;
  stop(): Promise<void>;
  /** Starts again with the same keys and port (after stop(), or while running). */
  restart(): Promise<void>;
  /** A new host key, then a restart: the pinned fingerprint no longer matches. Returns the new one. */
  replaceHostKey(): Promise<string>;
  /** Kills every session process, keeping the listener: connections drop mid-transfer. */
  dropConnections(): void;
  /** Stops the server and removes its directory. */
  dispose(): Promise<void>;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

function keygen(file: string): void {
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.pub`, { force: true });
  run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "fulfillment-test", "-f", file]);
}

function fingerprint(pubFile: string): string {
  const line = run("ssh-keygen", ["-l", "-E", "sha256", "-f", pubFile]);
  const found = /SHA256:[A-Za-z0-9+/]{43}/.exec(line);
  if (!found) throw new Error(`no fingerprint in ssh-keygen output: ${line}`);
  return found[0];
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Every process below `pid` (sshd forks one per connection, which forks again). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const child of parents.get(p) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Starts sshd. Without /usr/sbin/sshd it throws: the real-server tests then fail, saying what to
 * install, rather than pass by skipping.
 */
export async function startSshd(): Promise<RealSshd> {
  if (!fs.existsSync(SSHD))
    throw new Error(
      "the real-SFTP tests need OpenSSH's sshd: apt-get install --no-install-recommends openssh-server",
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sshd-test-"));
  const root = path.join(dir, "root");
  const paths = {
    outbound: `${root}/in`,
    inbound: `${root}/out`,
    archive: `${root}/out/archive`,
    errors: `${root}/out/errors`,
  };
  for (const folder of Object.values(paths)) fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const hostKey = path.join(dir, "host_ed25519");
  const clientKey = path.join(dir, "client_ed25519");
  const strangerKey = path.join(dir, "stranger_ed25519");
  for (const key of [hostKey, clientKey, strangerKey]) keygen(key);
  const username = os.userInfo().username;
  fs.mkdirSync(path.join(dir, "authkeys"), { mode: 0o755 });
  fs.copyFileSync(`${clientKey}.pub`, path.join(dir, "authkeys", username));
  try {
    fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 }); // privilege-separation directory
  } catch {
    // Not root: sshd -t below says what is wrong.
  }
  const port = await freePort();
  const logFile = path.join(dir, "sshd.log");
  const config = path.join(dir, "sshd_config");
  // StrictModes no: keys under /tmp (mode 1777) are refused otherwise. No chroot: it needs root-owned
  // paths outside /tmp; the configured folders point into `root` instead.
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${path.join(dir, "authkeys")}/%u`,
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "PermitRootLogin prohibit-password",
      "StrictModes no",
      "MaxStartups 50",
      "Subsystem sftp internal-sftp",
      "LogLevel DEBUG1",
      `ForceCommand internal-sftp -d ${root}`,
      "AllowTcpForwarding no",
      "X11Forwarding no",
      "",
    ].join("\n"),
  );
  run(SSHD, ["-t", "-f", config]);

  let child: ChildProcess | undefined;
  const killAll = () => {
    if (!child?.pid) return;
    for (const pid of descendants(child.pid)) kill(pid, "SIGKILL");
    kill(child.pid, "SIGKILL");
  };
  process.on("exit", killAll);
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "");

  const start = async () => {
    const before = log().length;
    child = spawn(SSHD, ["-D", "-E", logFile, "-f", config], { stdio: "ignore" });
    for (let i = 0; i < 200; i++) {
      if (log().slice(before).includes(`Server listening on 127.0.0.1 port ${port}`)) return;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`sshd did not start: ${log().slice(before)}`);
  };
  const stop = async () => {
    const running = child;
    if (!running?.pid || running.exitCode !== null || running.signalCode !== null) return;
    for (const pid of descendants(running.pid)) kill(pid, "SIGKILL");
    const exited = new Promise((resolve) => running.once("exit", resolve));
    kill(running.pid, "SIGTERM");
    await exited;
  };

  await start();
  let hostFingerprint = fingerprint(`${hostKey}.pub`);
  return {
    port,
    root,
    paths,
    username,
    get hostFingerprint() {
      return hostFingerprint;
    },
    hostPublicKeyFile: `${hostKey}.pub`,
    clientKeyFile: clientKey,
    strangerKeyFile: strangerKey,
    log,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    replaceHostKey: async () => {
      await stop();
      keygen(hostKey);
      hostFingerprint = fingerprint(`${hostKey}.pub`);
      await start();
      return hostFingerprint;
    },
    dropConnections: () => {
      if (child?.pid) for (const pid of descendants(child.pid)) kill(pid, "SIGKILL");
    },
    dispose: async () => {
      await stop();
      process.off("exit", killAll);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
