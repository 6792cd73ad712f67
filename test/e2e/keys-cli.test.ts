import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { cli, demoCopy, RUNTIME } from "./cli-harness.js";

const keys = suite(`fulfillment keys and the key file at start-up (${RUNTIME})`);
const T0 = "2026-12-04T09:00:00Z";
const T1 = "2026-12-04T09:00:20Z";

/** A demo copy that, like production, refuses to start without a key file. */
function productionLike(changes: (storage: Record<string, unknown>) => void = () => {}) {
  return demoCopy((c) => {
    delete c.storage.createKeyFileIfMissing;
    changes(c.storage);
  });
}

const mode = (file: string) => statSync(file).mode & 0o777;

keys("a missing key file exits 2 naming the file and `keys init`, and touches no data", () => {
  const { dir, file } = productionLike();
  try {
    const r = cli(["cycle", "--config", file, "--now", T0]);
    assert.is(r.status, 2, r.stdout + r.stderr);
    assert.ok(r.stderr.includes(path.join(dir, "keys", "data.key")), r.stderr);
    assert.match(r.stderr, /fulfillment keys init/);
    assert.not.ok(existsSync(path.join(dir, "data", "fulfillment.db")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

keys("config check reports a missing key file and one readable by others, without creating anything", () => {
  const { dir, file } = productionLike();
  const keyFile = path.join(dir, "keys", "data.key");
  try {
    const missing = cli(["config", "check", "--config", file]);
    assert.is(missing.status, 2);
    assert.match(missing.stdout, /storage\.keyFile .* does not exist; create it with: fulfillment keys init/);
    assert.not.ok(existsSync(keyFile));
    assert.is(cli(["keys", "init", "--config", file]).status, 0);
    chmodSync(keyFile, 0o644);
    const open = cli(["config", "check", "--config", file]);
    assert.is(open.status, 2);
    assert.match(open.stdout, /has mode 644; run: chmod 600/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

keys("without storage.keyFile the sqlite store refuses to start with exit 2, saying to add it", () => {
  const { dir, file } = productionLike((storage) => {
    delete storage.keyFile;
  });
  try {
    const r = cli(["status", "--config", file]);
    assert.is(r.status, 2);
    assert.match(r.stderr, /storage\.keyFile is required by the sqlite store/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

keys("keys init creates a 0600 key file in a 0700 directory, and refuses to overwrite it", () => {
  const { dir, file } = productionLike();
  const keyFile = path.join(dir, "keys", "data.key");
  try {
    const init = cli(["keys", "init", "--config", file]);
    assert.is(init.status, 0, init.stderr);
    assert.ok(init.stdout.includes(keyFile));
    assert.is(mode(keyFile), 0o600);
    assert.is(mode(path.dirname(keyFile)), 0o700);
    assert.is(readFileSync(keyFile).length, 32);
    const before = readFileSync(keyFile);
    const again = cli(["keys", "init", "--config", file]);
    assert.is(again.status, 2);
    assert.match(again.stderr, /already exists/);
    assert.equal(readFileSync(keyFile), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

keys("a key file readable by group or others exits 2 with the chmod that fixes it", () => {
  const { dir, file } = productionLike();
  const keyFile = path.join(dir, "keys", "data.key");
  try {
    assert.is(cli(["keys", "init", "--config", file]).status, 0);
    for (const bits of [0o640, 0o604]) {
      chmodSync(keyFile, bits);
      const r = cli(["status", "--config", file]);
      assert.is(r.status, 2, r.stdout);
      assert.ok(r.stderr.includes(`chmod 600 ${keyFile}`), r.stderr);
      chmodSync(keyFile, 0o600);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

keys(
  "keys rotate replaces the key file and every ship-to still shows; --new-key-file writes a new one",
  () => {
    const { dir, file } = productionLike();
    const keyFile = path.join(dir, "keys", "data.key");
    try {
      assert.is(cli(["keys", "init", "--config", file]).status, 0);
      const cycle = cli(["cycle", "--json", "--config", file, "--now", T0]);
      assert.is(cycle.status, 0, cycle.stderr);
      const ack = readdirSync(path.join(dir, "essendant"), { recursive: true })
        .map(String)
        .find((n) => /ACK_\d+_[\d-]+_\d+\.json$/.test(n));
      const orderId = ack?.match(/ACK_\d+_([\d-]+)_\d+\.json$/)?.[1] ?? "";
      assert.ok(orderId, "an order was acknowledged");
      const before = readFileSync(keyFile);
      const rotate = cli(["keys", "rotate", "--config", file]);
      assert.is(rotate.status, 0, rotate.stderr);
      assert.match(rotate.stdout, /data keys re-wrapped/);
      assert.not.equal(readFileSync(keyFile), before);
      assert.is(mode(keyFile), 0o600);
      assert.is(cli(["cycle", "--config", file, "--now", T1]).status, 0);
      const show = cli(["orders", "show", orderId, "--pii", "--config", file, "--now", T1]);
      assert.is(show.status, 0, show.stderr);
      assert.match(show.stdout, /ship-to \(PII/);
      const next = path.join(dir, "keys", "next.key");
      const moved = cli(["keys", "rotate", "--new-key-file", next, "--config", file]);
      assert.is(moved.status, 0, moved.stderr);
      assert.match(moved.stdout, /set storage\.keyFile/);
      assert.is(mode(next), 0o600);
      const stale = cli(["status", "--config", file]);
      assert.is(stale.status, 2, "the old key file no longer opens the key ring");
      assert.match(stale.stderr, /storage\.keyFile/);
      assert.is(cli(["cycle", "--new-key-file", next, "--config", file]).status, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

keys.run();
