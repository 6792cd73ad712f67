import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { JsonSupplierCodec } from "../../src/adapters/essendant/json.supplier-codec.js";
import { LocalFolderSupplierGateway } from "../../src/adapters/local-folder/local-folder.supplier-gateway.js";
import { MemorySupplierGateway } from "../support/fakes/memory.supplier-gateway.js";
import { aLocalFolderConfig } from "../support/local-folder-config.js";
import { supplierGatewayContract } from "./supplier-gateway.contract.js";

supplierGatewayContract("memory fake", (maxInboundBytes) => {
  const gateway = new MemorySupplierGateway(maxInboundBytes);
  return {
    gateway,
    outboundNames: () => [...gateway.remoteOutbound.keys()].sort(),
    outboundBytes: (name) => gateway.remoteOutbound.get(name),
    dropInbound: (name, bytes) => gateway.dropInbound(name, bytes),
    dropSymlink: (name) => gateway.dropSymlink(name),
    archivedNames: () => [...gateway.archived.keys()].sort(),
    rejectedNames: () => [...gateway.rejected.keys()].sort(),
    dispose: () => {},
  };
});

supplierGatewayContract("local folder", (maxInboundBytes) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "local-folder-gateway-"));
  const config = aLocalFolderConfig(root, { maxInboundBytes });
  const gateway = new LocalFolderSupplierGateway(
    { now: () => new Date() },
    config,
    new JsonSupplierCodec(config),
  );
  const folder = (remote: string) => path.join(root, remote);
  const names = (remote: string) =>
    fs.existsSync(folder(remote)) ? fs.readdirSync(folder(remote)).sort() : [];
  return {
    gateway,
    outboundNames: () => names("in"),
    outboundBytes: (name) =>
      fs.existsSync(path.join(folder("in"), name))
        ? fs.readFileSync(path.join(folder("in"), name))
        : undefined,
    dropInbound: (name, bytes) => {
      fs.mkdirSync(folder("out"), { recursive: true });
      fs.writeFileSync(path.join(folder("out"), name), bytes);
    },
    dropSymlink: (name) => {
      fs.mkdirSync(folder("out"), { recursive: true });
      fs.writeFileSync(path.join(root, "outside.json"), "{}");
      fs.symlinkSync(path.join(root, "outside.json"), path.join(folder("out"), name));
    },
    archivedNames: () => names("out/archive"),
    rejectedNames: () => names("out/errors"),
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
});

const local = suite("LocalFolderSupplierGateway");

local(
  "open creates the configured folders owner-only; listInbound skips folders and flags symlinks",
  async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "local-folder-gateway-"));
    try {
      const config = aLocalFolderConfig(root);
      const session = await new LocalFolderSupplierGateway(
        { now: () => new Date() },
        config,
        new JsonSupplierCodec(config),
      ).open();
      for (const dir of ["in", "out", "out/archive", "out/errors"]) {
        assert.is(fs.statSync(path.join(root, dir)).mode & 0o777, 0o700, dir);
      }
      fs.writeFileSync(path.join(root, "secret.json"), "{}");
      fs.symlinkSync(path.join(root, "secret.json"), path.join(root, "out", "ACK_link.json"));
      fs.mkdirSync(path.join(root, "out", "ACK_dir.json"));
      fs.writeFileSync(path.join(root, "out", "ACK_1.json"), "{}");
      const listed = await session.listInbound();
      assert.equal(
        listed.map((f) => [f.name, f.problem]),
        [
          ["ACK_1.json", undefined],
          ["ACK_link.json", "NOT_A_REGULAR_FILE"],
        ],
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  },
);

local.run();
