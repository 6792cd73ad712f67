import { timingSafeEqual } from "node:crypto";
import * as fs from "node:fs";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import ssh2, { type Attributes, type Connection, type ServerConfig, type SFTPWrapper } from "ssh2";
import { fingerprintOf } from "../../src/adapters/essendant-sftp/host-key.js";

const { STATUS_CODE, flagsToString } = ssh2.utils.sftp;

/** An SFTP server in this process, over a temp directory: fast, and able to misbehave on request. */
export interface InProcessSftpServer {
  readonly port: number;
  /** The local directory the server shows as `/`. */
  readonly root: string;
  readonly username: string;
  /** `SHA256:…` of the host key, as `ssh-keygen -lf` prints it. */
  readonly hostFingerprint: string;
  /** The accepted client key (OpenSSH format, mode 0600). */
  readonly clientKeyFile: string;
  /** A valid key the server does not accept (mode 0600). */
  readonly strangerKeyFile: string;
  /** TCP connections accepted, and public-key authentication requests seen, so far. */
  readonly stats: { connections: number; authAttempts: number; open: number };
  /** While true, SFTP requests get no answer at all: a hung server. */
  stall: boolean;
  close(): Promise<void>;
}

const toAttrs = (s: fs.Stats): Attributes => ({
  mode: s.mode,
  uid: s.uid,
  gid: s.gid,
  size: s.size,
  atime: Math.floor(s.atimeMs / 1000),
  mtime: Math.floor(s.mtimeMs / 1000),
});

const statusOf = (error: unknown): number => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return STATUS_CODE.NO_SUCH_FILE;
  if (code === "EACCES") return STATUS_CODE.PERMISSION_DENIED;
  return STATUS_CODE.FAILURE;
};

function typeChar(s: fs.Stats): string {
  if (s.isSymbolicLink()) return "l";
  return s.isDirectory() ? "d" : s.isFile() ? "-" : "p";
}

/** Starts the server on 127.0.0.1 with fresh ed25519 host and client keys; `algorithms` narrows what it offers. */
/**
 * An ed25519 key pair ssh2 can read back. ssh2 1.17's generator writes a malformed key when the
 * public key starts with a zero byte (about 1 in 400: its length field says 31); such pairs are drawn again.
 */
function ed25519KeyPair(): { public: string; private: string } {
  for (;;) {
    const pair = ssh2.utils.generateKeyPairSync("ed25519");
    if (
      !(ssh2.utils.parseKey(pair.public) instanceof Error) &&
      !(ssh2.utils.parseKey(pair.private) instanceof Error)
    ) {
      return pair;
    }
  }
}

export async function startSftpServer(
  options: { username?: string; algorithms?: ServerConfig["algorithms"] } = {},
): Promise<InProcessSftpServer> {
  const username = options.username ?? "essendant-test";
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "sftp-inproc-"));
  const root = path.join(base, "root");
  fs.mkdirSync(root);
  const host = ed25519KeyPair();
  const client = ed25519KeyPair();
  const stranger = ed25519KeyPair();
  const keyFile = (name: string, text: string) => {
    const file = path.join(base, name);
    fs.writeFileSync(file, text, { mode: 0o600 });
    return file;
  };
  const allowed = ssh2.utils.parseKey(client.public);
  const hostKey = ssh2.utils.parseKey(host.public);
  if (allowed instanceof Error || hostKey instanceof Error) throw new Error("key generation failed");
  const want = allowed.getPublicSSH();
  const stats = { connections: 0, authAttempts: 0, open: 0 };
  const live = new Set<Connection>();
  const abs = (p: string) => path.join(root, path.posix.resolve("/", p));

  const server: InProcessSftpServer = {
    port: 0,
    root,
    username,
    hostFingerprint: fingerprintOf(hostKey.getPublicSSH()),
    clientKeyFile: keyFile("client_ed25519", client.private),
    strangerKeyFile: keyFile("stranger_ed25519", stranger.private),
    stats,
    stall: false,
    close: async () => {},
  };

  const serve = (sftp: SFTPWrapper) => {
    const handles = new Map<number, { fd?: number; dir?: string; listed?: boolean }>();
    let next = 0;
    const handleBuffer = (id: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(id);
      return b;
    };
    const entry = (b: Buffer) => (b.length === 4 ? handles.get(b.readUInt32BE(0)) : undefined);
    const fdOf = (b: Buffer) => {
      const fd = entry(b)?.fd;
      if (fd === undefined) throw new Error("bad handle");
      return fd;
    };
    /** Answers one request, unless the server is told to hang. */
    const answer = (reqid: number, work: () => void) => {
      if (server.stall) return;
      try {
        work();
      } catch (error) {
        sftp.status(reqid, statusOf(error));
      }
    };
    const ok = (reqid: number) => sftp.status(reqid, STATUS_CODE.OK);
    sftp.on("OPEN", (reqid, p, flags) =>
      answer(reqid, () => {
        const fd = fs.openSync(abs(p), flagsToString(flags) ?? "r", 0o600);
        handles.set(next, { fd });
        sftp.handle(reqid, handleBuffer(next++));
      }),
    );
    sftp.on("WRITE", (reqid, h, offset, data) =>
      answer(reqid, () => {
        fs.writeSync(fdOf(h), data, 0, data.length, offset);
        ok(reqid);
      }),
    );
    sftp.on("READ", (reqid, h, offset, len) =>
      answer(reqid, () => {
        const buf = Buffer.alloc(len);
        const n = fs.readSync(fdOf(h), buf, 0, len, offset);
        if (n === 0) sftp.status(reqid, STATUS_CODE.EOF);
        else sftp.data(reqid, buf.subarray(0, n));
      }),
    );
    sftp.on("FSTAT", (reqid, h) => answer(reqid, () => sftp.attrs(reqid, toAttrs(fs.fstatSync(fdOf(h))))));
    sftp.on("CLOSE", (reqid, h) =>
      answer(reqid, () => {
        const fd = entry(h)?.fd;
        if (fd !== undefined) fs.closeSync(fd);
        handles.delete(h.readUInt32BE(0));
        ok(reqid);
      }),
    );
    sftp.on("OPENDIR", (reqid, p) =>
      answer(reqid, () => {
        if (!fs.statSync(abs(p)).isDirectory())
          throw Object.assign(new Error("not a folder"), { code: "ENOENT" });
        handles.set(next, { dir: abs(p) });
        sftp.handle(reqid, handleBuffer(next++));
      }),
    );
    sftp.on("READDIR", (reqid, h) =>
      answer(reqid, () => {
        const e = entry(h);
        if (!e?.dir || e.listed) return sftp.status(reqid, STATUS_CODE.EOF);
        e.listed = true;
        const dir = e.dir;
        sftp.name(
          reqid,
          fs.readdirSync(dir).map((filename) => {
            const s = fs.lstatSync(path.join(dir, filename));
            const longname = `${typeChar(s)}rw------- 1 u g ${s.size} Jan 1 00:00 ${filename}`;
            return { filename, longname, attrs: toAttrs(s) };
          }),
        );
      }),
    );
    sftp.on("STAT", (reqid, p) => answer(reqid, () => sftp.attrs(reqid, toAttrs(fs.statSync(abs(p))))));
    sftp.on("LSTAT", (reqid, p) => answer(reqid, () => sftp.attrs(reqid, toAttrs(fs.lstatSync(abs(p))))));
    sftp.on("REALPATH", (reqid, p) =>
      answer(reqid, () => {
        const resolved = path.posix.resolve("/", p);
        sftp.name(reqid, [{ filename: resolved, longname: resolved, attrs: {} as Attributes }]);
      }),
    );
    sftp.on("REMOVE", (reqid, p) =>
      answer(reqid, () => {
        fs.unlinkSync(abs(p));
        ok(reqid);
      }),
    );
    // As OpenSSH's sftp-server: link then unlink, so a rename onto an existing file fails.
    sftp.on("RENAME", (reqid, from, to) =>
      answer(reqid, () => {
        if (fs.lstatSync(abs(from)).isFile()) {
          fs.linkSync(abs(from), abs(to));
          fs.unlinkSync(abs(from));
        } else fs.renameSync(abs(from), abs(to));
        ok(reqid);
      }),
    );
    sftp.on("MKDIR", (reqid, p) =>
      answer(reqid, () => {
        fs.mkdirSync(abs(p));
        ok(reqid);
      }),
    );
    sftp.on("RMDIR", (reqid, p) =>
      answer(reqid, () => {
        fs.rmdirSync(abs(p));
        ok(reqid);
      }),
    );
    sftp.on("SETSTAT", (reqid) => answer(reqid, () => ok(reqid)));
    sftp.on("FSETSTAT", (reqid) => answer(reqid, () => ok(reqid)));
    sftp.on("close", () => {
      for (const e of handles.values()) if (e.fd !== undefined) fs.closeSync(e.fd);
      handles.clear();
    });
  };

  const config: ServerConfig = {
    hostKeys: [host.private],
    ...(options.algorithms ? { algorithms: options.algorithms } : {}),
  };
  const ssh = new ssh2.Server(config, (conn) => {
    // Without it Deno's sockets wait out delayed ACKs: ~90 ms per SFTP round trip.
    (conn as unknown as { setNoDelay(noDelay: boolean): void }).setNoDelay(true);
    stats.connections++;
    stats.open++;
    live.add(conn);
    conn.on("close", () => {
      stats.open--;
      live.delete(conn);
    });
    conn.on("error", () => {});
    conn.on("authentication", (ctx) => {
      if (ctx.method !== "publickey") return ctx.reject(["publickey"]);
      stats.authAttempts++;
      const keyOk =
        ctx.username === username &&
        ctx.key.algo === allowed.type &&
        ctx.key.data.length === want.length &&
        timingSafeEqual(ctx.key.data, want);
      if (!keyOk) return ctx.reject(["publickey"]);
      if (!ctx.signature || !ctx.blob) return ctx.accept();
      return allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true
        ? ctx.accept()
        : ctx.reject(["publickey"]);
    });
    conn.on("ready", () =>
      conn.on("session", (accept) => {
        const session = accept();
        session.on("sftp", (acceptSftp) => serve(acceptSftp()));
      }),
    );
  });
  await new Promise<void>((resolve) => ssh.listen(0, "127.0.0.1", resolve));
  return Object.assign(server, {
    port: (ssh.address() as AddressInfo).port,
    close: async () => {
      for (const conn of live) conn.end();
      await new Promise<void>((resolve) => ssh.close(() => resolve()));
      fs.rmSync(base, { recursive: true, force: true });
    },
  });
}
