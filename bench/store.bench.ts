import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
// @ts-types="@types/better-sqlite3"
import Database from "better-sqlite3";
import { MIGRATIONS } from "../src/adapters/sqlite/migrations.js";
import { DATABASE_FILE, PAGE_SIZE } from "../src/adapters/sqlite/sqlite.database.js";
import { buildContainer } from "../src/app/composition/container.js";
import { EventLog } from "../src/app/ports/event-log.port.js";
import { Marketplace } from "../src/app/ports/marketplace.port.js";
import { OrderStore } from "../src/app/ports/order-store.port.js";
import { SupplierGateway } from "../src/app/ports/supplier-gateway.port.js";
import { CollectSupplierDocuments } from "../src/app/use-cases/collect-supplier-documents.use-case.js";
import { ConfirmShipments } from "../src/app/use-cases/confirm-shipments.use-case.js";
import { ImportOrders } from "../src/app/use-cases/import-orders.use-case.js";
import type { StepReport } from "../src/app/use-cases/step-report.js";
import { SubmitPurchaseOrders } from "../src/app/use-cases/submit-purchase-orders.use-case.js";
import { fakePlugin, HARNESS_SKUS } from "../test/support/app-harness.js";
import { ackFile, asnFile, uploadedPo } from "../test/support/essendant-answers.js";
import { FakeMarketplace } from "../test/support/fakes/fake.marketplace.js";
import { FakeVolumeInspector } from "../test/support/fakes/fake.volume-inspector.js";
import { FixedClock } from "../test/support/fakes/fixed.clock.js";
import { MemoryEventLog } from "../test/support/fakes/memory.event-log.js";
import { MemorySupplierGateway } from "../test/support/fakes/memory.supplier-gateway.js";
import { aLocalFolderConfig } from "../test/support/local-folder-config.js";
import { anAmazonOrder, anItem } from "../test/support/order-mother.js";
import type { BenchResult } from "./bench.rig.js";

const ORDERS = Number(process.env.BENCH_ORDERS ?? 10_000);
const TARGET_ORDERS_PER_S = 2000;

/** Every row of every table of `source`, inserted into a fresh database with the same schema in one transaction. */
function rawInsertMs(source: string, dir: string): number {
  const from = new Database(source, { readonly: true });
  const to = new Database(path.join(dir, "raw.db"));
  try {
    to.pragma(`page_size = ${PAGE_SIZE}`);
    to.pragma("journal_mode = WAL");
    to.pragma("synchronous = FULL");
    for (const step of MIGRATIONS) to.exec(step);
    const schema = from
      .prepare<[], { name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'",
      )
      .all();
    // The day tables of the PII vault are created as values are sealed, not by a migration.
    for (const { name, sql } of schema) if (name.startsWith("pii_2")) to.exec(sql);
    const tables = schema.map((t) => t.name);
    const rows = tables.map((table) => ({
      table,
      rows: from.prepare(`SELECT * FROM ${table}`).raw().all() as unknown[][],
    }));
    const started = performance.now();
    to.transaction(() => {
      for (const { table, rows: all } of rows) {
        const width = all[0]?.length ?? 0;
        if (width === 0) continue;
        const insert = to.prepare(`INSERT INTO ${table} VALUES (${Array(width).fill("?").join(", ")})`);
        for (const row of all) insert.run(row);
      }
    })();
    return performance.now() - started;
  } finally {
    from.close();
    to.close();
  }
}

/**
 * 10,000 orders through import → PO → ACK → ASN → confirmation: the real use cases and the real
 * SQLite store (AES-256-GCM sealed ship-tos and POs, WAL, synchronous=FULL) in a temp directory,
 * Amazon and Essendant as in-memory fakes. Only the application's calls are timed, not the fakes
 * writing Essendant's answers. The baseline is raw better-sqlite3 inserting the rows the run left
 * in the database, every table, in one transaction.
 */
export async function storeBench(print: (line: string) => void): Promise<BenchResult> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "fulfillment-bench-store-"));
  const clock = new FixedClock("2026-12-04T10:00:00Z");
  const marketplace = new FakeMarketplace(100);
  const gateway = new MemorySupplierGateway();
  const base = aLocalFolderConfig(root);
  const config = { ...base, essendant: { ...base.essendant, shipMethods: { STANDARD: "GRND" } } };
  const container = buildContainer(
    config,
    { command: "bench", consoleEvents: false },
    {
      plugins: {
        marketplace: fakePlugin("marketplace", [[Marketplace, marketplace]]),
        supplier: fakePlugin("supplier", [[SupplierGateway, gateway]]),
        logger: fakePlugin("logger", [[EventLog, new MemoryEventLog()]]),
      },
      skuMap: HARNESS_SKUS,
      clock,
      volumeInspector: new FakeVolumeInspector([root]),
    },
  );
  const store = container.get(OrderStore);
  try {
    print(`store: ${ORDERS} orders, one item and one package each, on the sqlite store in ${root}`);
    const ids: string[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const order = anAmazonOrder({
        facts: {
          purchaseDate: "2026-12-04T09:00:00Z",
          lastUpdatedTime: "2026-12-04T09:05:00Z",
          items: [anItem({ sellerSku: "PAPER" })],
        },
      });
      marketplace.add(order);
      ids.push(order.facts.orderId);
    }
    // Resolved once, as the daemon does at start: building them (schema compilation) is not timed.
    const importOrders = container.get(ImportOrders);
    const submit = container.get(SubmitPurchaseOrders);
    const collect = container.get(CollectSupplierDocuments);
    const confirm = container.get(ConfirmShipments);
    const timings: [string, number][] = [];
    const problems: string[] = [];
    const timed = async (label: string, step: () => Promise<StepReport>) => {
      const started = performance.now();
      const report = await step();
      timings.push([label, performance.now() - started]);
      if (!report.ok) problems.push(`${label}: ${JSON.stringify(report.problems.slice(0, 3))}`);
      return report;
    };
    await timed("import", () => importOrders.execute());
    await timed("submit", () => submit.execute());
    clock.set("2026-12-04T10:31:00Z");
    const pos = ids.map((id) => ({ id, po: uploadedPo(gateway, id) }));
    for (const { id, po } of pos) gateway.dropInbound(`ACK_123456_${id}_1.json`, ackFile(po));
    await timed("collect ACK", () => collect.execute());
    clock.set("2026-12-04T20:05:00Z");
    for (const { id, po } of pos) gateway.dropInbound(`ASN_123456_${id}_S1.json`, asnFile(po, `S${id}`));
    await timed("collect ASN", () => collect.execute());
    clock.set("2026-12-04T20:10:00Z");
    await timed("confirm", () => confirm.execute());

    const totalMs = timings.reduce((sum, [, ms]) => sum + ms, 0);
    const confirmed = store.countsByState().CONFIRMED ?? 0;
    const onAmazon = marketplace.confirmations().length;
    store.close();
    const rawMs = rawInsertMs(path.join(config.storage.dataDir, DATABASE_FILE), root);
    const ordersPerS = ORDERS / (totalMs / 1000);
    const rawPerS = ORDERS / (rawMs / 1000);
    const ratio = ordersPerS / rawPerS;

    for (const [label, ms] of timings)
      print(
        `  ${label.padEnd(12)} ${(ms / 1000).toFixed(2)} s  (${Math.round(ORDERS / (ms / 1000))} orders/s)`,
      );
    print(
      `  pipeline     ${(totalMs / 1000).toFixed(2)} s; ${confirmed} orders CONFIRMED, ${onAmazon} packages on Amazon`,
    );
    print(
      `  raw insert   ${(rawMs / 1000).toFixed(3)} s for the same rows in one transaction (${Math.round(rawPerS)} orders/s)`,
    );

    const misses = [...problems];
    if (confirmed !== ORDERS || onAmazon !== ORDERS)
      misses.push(`${confirmed} orders confirmed (${onAmazon} on Amazon), not ${ORDERS}`);
    if (!(ordersPerS >= TARGET_ORDERS_PER_S))
      misses.push(`${Math.round(ordersPerS)} orders/s (target ≥ ${TARGET_ORDERS_PER_S})`);
    return {
      line: `store: orders=${ORDERS} orders_per_s=${Math.round(ordersPerS)} raw_ratio=${ratio.toFixed(3)}`,
      misses,
    };
  } finally {
    store.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
