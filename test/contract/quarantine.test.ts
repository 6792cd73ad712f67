import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { FsQuarantine } from "../../src/adapters/quarantine/fs.quarantine.js";
import type { Quarantine } from "../../src/app/ports/quarantine.port.js";
import { MemoryQuarantine } from "../support/fakes/memory.quarantine.js";
import { aLocalFolderConfig } from "../support/local-folder-config.js";

function contract(
  label: string,
  make: () => { q: Quarantine; bytesOf(id: string): Uint8Array | undefined; dispose(): void },
) {
  const test = suite(`Quarantine contract: ${label}`);
  test("keeps the bytes and the reason; a second file of the same name is kept too", () => {
    const h = make();
    try {
      const a = h.q.keep({
        fileName: "ACK_1.json",
        reason: "INVALID_JSON",
        detail: "the file is not one JSON document",
        bytes: new TextEncoder().encode("{"),
        at: "2026-12-04T10:00:00.000Z",
      });
      const b = h.q.keep({
        fileName: "ACK_1.json",
        reason: "BOM",
        detail: "the file starts with a byte order mark",
        bytes: new TextEncoder().encode("\ufeff{}"),
        at: "2026-12-04T10:00:00.000Z",
      });
      assert.is.not(a.id, b.id);
      assert.equal(
        h.q.list().map((r) => [r.fileName, r.reason, r.size]),
        [
          ["ACK_1.json", "INVALID_JSON", 1],
          ["ACK_1.json", "BOM", 5],
        ],
      );
      assert.is(new TextDecoder().decode(h.bytesOf(a.id)), "{");
      assert.match(a.sha256 ?? "", /^[0-9a-f]{64}$/);
    } finally {
      h.dispose();
    }
  });
  test("an entry refused unread is kept without bytes, and a hostile name stays data", () => {
    const h = make();
    try {
      const r = h.q.keep({
        fileName: "../../etc/passwd\nx",
        reason: "UNSAFE_NAME",
        detail: "name outside [A-Za-z0-9_.-]",
        at: "2026-12-04T10:00:00.000Z",
      });
      assert.is(r.size, undefined);
      assert.is(h.bytesOf(r.id), undefined);
      assert.is(h.q.list()[0]?.fileName, "../../etc/passwd\nx");
    } finally {
      h.dispose();
    }
  });
  test.run();
}

contract("memory fake", () => {
  const q = new MemoryQuarantine();
  return { q, bytesOf: (id) => q.bytes.get(id), dispose: () => {} };
});

contract("files under the data directory", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "quarantine-"));
  const config = aLocalFolderConfig(root);
  const dir = path.join(config.storage.dataDir, "quarantine");
  return {
    q: new FsQuarantine(config),
    bytesOf: (id) =>
      fs.existsSync(path.join(dir, `${id}.bytes`))
        ? fs.readFileSync(path.join(dir, `${id}.bytes`))
        : undefined,
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
});

const files = suite("FsQuarantine files");
files("the quarantine folder is 0700 and its files 0600", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "quarantine-"));
  try {
    const config = aLocalFolderConfig(root);
    const r = new FsQuarantine(config).keep({
      fileName: "x.json",
      reason: "INVALID_JSON",
      detail: "-",
      bytes: new Uint8Array([1]),
      at: "2026-12-04T10:00:00.000Z",
    });
    const dir = path.join(config.storage.dataDir, "quarantine");
    assert.is(fs.statSync(dir).mode & 0o777, 0o700);
    for (const f of [`${r.id}.json`, `${r.id}.bytes`])
      assert.is(fs.statSync(path.join(dir, f)).mode & 0o777, 0o600);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
files.run();
