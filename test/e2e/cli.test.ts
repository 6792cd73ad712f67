import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { cli, cliInBackground, demoCopy, RUNTIME } from "./cli-harness.js";

const e2e = suite(`fulfillment CLI (${RUNTIME})`);
const T0 = "2026-12-04T09:00:00Z";
const T1 = "2026-12-04T09:00:20Z";

e2e("cycle on a copy of the demo configuration imports orders, and a later cycle confirms them", () => {
  const { dir, file } = demoCopy();
  try {
    const first = cli(["cycle", "--config", file, "--now", T0]);
    assert.is(first.status, 0, first.stderr + first.stdout);
    assert.match(first.stdout, /import\s+ok\s+imported=4/);
    assert.match(first.stdout, /submit\s+ok\s+.*sent=\d/);
    const second = cli(["--now", T1, "--config", file, "cycle", "--json"]);
    assert.is(second.status, 0, second.stderr);
    const reports = JSON.parse(second.stdout) as { step: string; counts: Record<string, number> }[];
    assert.ok((reports.find((r) => r.step === "confirm")?.counts.confirmed ?? 0) > 0, second.stdout);
    const status = JSON.parse(cli(["status", "--json", "--config", file, "--now", T1]).stdout);
    assert.ok(status.counts.CONFIRMED > 0, JSON.stringify(status.counts));
    assert.is(status.lastRuns.length, 4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

e2e("everything a command writes is owner-only, even under a permissive umask", () => {
  const { dir, file } = demoCopy();
  let previous: number | undefined;
  try {
    previous = process.umask(0); // inherited by the child process
  } catch {
    // Deno may refuse to change the umask; the assertions below still hold for the default one.
  }
  try {
    assert.is(cli(["cycle", "--config", file, "--now", T0]).status, 0);
    const walk = (p: string): string[] =>
      statSync(p).isDirectory() ? [p, ...readdirSync(p).flatMap((n) => walk(path.join(p, n)))] : [p];
    const loose = [path.join(dir, "data"), path.join(dir, "logs"), path.join(dir, "essendant")]
      .flatMap(walk)
      .filter((p) => (statSync(p).mode & 0o077) !== 0);
    assert.equal(loose, []);
  } finally {
    if (previous !== undefined) process.umask(previous);
    rmSync(dir, { recursive: true, force: true });
  }
});

e2e("a missing configuration file exits 2, names the path and creates nothing", () => {
  const { dir } = demoCopy();
  try {
    const missing = path.join(dir, "missing.json");
    const r = cli(["--config", missing, "cycle"]);
    assert.is(r.status, 2);
    assert.ok(r.stderr.includes(missing), r.stderr);
    assert.not.ok(existsSync(path.join(dir, "data")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

e2e("an unknown plugin name exits 2 naming the valid plugins, without touching the data directory", () => {
  const { dir, file } = demoCopy((c) => {
    c.adapters.marketplace = "sp-apii";
  });
  try {
    const r = cli(["cycle", "--config", file]);
    assert.is(r.status, 2);
    assert.match(r.stderr, /"adapters\.marketplace" is "sp-apii".*valid plugins: "sample", "sp-api"/);
    assert.not.ok(existsSync(path.join(dir, "data")));
    assert.not.ok(existsSync(path.join(dir, "logs")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

e2e(
  "with the sp-api plugin, an environment that turns off certificate checks stops start-up with exit 2",
  () => {
    const { dir, file } = demoCopy((c) => {
      c.adapters.marketplace = "sp-api";
    });
    try {
      const r = cli(["status", "--config", file], undefined, { NODE_TLS_REJECT_UNAUTHORIZED: "0" });
      assert.is(r.status, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /weakens TLS for SP-API: NODE_TLS_REJECT_UNAUTHORIZED=0/);
      assert.not.ok(existsSync(path.join(dir, "data")));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

e2e("an unknown key and a wrong type exit 2 naming the key and what is valid", () => {
  const { dir, file } = demoCopy((c) => {
    c.storage.dataDri = "/tmp/x";
    c.retention.piiDaysAfterShipment = "30";
  });
  try {
    const r = cli(["config", "check", "--config", file]);
    assert.is(r.status, 2);
    assert.match(r.stderr, /unknown key "storage\.dataDri"; valid keys here: dataDir, logDir/);
    assert.match(r.stderr, /"retention\.piiDaysAfterShipment" must be of type integer/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

e2e("more than 30 days of PII after shipment is refused with exit 2", () => {
  const { dir, file } = demoCopy((c) => {
    c.retention.piiDaysAfterShipment = 45;
  });
  try {
    const r = cli(["status", "--config", file]);
    assert.is(r.status, 2);
    assert.match(r.stderr, /piiDaysAfterShipment/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

e2e("config check reports the plugins and the SKU map; usage mistakes exit 2", () => {
  const { dir, file } = demoCopy();
  try {
    const ok = cli(["config", "check", "--config", file]);
    assert.is(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /OK/);
    assert.match(ok.stdout, /SKU map\s+8 mappings/);
    assert.not.ok(existsSync(path.join(dir, "data")), "config check does not create the data directory");
    assert.is(cli(["frobnicate", "--config", file]).status, 2);
    assert.is(cli(["cycle", "--config", file, "--now", "yesterday"]).status, 2);
    assert.match(cli(["run", "--config", file, "--now", T0]).stderr, /--now is only for one-shot commands/);
    assert.match(cli(["--version"]).stdout, /^fulfillment \d+\.\d+\.\d+/);
    assert.match(cli(["--help"]).stdout, /orders show ORDER_ID/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

e2e("config check runs a read-only integrity check of the database and reports a damaged one", () => {
  const { dir, file } = demoCopy();
  try {
    assert.match(cli(["config", "check", "--config", file]).stdout, /database\s+none yet/);
    assert.is(cli(["cycle", "--config", file, "--now", T0]).status, 0);
    const ok = cli(["config", "check", "--config", file]);
    assert.is(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /database\s+integrity ok/);
    const db = path.join(dir, "data", "fulfillment.db");
    const bytes = readFileSync(db);
    bytes.fill(0xab, 4096, 8192); // the second page: a table's b-tree
    writeFileSync(db, bytes);
    const damaged = cli(["config", "check", "--config", file]);
    assert.is(damaged.status, 2);
    assert.match(damaged.stdout, /fails its integrity check .*restore the latest backup/);
    assert.equal(readFileSync(db), bytes, "the check changed nothing");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

e2e("orders show prints the timeline without PII, and says when an order is unknown", () => {
  const { dir, file } = demoCopy();
  try {
    cli(["cycle", "--config", file, "--now", T0]);
    const status = JSON.parse(cli(["status", "--json", "--config", file, "--now", T0]).stdout);
    const anyId =
      status.lastRuns.length &&
      JSON.parse(
        cli(["orders", "show", "--json", "--config", file, "--now", T0, "113-0000000-0000000"]).stdout ||
          "null",
      );
    assert.is(anyId, null);
    const unknown = cli(["orders", "show", "113-0000000-0000000", "--config", file]);
    assert.is(unknown.status, 1);
    assert.match(unknown.stderr, /no order 113-0000000-0000000/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

e2e(
  "the demo daemon brings orders to 'confirmed to Amazon'; a second daemon on its data directory exits 1 with 'already running'; SIGTERM stops the first with 0",
  async () => {
    const { dir, file } = demoCopy();
    const first = cliInBackground(["run", "--config", file]);
    let output = "";
    first.stdout?.on("data", (b) => {
      output += b;
    });
    try {
      await waitFor(
        () => existsSync(path.join(dir, "data", "fulfillment.pid")) && output.includes("confirmed to Amazon"),
        60_000,
      );
      const second = cli(["run", "--config", file]);
      assert.is(second.status, 1);
      assert.match(second.stderr, /already running/);
      const exited = new Promise<number | null>((resolve) => first.on("exit", (code) => resolve(code)));
      first.kill("SIGTERM");
      const code = await exited;
      // Deno's child_process reports a child that handled SIGTERM as killed (code null); the log below proves the graceful exit.
      if (RUNTIME === "node") assert.is(code, 0);
      assert.not.ok(existsSync(path.join(dir, "data", "fulfillment.pid")), "the lock is released");
      const log = readFileSync(
        path.join(dir, "logs", `fulfillment-${new Date().toISOString().slice(0, 10)}.log`),
        "utf8",
      );
      assert.match(log, /"event":"daemon.stopped"/);
    } finally {
      first.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

e2e.run();
