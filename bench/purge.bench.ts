import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
// @ts-types="@types/better-sqlite3"
import Database from "better-sqlite3";
import { DATABASE_FILE } from "../src/adapters/sqlite/sqlite.database.js";
import { openSqliteOrderStore } from "../src/adapters/sqlite/sqlite.plugin.js";
import { buildContainer } from "../src/app/composition/container.js";
import type { Config } from "../src/app/config/config.js";
import { EventLog } from "../src/app/ports/event-log.port.js";
import { OrderStore } from "../src/app/ports/order-store.port.js";
import { PurgePii } from "../src/app/use-cases/purge-pii.use-case.js";
import { addDays } from "../src/domain/time.js";
import { fakePlugin } from "../test/support/app-harness.js";
import { FakeVolumeInspector } from "../test/support/fakes/fake.volume-inspector.js";
import { FixedClock } from "../test/support/fakes/fixed.clock.js";
import { MemoryEventLog } from "../test/support/fakes/memory.event-log.js";
import { aLocalFolderConfig } from "../test/support/local-folder-config.js";
import { anOrder, aPackage, aShipTo } from "../test/support/order-mother.js";
import type { BenchResult } from "./bench.rig.js";

const ORDERS = Number(process.env.BENCH_PURGE_ORDERS ?? 1_000_000);
const NOW = "2026-12-04T03:15:00Z";
/** Deadlines spread over this many past days: one data key each, as in a store that ran for a month. */
const DAYS = 30;
const TARGET_SECONDS = 10;
const TARGET_RSS_MB = 300;
const SELF = fileURLToPath(import.meta.url);

const configIn = (root: string): Config => aLocalFolderConfig(root);

/** A confirmed order shipped `daysAgo` (+ the retention days) before NOW: its PII deadline has passed. */
function confirmedOrder(daysAgo: number) {
  const shipped = addDays(NOW, -(30 + daysAgo))
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
  return anOrder({
    facts: { purchaseDate: shipped, lastUpdatedTime: shipped, status: "SHIPPED" },
    state: "CONFIRMED",
    finalShipmentTime: shipped,
    packages: [aPackage({ shipDate: shipped, status: "CONFIRMED", confirmedAt: shipped })],
    timeline: [
      { at: shipped, event: "IMPORTED", state: "NEW" },
      { at: shipped, event: "PO_SENT", state: "PO_SENT" },
      { at: shipped, event: "ACK", state: "ACK_ACCEPTED" },
      { at: shipped, event: "ASN", state: "SHIPPED_FULL" },
      { at: shipped, event: "CONFIRMED", state: "CONFIRMED" },
    ],
  });
}

/**
 * Seeding: one template order per deadline day goes in through the store's own API (its ship-to and
 * PO sealed under that day's real data key); the million orders are then cloned from the templates
 * with direct SQL in one transaction (rows, bodies and sealed values in the layout of docs/adr/0006),
 * because a million inserts through the API take minutes. The clones carry their template's
 * envelopes, bound to the template's order id, so they would fail authentication if opened; the
 * purge never opens them (it drops ciphertext and destroys keys).
 */
function seed(config: Config): void {
  const store = openSqliteOrderStore(config);
  const templates: { id: string; day: number }[] = [];
  for (let day = 0; day < DAYS; day++) {
    const order = confirmedOrder(day);
    const id = order.facts.orderId;
    const po = Buffer.from(JSON.stringify({ poNumber: id, shipTo: aShipTo().reveal(), lines: [{ qty: 1 }] }));
    store.insert(order, aShipTo());
    store.saveOutbound({
      orderId: id,
      fileName: `PO_123456_${id}.json`,
      documentType: "PO",
      bytes: po,
      sha256: createHash("sha256").update(po).digest("hex"),
      createdAt: order.facts.purchaseDate,
      sentAt: order.facts.purchaseDate,
    });
    templates.push({ id, day });
  }
  store.close();
  const db = new Database(path.join(config.storage.dataDir, DATABASE_FILE));
  db.pragma("journal_mode = WAL");
  const get = (sql: string, ...args: string[]) => db.prepare(sql).get(...args) as Record<string, unknown>;
  const rows = templates.map(({ id }) => {
    const order = get("SELECT * FROM orders WHERE order_id = ?", id);
    const table = `pii_${String(order.pii_day).replaceAll("-", "")}`;
    const outbound = get("SELECT * FROM outbound_documents WHERE order_id = ?", id);
    return {
      id,
      table,
      order,
      shipTo: get(`SELECT envelope FROM ${table} WHERE ref = ?`, `ship_to|${id}`).envelope,
      outbound,
      po: get(`SELECT envelope FROM ${table} WHERE ref = ?`, `outbound|${id}|${outbound.file_name}`).envelope,
    };
  });
  const insertOrder = db.prepare(
    "INSERT INTO orders (order_id, state, purchase_date, last_updated_time, pending_packages, pii_day, pii_deadline, pii_alert_at, pii_purged_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const insertSealed = new Map(
    rows.map((t) => [t.table, db.prepare(`INSERT INTO ${t.table} (ref, envelope) VALUES (?, ?)`)]),
  );
  const insertOutbound = db.prepare(
    "INSERT INTO outbound_documents (file_name, order_id, document_type, pii_day, sha256, created_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  db.transaction(() => {
    for (let i = templates.length; i < ORDERS; i++) {
      const t = rows[i % rows.length];
      if (!t) throw new Error("no template");
      const id = `114-${String(i).padStart(7, "0")}-${String((i * 7919) % 10_000_000).padStart(7, "0")}`;
      const o = t.order;
      insertOrder.run(
        id,
        o.state,
        o.purchase_date,
        o.last_updated_time,
        o.pending_packages,
        o.pii_day,
        o.pii_deadline,
        o.pii_alert_at,
        o.pii_purged_at,
        String(o.body).replaceAll(t.id, id),
      );
      const fileName = `PO_123456_${id}.json`;
      const sealed = insertSealed.get(t.table);
      sealed?.run(`ship_to|${id}`, t.shipTo);
      sealed?.run(`outbound|${id}|${fileName}`, t.po);
      const d = t.outbound;
      insertOutbound.run(fileName, id, d.document_type, d.pii_day, d.sha256, d.created_at, d.sent_at);
    }
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}

/** The child: opens the store as the daemon does, runs the purge once, reports its time and peak RSS. */
async function purgeInThisProcess(root: string): Promise<void> {
  const container = buildContainer(
    configIn(root),
    { command: "purge", consoleEvents: false },
    {
      plugins: { logger: fakePlugin("logger", [[EventLog, new MemoryEventLog()]]) },
      clock: new FixedClock(NOW),
      volumeInspector: new FakeVolumeInspector([root]),
    },
  );
  const store = container.get(OrderStore);
  const purge = container.get(PurgePii);
  const started = performance.now();
  const report = await purge.execute();
  const seconds = (performance.now() - started) / 1000;
  const held = store.duePii(new Date(NOW)).orders;
  store.close();
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `${JSON.stringify({ seconds, peakRssMb, counts: report.counts, ok: report.ok, problems: report.problems, held })}\n`,
  );
}

interface ChildResult {
  seconds: number;
  peakRssMb: number;
  counts: Record<string, number>;
  ok: boolean;
  problems: unknown[];
  held: number;
}

/**
 * 1,000,000 orders past their PII deadline, purged by the real PurgePii use case on the real
 * SQLite store. The purge runs in a child process of its own, so its peak RSS is the purge's, not
 * the seeding's.
 */
export async function purgeBench(print: (line: string) => void): Promise<BenchResult> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "fulfillment-bench-purge-"));
  try {
    const config = configIn(root);
    const seedStart = performance.now();
    seed(config);
    const dbBytes = fs.statSync(path.join(config.storage.dataDir, DATABASE_FILE)).size;
    print(
      `purge: ${ORDERS} confirmed orders past their deadline over ${DAYS} days, seeded with SQL in ${((performance.now() - seedStart) / 1000).toFixed(1)} s (${Math.round(dbBytes / 1024 / 1024)} MB)`,
    );
    const child = spawnSync(process.execPath, [...process.execArgv, SELF, "--child", root], {
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    });
    const last = child.stdout.trim().split("\n").pop() ?? "";
    if (child.status !== 0 || !last.startsWith("{")) {
      const why = `${child.stderr}`.trim().split("\n").slice(-5).join(" | ");
      return {
        line: `purge: orders=${ORDERS} seconds=NaN peak_rss_mb=NaN`,
        misses: [`the purge process failed (exit ${child.status}): ${why}`],
      };
    }
    const r = JSON.parse(last) as ChildResult;
    print(`  counts:  ${JSON.stringify(r.counts)}${r.ok ? "" : ` problems ${JSON.stringify(r.problems)}`}`);
    print(
      `  elapsed: ${r.seconds.toFixed(2)} s, peak RSS ${Math.round(r.peakRssMb)} MB; ${r.held} orders still hold PII`,
    );
    const misses: string[] = [];
    if ((r.counts.purged ?? 0) !== ORDERS || r.held !== 0)
      misses.push(`purged ${r.counts.purged ?? 0} orders, ${r.held} still hold PII (target: all ${ORDERS})`);
    if (!(r.seconds < TARGET_SECONDS))
      misses.push(`${r.seconds.toFixed(1)} s (target < ${TARGET_SECONDS} s)`);
    if (!(r.peakRssMb < TARGET_RSS_MB))
      misses.push(`peak RSS ${Math.round(r.peakRssMb)} MB (target < ${TARGET_RSS_MB} MB)`);
    return {
      line: `purge: orders=${ORDERS} seconds=${r.seconds.toFixed(2)} peak_rss_mb=${Math.round(r.peakRssMb)}`,
      misses,
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child" && process.argv[3]) await purgeInThisProcess(process.argv[3]);
