import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";
// @ts-types="@types/better-sqlite3"
import Database from "better-sqlite3";
import { Container } from "inversify";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { MIGRATIONS } from "../../src/adapters/sqlite/migrations.js";
import { DATABASE_FILE, openDatabase } from "../../src/adapters/sqlite/sqlite.database.js";
import { sqlitePlugin } from "../../src/adapters/sqlite/sqlite.plugin.js";
import { type Config, DEFAULTS } from "../../src/app/config/config.js";
import { AlertSink } from "../../src/app/ports/alert-sink.port.js";
import { Clock } from "../../src/app/ports/clock.port.js";
import { OrderStore } from "../../src/app/ports/order-store.port.js";
import { anOrder, aShipTo } from "../support/order-mother.js";
import { sealedValue, sqliteStoreIn, storageIn } from "../support/sqlite-store.js";

const test = suite("SQLite store files");

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "sqlite-files-"));
}

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

/** Every file of the database, read whole. */
function databaseBytes(dir: string): Buffer {
  return Buffer.concat(
    fs
      .readdirSync(dir)
      .filter((f) => f.startsWith(DATABASE_FILE))
      .map((f) => fs.readFileSync(path.join(dir, f))),
  );
}

test("the data directory is created 0700 and the database files 0600, whatever the umask", () => {
  const root = tempDir();
  const dataDir = path.join(root, "var", "data");
  const previous = process.umask(0o000);
  try {
    openDatabase(dataDir).close();
    const db = openDatabase(dataDir);
    assert.is(mode(dataDir), 0o700);
    for (const suffix of ["", "-wal", "-shm"]) {
      const file = path.join(dataDir, `${DATABASE_FILE}${suffix}`);
      assert.ok(fs.existsSync(file), `${suffix || "db"} exists`);
      assert.is(mode(file), 0o600, `${DATABASE_FILE}${suffix}`);
    }
    db.close();
  } finally {
    process.umask(previous);
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("an existing data directory and database file are tightened to 0700 and 0600", () => {
  const dataDir = tempDir();
  try {
    openDatabase(dataDir).close();
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(path.join(dataDir, DATABASE_FILE), 0o644);
    openDatabase(dataDir).close();
    assert.is(mode(dataDir), 0o700);
    assert.is(mode(path.join(dataDir, DATABASE_FILE)), 0o600);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test("a database made with 4 KB pages keeps them and opens as before", () => {
  const dataDir = tempDir();
  try {
    const old = new Database(path.join(dataDir, DATABASE_FILE));
    old.pragma("journal_mode = WAL");
    old.exec("CREATE TABLE made_before (x INTEGER)");
    assert.is(old.pragma("page_size", { simple: true }), 4096);
    old.close();
    const db = openDatabase(dataDir);
    assert.is(db.pragma("page_size", { simple: true }), 4096);
    assert.is(db.pragma("integrity_check", { simple: true }), "ok");
    db.close();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test("the pragmas the store relies on are set", () => {
  const dataDir = tempDir();
  const db = openDatabase(dataDir);
  try {
    assert.is(db.pragma("journal_mode", { simple: true }), "wal");
    assert.is(db.pragma("synchronous", { simple: true }), 2);
    assert.is(db.pragma("busy_timeout", { simple: true }), 5000);
    assert.is(db.pragma("page_size", { simple: true }), 8192, "a new database's pages");
    assert.is(db.pragma("foreign_keys", { simple: true }), 1);
    // FAST (2): erased values are zeroed in pages written anyway; whole purged days are crypto-shredded.
    assert.is(db.pragma("secure_delete", { simple: true }), 2);
  } finally {
    db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test("migrations are recorded once, and reopening runs none again", () => {
  const dataDir = tempDir();
  try {
    const first = openDatabase(dataDir);
    const recorded = first
      .prepare("SELECT version, applied_at FROM schema_migrations ORDER BY version")
      .all();
    first.close();
    assert.equal(
      recorded.map((r) => (r as { version: number }).version),
      MIGRATIONS.map((_, i) => i + 1),
    );
    const again = openDatabase(dataDir);
    assert.equal(
      again.prepare("SELECT version, applied_at FROM schema_migrations ORDER BY version").all(),
      recorded,
    );
    again.close();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test("a database from a newer release is refused, untouched", () => {
  const dataDir = tempDir();
  try {
    openDatabase(dataDir).close();
    const raw = new Database(path.join(dataDir, DATABASE_FILE));
    raw
      .prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
      .run(MIGRATIONS.length + 1, "x");
    raw.close();
    assert.throws(() => openDatabase(dataDir), /newer release/);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test("the ship-to is stored only sealed: in no order row and in no database file in plaintext", () => {
  const root = tempDir();
  const store = sqliteStoreIn(root);
  try {
    const order = anOrder();
    store.insert(order, aShipTo({ name: "Zebulon Quixwartz", line1: "9 Xylophagous Way" }));
    const db = new Database(path.join(root, "data", DATABASE_FILE), { readonly: true });
    const row = db.prepare("SELECT * FROM orders WHERE order_id = ?").get(order.facts.orderId);
    const sealed = sealedValue(db, order.facts.orderId);
    db.close();
    assert.not.match(JSON.stringify(row), /Quixwartz|Xylophagous/);
    assert.ok(sealed, "the ship-to has its sealed row");
    const lookup = store.getShipTo(order.facts.orderId);
    assert.is(lookup.kind === "held" && lookup.shipTo.reveal().name, "Zebulon Quixwartz");
    const bytes = databaseBytes(path.join(root, "data"));
    assert.not.ok(bytes.includes("Quixwartz") || bytes.includes("Xylophagous"));
  } finally {
    store.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("an erased ship-to and PO leave no row behind, while the same day's other orders stay readable", () => {
  const root = tempDir();
  const dataDir = path.join(root, "data");
  try {
    const store = sqliteStoreIn(root);
    const erased = anOrder();
    const kept = anOrder();
    store.insert(erased, aShipTo({ name: "Ottoline Vravoskaya", line1: "31 Quillwort Terrace" }));
    store.insert(kept, aShipTo({ name: "Barnaby Keswickham" }));
    store.saveOutbound({
      orderId: erased.facts.orderId,
      fileName: "PO_1.json",
      documentType: "PO",
      bytes: new TextEncoder().encode('{"shipTo":{"line1":"31 QUILLWORT TERRACE"}}'),
      sha256: "a".repeat(64),
      createdAt: "2026-11-02T15:20:00.000Z",
    });
    // Shipped early enough that its deadline falls on the purge's day: erased on its own, the day kept.
    store.update({ ...erased, state: "SHIPPED_FULL", finalShipmentTime: "2026-11-02T01:00:00.000Z" });
    store.update({ ...kept, state: "SHIPPED_FULL", finalShipmentTime: "2026-11-02T20:00:00.000Z" });
    assert.is(store.purgeDuePii(new Date("2026-12-02T03:15:00.000Z")).orders, 1);
    store.close();
    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    const values = db.prepare("SELECT ref FROM pii_20261202 ORDER BY ref").all() as { ref: string }[];
    assert.equal(values, [{ ref: `ship_to|${kept.facts.orderId}` }], "only the kept order's value is left");
    db.close();
    const again = sqliteStoreIn(root);
    const lookup = again.getShipTo(kept.facts.orderId);
    assert.is(lookup.kind === "held" && lookup.shipTo.reveal().name, "Barnaby Keswickham");
    again.close();
    const bytes = databaseBytes(dataDir);
    for (const plain of ["Vravoskaya", "Quillwort", "QUILLWORT", "Keswickham"])
      assert.not.ok(bytes.includes(plain), plain);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

function configFor(dataDir: string): Config {
  // The store reads nothing but storage and retention; the rest of Config is irrelevant here.
  const storage = { ...storageIn(dataDir), dataDir };
  return { storage, retention: DEFAULTS.retention } as unknown as Config;
}

test("the plugin opens the database only when the store is first resolved", () => {
  const root = tempDir();
  const dataDir = path.join(root, "data");
  try {
    const container = new Container();
    container.bind(Clock).toConstantValue({ now: () => new Date("2026-11-05T03:15:00Z") });
    container.load(sqlitePlugin.module(configFor(dataDir)));
    assert.not.ok(fs.existsSync(dataDir), "loading the module leaves the data directory alone");
    const store = container.get(OrderStore);
    assert.ok(fs.existsSync(path.join(dataDir, DATABASE_FILE)));
    assert.is(container.get(OrderStore), store, "the store is a singleton");
    store.close();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("the plugin's store and alert sink share one database", () => {
  const dataDir = tempDir();
  try {
    const container = new Container();
    container.bind(Clock).toConstantValue({ now: () => new Date("2026-11-05T03:15:00Z") });
    container.load(sqlitePlugin.module(configFor(dataDir)));
    const store = container.get(OrderStore);
    const alerts = container.get(AlertSink);
    alerts.raise({ code: "SFTP_DOWN", severity: "critical", message: "connection refused" });
    assert.is(alerts.active().length, 1);
    store.close();
    assert.throws(() => alerts.active(), "closing the store closed the shared connection");
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test("the plugin names itself for the store family", () => {
  assert.is(sqlitePlugin.family, "store");
  assert.is(sqlitePlugin.name, "sqlite");
  assert.ok(sqlitePlugin.summary.length > 0 && !sqlitePlugin.summary.includes("\n"));
});

test.run();
