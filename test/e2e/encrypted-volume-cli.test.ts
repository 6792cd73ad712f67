import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { SysfsVolumeInspector } from "../../src/adapters/volume/sysfs.volume-inspector.js";
import { cli, demoCopy, RUNTIME } from "./cli-harness.js";

const volume = suite(`fulfillment on an unencrypted volume (${RUNTIME})`);
const T0 = "2026-12-04T09:00:00Z";

/** A demo copy with the rule as in production (or switched off), in a fresh temp directory. */
function copyRequiring(required: boolean) {
  return demoCopy((c) => {
    c.security = { requireEncryptedVolume: required };
  });
}

/**
 * The real inspector decides what to expect: the temp directory is on a plain disk on most CI
 * machines, on LUKS on a hardened workstation. Either way the CLI must agree with it.
 */
const tempOnLuks = (dir: string) => new SysfsVolumeInspector().isEncrypted(dir).encrypted;

volume(
  "required: every command that touches data refuses with exit 2, names the path and the fix, and creates nothing",
  () => {
    const { dir, file } = copyRequiring(true);
    try {
      if (tempOnLuks(dir)) {
        assert.is(cli(["status", "--config", file]).status, 0);
        return;
      }
      for (const command of [
        ["cycle"],
        ["import"],
        ["status"],
        ["orders", "show", "113-0000000-0000000"],
        ["keys", "init"],
        ["purge"],
        ["backup"],
        ["restore", "/nonexistent/fulfillment.backup"],
      ]) {
        const r = cli([...command, "--config", file, "--now", T0]);
        assert.is(r.status, 2, `${command.join(" ")}: ${r.stdout}${r.stderr}`);
        assert.ok(
          r.stderr.includes(`storage.dataDir ${path.join(dir, "data")} is not on an encrypted`),
          r.stderr,
        );
        assert.ok(r.stderr.includes(`storage.logDir ${path.join(dir, "logs")}`), r.stderr);
        assert.match(r.stderr, /onto the LUKS volume/);
        assert.match(r.stderr, /"requireEncryptedVolume": false/);
      }
      assert.equal(readdirSync(dir).sort(), ["fulfillment.json"]);
      const check = cli(["config", "check", "--config", file]);
      assert.is(check.status, 2);
      assert.match(
        check.stdout,
        /problem: storage\.backupDir .* is not on an encrypted \(dm-crypt LUKS\) volume/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

volume("switched off: the command runs, warns on stderr, audit-logs it and status shows it", () => {
  const { dir, file } = copyRequiring(false);
  try {
    if (tempOnLuks(dir)) return;
    const r = cli(["cycle", "--config", file, "--now", T0]);
    assert.is(r.status, 0, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /warning: storage\.dataDir .* allowed only because security\.requireEncryptedVolume is false/,
    );
    const audit = readFileSync(path.join(dir, "logs", "audit-2026-12-04.log"), "utf8");
    assert.match(
      audit,
      /"event":"security\.unencrypted-volume","path":"[^"]+\/data","code":"storage\.dataDir"/,
    );
    const status = cli(["status", "--config", file, "--now", T0]);
    assert.is(status.status, 0, status.stderr);
    assert.match(status.stdout, /Encrypted volume: NOT ENFORCED/);
    const json = JSON.parse(cli(["status", "--json", "--config", file, "--now", T0]).stdout);
    assert.equal(json.encryptedVolume.required, false);
    assert.equal(json.encryptedVolume.unencrypted.length, 3);
    assert.ok(existsSync(path.join(dir, "data", "fulfillment.db")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

volume.run();
