import { readFileSync, statSync } from "node:fs";
import { ContainerModule } from "inversify";
import ssh2 from "ssh2";
import type { Plugin } from "../../app/composition/plugin.js";
import type { SftpOptions } from "../../app/config/config.js";
import { SupplierGateway } from "../../app/ports/supplier-gateway.port.js";
import { fingerprintDigest } from "./host-key.js";
import { SftpSupplierGateway } from "./sftp.supplier-gateway.js";

/** What is wrong with the private key file, each problem naming the key and the fix. */
function keyFileProblems(sftp: SftpOptions): string[] {
  const file = sftp.privateKeyFile;
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    return [
      `essendant.sftp.privateKeyFile ${file} does not exist; create the key pair with \`ssh-keygen -t ed25519 -N '' -f ${file}\` and send Essendant the .pub file`,
    ];
  }
  if ((mode & 0o077) !== 0)
    return [
      `essendant.sftp.privateKeyFile ${file} is readable by group or others; run \`chmod 600 ${file}\``,
    ];
  let parsed: ReturnType<typeof ssh2.utils.parseKey> | undefined;
  try {
    parsed = ssh2.utils.parseKey(readFileSync(file));
  } catch {
    parsed = undefined;
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error || !key.isPrivateKey())
    return [
      `essendant.sftp.privateKeyFile ${file} is not a private key without passphrase (OpenSSH or PEM); point it at the private half of the key pair`,
    ];
  return [];
}

/** Essendant's SFTP server: key authentication, pinned host key, modern algorithms only. */
export const essendantSftpPlugin: Plugin = {
  family: "supplier",
  name: "essendant-sftp",
  summary: "Essendant's SFTP server (key authentication, pinned host key, upload NAME.tmp then rename)",
  check: (config) => {
    const sftp = config.essendant.sftp;
    if (!sftp)
      return [
        'essendant.sftp is required when adapters.supplier is essendant-sftp; add { "host", "username", "privateKeyFile", "hostKeySha256" }',
      ];
    const problems = keyFileProblems(sftp);
    if (!fingerprintDigest(sftp.hostKeySha256))
      problems.push(
        "essendant.sftp.hostKeySha256 is not a SHA256 fingerprint; use the `SHA256:…` line `ssh-keygen -lf` prints for the server's host key",
      );
    return problems;
  },
  module: () =>
    new ContainerModule(({ bind }) => {
      bind(SupplierGateway).to(SftpSupplierGateway).inSingletonScope();
    }),
};
