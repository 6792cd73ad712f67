import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The host names the fake answers for: LWA, the three SP-API regions, and localhost. */
export const FAKE_HOST_NAMES = [
  "api.amazon.com",
  "sellingpartnerapi-na.amazon.com",
  "sellingpartnerapi-eu.amazon.com",
  "sellingpartnerapi-fe.amazon.com",
  "localhost",
] as const;

/** A throwaway CA and a server certificate it signed, as files (keys 0600) and as PEM text. */
export interface TestCa {
  readonly dir: string;
  readonly caFile: string;
  readonly ca: string;
  readonly keyFile: string;
  readonly key: string;
  readonly certFile: string;
  readonly cert: string;
}

const OPENSSL_HINT =
  "the SP-API fake needs the openssl command: apt-get install --no-install-recommends openssl";

function openssl(args: string[], cwd: string): void {
  const r = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(OPENSSL_HINT);
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr || r.error?.message}`);
}

function write(file: string, text: string, mode: number): void {
  fs.writeFileSync(file, text, { mode });
  fs.chmodSync(file, mode);
}

/**
 * Generates a CA (P-256, valid 2 days) and a server certificate for FAKE_HOST_NAMES in a fresh
 * 0700 temp dir. `label` names the CA, so two CAs are told apart in TLS errors.
 */
export function generateTestCa(label = "fulfillment test CA"): TestCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spapi-fake-ca-"));
  try {
    fs.chmodSync(dir, 0o700);
    return writeCa(dir, label);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function writeCa(dir: string, label: string): TestCa {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(
    ["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", `/CN=${label}`]
      .concat(["-addext", "basicConstraints=critical,CA:TRUE"])
      .concat(["-addext", "keyUsage=critical,keyCertSign,cRLSign"]),
    dir,
  );
  openssl(["req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=api.amazon.com"], dir);
  // No IP SAN: a client that forgets `servername` must fail rather than verify "127.0.0.1".
  const sans = FAKE_HOST_NAMES.map((h) => `DNS:${h}`).join(",");
  write(
    path.join(dir, "server.ext"),
    [
      `subjectAltName=${sans}`,
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=serverAuth",
      "",
    ].join("\n"),
    0o600,
  );
  openssl(
    ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial"].concat([
      "-out",
      "server.pem",
      "-days",
      "2",
      "-sha256",
      "-extfile",
      "server.ext",
    ]),
    dir,
  );
  for (const key of ["ca.key", "server.key"]) fs.chmodSync(path.join(dir, key), 0o600);
  const read = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
  return {
    dir,
    caFile: path.join(dir, "ca.pem"),
    ca: read("ca.pem"),
    keyFile: path.join(dir, "server.key"),
    key: read("server.key"),
    certFile: path.join(dir, "server.pem"),
    cert: read("server.pem"),
  };
}

let shared: TestCa | undefined;
let unrelated: TestCa | undefined;
const made: TestCa[] = [];

function remember(ca: TestCa): TestCa {
  if (made.length === 0)
    process.once("exit", () => {
      for (const c of made) fs.rmSync(c.dir, { recursive: true, force: true });
    });
  made.push(ca);
  return ca;
}

/** The CA of this test run (generated once per process, removed at exit). The fake uses it by default. */
export function testCa(): TestCa {
  shared ??= remember(generateTestCa());
  return shared;
}

/** A second CA unrelated to testCa(): a client trusting only it must fail the fake's TLS handshake. */
export function unrelatedTestCa(): TestCa {
  unrelated ??= remember(generateTestCa("unrelated test CA"));
  return unrelated;
}
