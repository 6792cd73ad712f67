import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LinuxClockWitness } from "../../../src/adapters/system/linux.clock-witness.js";

const test = suite("Linux clock witness: boot id, uptime and NTP state, never a throw");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A witness reading files written in a temp dir, and `timedatectl` replaced by a shell script. */
function withSources(
  files: { bootId?: string; uptime?: string; timedatectl?: string },
  check: (witness: LinuxClockWitness) => void,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "clock-witness-"));
  try {
    const at = (name: string, text: string | undefined) => {
      const file = path.join(dir, name);
      if (text !== undefined) fs.writeFileSync(file, text, { mode: 0o755 });
      return file;
    };
    check(
      new LinuxClockWitness({
        bootIdFile: at("boot_id", files.bootId),
        uptimeFile: at("uptime", files.uptime),
        timedatectl: at("timedatectl", files.timedatectl),
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("on this machine: the boot id is a UUID, the uptime positive, NTP a boolean or unknown", () => {
  const seen = new LinuxClockWitness().observe();
  assert.match(seen.bootId ?? "", UUID);
  assert.ok((seen.uptimeSeconds ?? 0) > 0);
  assert.ok(seen.ntpSynchronized === undefined || typeof seen.ntpSynchronized === "boolean");
  assert.is(new LinuxClockWitness().observe().bootId, seen.bootId, "the boot id is stable");
});

test("the uptime is the first number of /proc/uptime and grows", async () => {
  const first = new LinuxClockWitness().observe().uptimeSeconds ?? 0;
  await new Promise((r) => setTimeout(r, 30));
  assert.ok((new LinuxClockWitness().observe().uptimeSeconds ?? 0) > first);
});

test("timedatectl's yes and no are read as synchronised or not", () => {
  const script = (answer: string) =>
    `#!/bin/sh\n[ "$*" = "show -p NTPSynchronized --value" ] && echo ${answer}\n`;
  withSources({ timedatectl: script("yes") }, (w) => assert.is(w.observe().ntpSynchronized, true));
  withSources({ timedatectl: script("no") }, (w) => assert.is(w.observe().ntpSynchronized, false));
  withSources({ timedatectl: script("maybe") }, (w) => assert.is(w.observe().ntpSynchronized, undefined));
});

test("a failing or missing timedatectl (no systemd in a container) leaves NTP unknown", () => {
  const failing = "#!/bin/sh\necho 'System has not been booted with systemd' >&2\nexit 1\n";
  withSources({ timedatectl: failing }, (w) => assert.equal(w.observe(), {}));
  withSources({}, (w) => assert.equal(w.observe(), {}));
});

test("files read from the sources given; missing or malformed ones are left out", () => {
  withSources({ bootId: "0B5E1C4E-3F1A-4C8E-9A51-6F1C2D3E4F50\n", uptime: "9880.82 11862.78\n" }, (w) =>
    assert.equal(w.observe(), { bootId: "0b5e1c4e-3f1a-4c8e-9a51-6f1c2d3e4f50", uptimeSeconds: 9880.82 }),
  );
  withSources({ bootId: "not a uuid", uptime: "-3 1" }, (w) => assert.equal(w.observe(), {}));
  withSources({ bootId: "", uptime: "" }, (w) => assert.equal(w.observe(), {}));
});

test.run();
