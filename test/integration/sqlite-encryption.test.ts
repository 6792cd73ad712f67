import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
// @ts-types="@types/better-sqlite3"
import Database from "better-sqlite3";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { envelopeKeyId } from "../../src/adapters/crypto/aes-gcm.envelope.js";
import { FieldCipher } from "../../src/adapters/crypto/field-cipher.js";
import { openKeyRing, rotateKeyFile } from "../../src/adapters/crypto/key-custody.js";
import { MIGRATIONS } from "../../src/adapters/sqlite/migrations.js";
import { DATABASE_FILE, openDatabase } from "../../src/adapters/sqlite/sqlite.database.js";
import { SqliteOrderStore } from "../../src/adapters/sqlite/sqlite.order-store.js";
import { SqlitePiiVault } from "../../src/adapters/sqlite/sqlite.pii-vault.js";
import { openSqliteOrderStore } from "../../src/adapters/sqlite/sqlite.plugin.js";
import { DEFAULTS } from "../../src/app/config/config.js";
import { ConfigError, IntegrationError } from "../../src/app/errors.js";
import type { OrderStore, OutboundDocument } from "../../src/app/ports/order-store.port.js";
import type { FulfillmentOrder } from "../../src/domain/fulfillment-order.js";
import { anOrder, aShipTo } from "../support/order-mother.js";
import { overwriteSealed, sealedValue, sqliteStoreIn, storageIn } from "../support/sqlite-store.js";
import { thrown } from "../support/thrown.js";

const test = suite("SQLite store: PII sealed with AES-256-GCM, keys destroyed at the purge");

/** Purchased 2026-11-02 (hard cap 2027-01-01), shipped 2026-11-03T10:00Z: deadline 2026-12-03T10:00Z. */
const SHIPPED_AT = "2026-11-03T10:00:00.000Z";
const DEADLINE = new Date("2026-12-03T10:00:00.000Z");

function withRoot(body: (root: string) => void): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "sqlite-crypto-"));
  try {
    body(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function rawDb(root: string): Database.Database {
  return new Database(path.join(root, "data", DATABASE_FILE));
}

function shipped(order: FulfillmentOrder): FulfillmentOrder {
  return { ...order, state: "SHIPPED_FULL", finalShipmentTime: SHIPPED_AT };
}

function aPo(orderId: string, line1: string): OutboundDocument {
  return {
    orderId,
    fileName: `PO_123456_${orderId}.json`,
    documentType: "PO",
    bytes: new TextEncoder().encode(`{"shipTo":{"line1":"${line1}"}}`),
    sha256: "b".repeat(64),
    createdAt: "2026-11-02T16:00:00.000Z",
  };
}

function keyIdOf(root: string, orderId: string): number | undefined {
  const db = rawDb(root);
  const { envelope } = sealedValue(db, orderId);
  db.close();
  return envelopeKeyId(envelope);
}

test("a tampered ciphertext byte makes reading that order's ship-to an integrity error, never plaintext", () =>
  withRoot((root) => {
    let store: OrderStore = sqliteStoreIn(root);
    const tampered = anOrder();
    const intact = anOrder();
    store.insert(tampered, aShipTo({ name: "Tamsin Quorvath" }));
    store.insert(intact, aShipTo());
    store.close();
    const db = rawDb(root);
    const value = sealedValue(db, tampered.facts.orderId);
    const envelope = Buffer.from(value.envelope);
    envelope.writeUInt8(envelope.readUInt8(envelope.length - 20) ^ 0x01, envelope.length - 20);
    overwriteSealed(db, value, envelope);
    db.close();
    store = sqliteStoreIn(root);
    const error = thrown(() => store.getShipTo(tampered.facts.orderId));
    assert.instance(error, IntegrationError);
    assert.is((error as IntegrationError).code, "PII_INTEGRITY_ERROR");
    assert.is((error as IntegrationError).retryable, false);
    assert.not.match((error as Error).message, /Quorvath/i);
    assert.is(store.getShipTo(intact.facts.orderId).kind, "held", "the other orders still read");
    store.close();
  }));

test("a ciphertext moved to another order's row fails authentication", () =>
  withRoot((root) => {
    let store: OrderStore = sqliteStoreIn(root);
    const a = anOrder();
    const b = anOrder();
    store.insert(a, aShipTo({ name: "Alpha" }));
    store.insert(b, aShipTo({ name: "Bravo" }));
    store.close();
    const db = rawDb(root);
    overwriteSealed(db, sealedValue(db, b.facts.orderId), sealedValue(db, a.facts.orderId).envelope);
    db.close();
    store = sqliteStoreIn(root);
    assert.is(
      (thrown(() => store.getShipTo(b.facts.orderId)) as IntegrationError).code,
      "PII_INTEGRITY_ERROR",
    );
    store.close();
  }));

test("a tampered PO document fails authentication instead of being sent", () =>
  withRoot((root) => {
    let store: OrderStore = sqliteStoreIn(root);
    const order = anOrder({ state: "PO_READY" });
    store.insert(order, aShipTo());
    store.saveOutbound(aPo(order.facts.orderId, "1 MAIN ST"));
    store.close();
    const db = rawDb(root);
    const value = sealedValue(db, order.facts.orderId, aPo(order.facts.orderId, "").fileName);
    const envelope = Buffer.from(value.envelope);
    envelope.writeUInt8(envelope.readUInt8(30) ^ 0x80, 30);
    overwriteSealed(db, value, envelope);
    db.close();
    store = sqliteStoreIn(root);
    assert.is((thrown(() => store.unsentOutbound()) as IntegrationError).code, "PII_INTEGRITY_ERROR");
    store.close();
  }));

test("a delivered PO's sealed bytes are erased: only a re-send needed them, and the ship-to stays", () =>
  withRoot((root) => {
    const store = sqliteStoreIn(root);
    const order = anOrder({ state: "PO_READY" });
    const po = aPo(order.facts.orderId, "4 MINIMAL WAY");
    store.insert(order, aShipTo({ name: "Minna Mising" }));
    store.saveOutbound(po);
    const db = rawDb(root);
    const sealed = sealedValue(db, order.facts.orderId, po.fileName);
    store.markOutboundSent(po.fileName, "2026-11-02T16:01:00.000Z");
    const left = db.prepare(`SELECT COUNT(*) AS n FROM ${sealed.table} WHERE ref = ?`).get(sealed.ref);
    assert.equal(left, { n: 0 });
    assert.equal(
      db.prepare("SELECT pii_day, sent_at FROM outbound_documents WHERE file_name = ?").get(po.fileName),
      { pii_day: null, sent_at: "2026-11-02T16:01:00.000Z" },
    );
    db.close();
    assert.equal(store.unsentOutbound(), []);
    store.markOutboundSent(po.fileName, "2026-11-02T17:00:00.000Z");
    const lookup = store.getShipTo(order.facts.orderId);
    assert.is(lookup.kind === "held" && lookup.shipTo.reveal().name, "Minna Mising");
    // Re-saved under the same name (a PO rebuilt for a re-send), it is sealed and waits again.
    store.saveOutbound(po);
    assert.equal(store.unsentOutbound()[0]?.bytes, po.bytes);
    store.close();
  }));

test("when the deadline moves to another day, the ship-to and PO are re-sealed under that day's key", () =>
  withRoot((root) => {
    const store = sqliteStoreIn(root);
    const order = anOrder({ state: "PO_SENT" });
    store.insert(order, aShipTo({ name: "Rekeyed Person" }));
    store.saveOutbound(aPo(order.facts.orderId, "2 REKEY RD"));
    const ring = path.join(root, "data", "keyring");
    assert.equal(fs.readdirSync(ring).sort(), ["2027-01-01.key"], "the hard cap's day (purchase + 60 days)");
    const before = keyIdOf(root, order.facts.orderId);
    store.update(shipped(order));
    assert.ok(fs.existsSync(path.join(ring, "2026-12-03.key")), "the shipment deadline's day has a key");
    assert.is.not(keyIdOf(root, order.facts.orderId), before);
    const lookup = store.getShipTo(order.facts.orderId);
    assert.is(lookup.kind === "held" && lookup.shipTo.reveal().name, "Rekeyed Person");
    assert.equal(store.unsentOutbound()[0]?.bytes, aPo(order.facts.orderId, "2 REKEY RD").bytes);
    // The hard-cap key now protects nothing: the next purge destroys it, and the copies under it.
    const purge = store.purgeDuePii(new Date("2026-11-04T00:00:00Z"));
    assert.equal(
      { orders: purge.orders, keysDestroyed: purge.keysDestroyed },
      { orders: 0, keysDestroyed: 1 },
    );
    assert.equal(
      fs.readdirSync(ring).filter((n) => n.endsWith(".key")),
      ["2026-12-03.key"],
    );
    assert.is(store.getShipTo(order.facts.orderId).kind, "held");
    store.close();
  }));

test("a backup copied before the purge cannot reveal the ship-to once the purge destroyed its key", () =>
  withRoot((root) => {
    let store: OrderStore = sqliteStoreIn(root);
    const purged = shipped(anOrder({ state: "PO_SENT" }));
    const later = anOrder();
    store.insert(purged, aShipTo({ name: "Purgeable Vexworth" }));
    store.insert(later, aShipTo({ name: "Lingering Person" }));
    store.update(purged);
    store.saveOutbound(aPo(purged.facts.orderId, "3 VEXWORTH WAY"));
    store.close();
    // The backup: the database files, copied while the store is closed (the key ring is not in it).
    const backup = path.join(root, "backup");
    fs.mkdirSync(backup);
    for (const f of fs.readdirSync(path.join(root, "data")).filter((n) => n.startsWith(DATABASE_FILE)))
      fs.copyFileSync(path.join(root, "data", f), path.join(backup, f));

    store = sqliteStoreIn(root);
    const justBefore = new Date(DEADLINE.getTime() - 1000);
    assert.is(store.purgeDuePii(justBefore).orders, 0);
    const held = store.getShipTo(purged.facts.orderId);
    assert.is(held.kind === "held" && held.shipTo.reveal().name, "Purgeable Vexworth", "one second before");
    const purge = store.purgeDuePii(DEADLINE);
    assert.equal(
      { orders: purge.orders, keysDestroyed: purge.keysDestroyed },
      { orders: 1, keysDestroyed: 1 },
    );
    assert.equal(store.getShipTo(purged.facts.orderId), { kind: "purged", at: DEADLINE.toISOString() });
    store.close();

    // The backup restored beside the current key ring and key file.
    const restored = path.join(root, "restored");
    fs.cpSync(backup, path.join(restored, "data"), { recursive: true });
    fs.cpSync(path.join(root, "data", "keyring"), path.join(restored, "data", "keyring"), {
      recursive: true,
    });
    const storage = { ...storageIn(root), dataDir: path.join(restored, "data") };
    const copy = openSqliteOrderStore({ storage, retention: DEFAULTS.retention });
    assert.equal(copy.getShipTo(purged.facts.orderId), { kind: "purged", at: DEADLINE.toISOString() });
    assert.equal(copy.unsentOutbound(), [], "its PO cannot be opened either");
    const kept = copy.getShipTo(later.facts.orderId);
    assert.is(kept.kind === "held" && kept.shipTo.reveal().name, "Lingering Person", "other days still read");
    copy.close();

    // Without even the destroyed key's tombstone, the copy is a missing-key error, still not plaintext.
    for (const n of fs.readdirSync(path.join(restored, "data", "keyring")))
      if (n.endsWith(".shredded")) fs.rmSync(path.join(restored, "data", "keyring", n));
    const bare = openSqliteOrderStore({ storage, retention: DEFAULTS.retention });
    assert.is(
      (thrown(() => bare.getShipTo(purged.facts.orderId)) as IntegrationError).code,
      "PII_KEY_MISSING",
    );
    bare.close();
  }));

test("the store refuses to open without a configured, existing, private key file", () =>
  withRoot((root) => {
    const storage = { ...storageIn(root), createKeyFileIfMissing: false };
    const open = (s: typeof storage | Omit<typeof storage, "keyFile">) =>
      thrown(() => openSqliteOrderStore({ storage: s, retention: DEFAULTS.retention }));
    const { keyFile: _, ...unkeyed } = storage;
    const notConfigured = open(unkeyed);
    assert.instance(notConfigured, ConfigError);
    assert.match((notConfigured as Error).message, /storage\.keyFile is required.*keys init/);
    const missing = open(storage);
    assert.instance(missing, ConfigError);
    assert.match((missing as Error).message, new RegExp(`${storage.keyFile}.*fulfillment keys init`));
    assert.not.ok(fs.existsSync(storage.dataDir), "a refused key touches no data");
    sqliteStoreIn(root).close();
    fs.chmodSync(storage.keyFile, 0o640);
    const readable = open(storage);
    assert.instance(readable, ConfigError);
    assert.match((readable as Error).message, new RegExp(`chmod 600 ${storage.keyFile}`));
  }));

test("rotating the key file re-wraps every data key and every ship-to still reads", () =>
  withRoot((root) => {
    let store: OrderStore = sqliteStoreIn(root);
    const orders = [
      anOrder(),
      shipped(anOrder()),
      anOrder({ facts: { purchaseDate: "2026-11-20T10:00:00Z" } }),
    ];
    for (const o of orders) store.insert(o, aShipTo({ name: `Person ${o.facts.orderId}` }));
    store.close();
    const storage = storageIn(root);
    const oldKey = fs.readFileSync(storage.keyFile);
    assert.equal(rotateKeyFile(storage), { file: storage.keyFile, dataKeys: 3 });
    assert.not.equal(fs.readFileSync(storage.keyFile), oldKey);
    assert.is(fs.statSync(storage.keyFile).mode & 0o777, 0o600);
    const readAll = (s: OrderStore) => {
      for (const o of orders) {
        const lookup = s.getShipTo(o.facts.orderId);
        assert.is(lookup.kind === "held" && lookup.shipTo.reveal().name, `Person ${o.facts.orderId}`);
      }
    };
    store = sqliteStoreIn(root);
    readAll(store);
    store.close();

    // To another file: the old one no longer opens the ring; the new one does.
    const moved = path.join(root, "keys", "next.key");
    assert.equal(rotateKeyFile(storage, moved), { file: moved, dataKeys: 3 });
    assert.instance(
      thrown(() => sqliteStoreIn(root)),
      ConfigError,
    );
    const rotated = openSqliteOrderStore({
      storage: { ...storage, keyFile: moved },
      retention: DEFAULTS.retention,
    });
    readAll(rotated);
    rotated.close();
  }));

test("a rotation interrupted before its key file was renamed still opens, and resumes when run again", () =>
  withRoot((root) => {
    let store: OrderStore = sqliteStoreIn(root);
    const order = anOrder();
    store.insert(order, aShipTo({ name: "Interrupted" }));
    store.close();
    const storage = storageIn(root);
    const oldKey = fs.readFileSync(storage.keyFile);
    rotateKeyFile(storage);
    // As if the process died after re-wrapping, before the rename: old key in place, new one staged.
    fs.renameSync(storage.keyFile, `${storage.keyFile}.rotating`);
    fs.writeFileSync(storage.keyFile, oldKey, { mode: 0o600 });
    store = sqliteStoreIn(root);
    assert.is(store.getShipTo(order.facts.orderId).kind, "held");
    store.close();
    assert.equal(rotateKeyFile(storage), { file: storage.keyFile, dataKeys: 1 });
    assert.not.ok(fs.existsSync(`${storage.keyFile}.rotating`));
    store = sqliteStoreIn(root);
    assert.is(store.getShipTo(order.facts.orderId).kind, "held");
    store.close();
  }));

test("a shorter retention policy at start moves every deadline, and the PII with it", () =>
  withRoot((root) => {
    let store: OrderStore = sqliteStoreIn(root);
    const order = shipped(anOrder({ state: "PO_SENT" }));
    store.insert(order, aShipTo({ name: "Policy Person" }));
    store.update(order);
    store.saveOutbound(aPo(order.facts.orderId, "6 POLICY PL"));
    store.close();
    // Shipped 2026-11-03T10:00Z: 30 days gave 2026-12-03, 20 days give 2026-11-23.
    store = sqliteStoreIn(root, { ...DEFAULTS.retention, piiDaysAfterShipment: 20 });
    assert.is(store.duePii(new Date("2026-11-23T09:59:59.000Z")).orders, 0);
    assert.equal(store.duePii(new Date("2026-11-23T10:00:00.000Z")), {
      orders: 1,
      firstDeadline: "2026-11-23T10:00:00.000Z",
      lastDeadline: "2026-11-23T10:00:00.000Z",
      keysDestroyed: 0,
    });
    const lookup = store.getShipTo(order.facts.orderId);
    assert.is(
      lookup.kind === "held" && lookup.shipTo.reveal().name,
      "Policy Person",
      "re-sealed, still readable",
    );
    assert.equal(store.unsentOutbound()[0]?.bytes, aPo(order.facts.orderId, "6 POLICY PL").bytes);
    const raw = rawDb(root);
    assert.is(sealedValue(raw, order.facts.orderId).table, "pii_20261123");
    raw.close();
    // The old day's key protects nothing now: the next purge destroys it with the copies under it.
    assert.is(store.purgeDuePii(new Date("2026-11-20T03:15:00.000Z")).keysDestroyed, 1);
    assert.is(store.getShipTo(order.facts.orderId).kind, "held");
    store.close();
  }));

test("a store whose days another process purged reads the PII as purged and seals under those days again", () =>
  withRoot((root) => {
    const daemon = sqliteStoreIn(root);
    const order = anOrder({ state: "PO_SENT" });
    daemon.insert(order, aShipTo({ name: "Shared Person" }));
    daemon.update(shipped(order));
    assert.is(daemon.getShipTo(order.facts.orderId).kind, "held", "its statements for the day are prepared");
    const cli = sqliteStoreIn(root);
    // Its shipment's day (2026-12-03) and the emptied hard-cap day (2027-01-01).
    assert.is(cli.purgeDuePii(new Date("2026-12-04T03:15:00.000Z")).keysDestroyed, 2);
    cli.close();
    assert.equal(daemon.getShipTo(order.facts.orderId), { kind: "purged", at: "2026-12-04T03:15:00.000Z" });
    // The hard-cap day's table went too (nothing was left in it): the daemon's statements for it
    // are stale, and the next order on that day creates it again under a new key.
    const next = anOrder();
    daemon.insert(next, aShipTo({ name: "Next Person" }));
    const lookup = daemon.getShipTo(next.facts.orderId);
    assert.is(lookup.kind === "held" && lookup.shipTo.reveal().name, "Next Person");
    // Sealed under the day's new key, not the destroyed one the daemon still had in memory.
    const reader = sqliteStoreIn(root);
    const read = reader.getShipTo(next.facts.orderId);
    assert.is(read.kind === "held" && read.shipTo.reveal().name, "Next Person");
    reader.close();
    daemon.close();
  }));

test("what another connection commits is read, not what this store remembered of the order", () =>
  withRoot((root) => {
    const daemon = sqliteStoreIn(root);
    const order = anOrder({ state: "PO_SENT" });
    const id = order.facts.orderId;
    daemon.insert(order, aShipTo({ name: "Shared Person" }));
    assert.is(daemon.get(id)?.state, "PO_SENT", "the daemon has read (and remembers) the order");
    const cli = sqliteStoreIn(root);
    cli.update({ ...order, state: "ACK_ACCEPTED" });
    assert.equal(
      daemon.inStates(["ACK_ACCEPTED"]).map((o) => o.state),
      ["ACK_ACCEPTED"],
      "listed outside a transaction",
    );
    assert.is(daemon.get(id)?.state, "ACK_ACCEPTED", "read outside a transaction");
    cli.update(shipped(order));
    assert.is(
      daemon.transaction(() => daemon.get(id)?.state),
      "SHIPPED_FULL",
      "read in the daemon's next transaction",
    );
    // A copy the daemon read before another process purged the order's day: saving it keeps the PII purged.
    const copy = daemon.get(id);
    assert.is(cli.purgeDuePii(new Date("2026-12-04T03:15:00.000Z")).orders, 1);
    cli.close();
    if (copy) daemon.update({ ...copy, state: "CONFIRMED" });
    assert.is(daemon.get(id)?.pii.status, "PURGED");
    assert.equal(daemon.getShipTo(id), { kind: "purged", at: "2026-12-04T03:15:00.000Z" });
    daemon.close();
  }));

test("orders beyond what the store remembers are read from the database, as saved", () =>
  withRoot((root) => {
    const storage = storageIn(root);
    const db = openDatabase(storage.dataDir);
    const store = new SqliteOrderStore(
      db,
      new SqlitePiiVault(db, new FieldCipher(openKeyRing(storage))),
      DEFAULTS.retention,
      2,
    );
    const orders = [anOrder(), anOrder(), anOrder()];
    for (const o of orders) store.insert(o, aShipTo());
    const [first] = orders;
    if (!first) throw new Error("no order");
    assert.equal(store.get(first.facts.orderId), first, "the first was forgotten: read from the database");
    store.update(shipped(first));
    for (const o of orders) store.get(o.facts.orderId);
    assert.is(store.get(first.facts.orderId)?.state, "SHIPPED_FULL");
    assert.equal(
      store.inStates(["NEW"]).map((o) => o.facts.orderId),
      orders.slice(1).map((o) => o.facts.orderId),
    );
    const lookup = store.getShipTo(first.facts.orderId);
    assert.is(lookup.kind, "held", "its ship-to moved to the shipment's day with it");
    store.close();
  }));

/** A database at schema `version`, as an earlier release left it, with `order` in its orders table. */
function legacyDatabase(root: string, version: number, order: FulfillmentOrder): Database.Database {
  fs.mkdirSync(path.join(root, "data"), { recursive: true, mode: 0o700 });
  const db = rawDb(root);
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
  for (let v = 1; v <= version; v++) {
    db.exec(MIGRATIONS[v - 1] ?? "");
    db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(
      v,
      "2026-11-01T00:00:00Z",
    );
  }
  db.prepare(
    "INSERT INTO orders (order_id, state, purchase_date, last_updated_time, pending_packages, pii_status, body) VALUES (?, ?, ?, ?, 0, 'HELD', ?)",
  ).run(
    order.facts.orderId,
    order.state,
    order.facts.purchaseDate,
    order.facts.lastUpdatedTime,
    JSON.stringify(order),
  );
  return db;
}

function databaseFiles(root: string): Buffer {
  const files = fs.readdirSync(path.join(root, "data")).filter((n) => n.startsWith(DATABASE_FILE));
  return Buffer.concat(files.map((f) => fs.readFileSync(path.join(root, "data", f))));
}

test("plaintext written before encryption is sealed when the store opens, and scrubbed from the files", () =>
  withRoot((root) => {
    const order = anOrder();
    const db = legacyDatabase(root, 1, order);
    db.prepare("INSERT INTO ship_to (order_id, fields) VALUES (?, ?)").run(
      order.facts.orderId,
      JSON.stringify(aShipTo({ name: "Legacy Plainworth" }).reveal()),
    );
    const po = aPo(order.facts.orderId, "4 PLAINWORTH LN");
    db.prepare(
      "INSERT INTO outbound_documents (file_name, order_id, document_type, bytes, sha256, created_at) VALUES (?, ?, 'PO', ?, ?, ?)",
    ).run(po.fileName, po.orderId, Buffer.from(po.bytes), po.sha256, po.createdAt);
    db.close();
    const store = sqliteStoreIn(root);
    const lookup = store.getShipTo(order.facts.orderId);
    assert.is(lookup.kind === "held" && lookup.shipTo.reveal().name, "Legacy Plainworth");
    assert.equal(store.unsentOutbound()[0]?.bytes, po.bytes);
    assert.equal(store.get(order.facts.orderId), order);
    const bytes = databaseFiles(root);
    assert.not.ok(bytes.includes("Plainworth") || bytes.includes("PLAINWORTH"));
    store.close();
  }));

test("values sealed by the previous release move into their deadline day's table, and a shredded one is dropped", () =>
  withRoot((root) => {
    const order = shipped(anOrder({ state: "PO_SENT" }));
    const gone = anOrder();
    const db = legacyDatabase(root, 2, order);
    db.prepare(
      "INSERT INTO orders (order_id, state, purchase_date, last_updated_time, pending_packages, pii_status, body) VALUES (?, ?, ?, ?, 0, 'HELD', ?)",
    ).run(
      gone.facts.orderId,
      gone.state,
      gone.facts.purchaseDate,
      gone.facts.lastUpdatedTime,
      JSON.stringify(gone),
    );
    // Sealed as release 2 did: under the hard-cap day's key, in sealed_ship_to and outbound_documents.bytes.
    const cipher = new FieldCipher(openKeyRing(storageIn(root)));
    const put = db.prepare("INSERT INTO sealed_ship_to (order_id, key_id, envelope) VALUES (?, ?, ?)");
    const seal = (day: string, ref: string, text: string) => cipher.seal(day, ref, Buffer.from(text));
    const mine = seal(
      "2027-01-01",
      `ship_to|${order.facts.orderId}`,
      JSON.stringify(aShipTo({ name: "Moved Person" }).reveal()),
    );
    put.run(order.facts.orderId, mine.keyId, mine.envelope);
    const theirs = seal("2026-11-20", `ship_to|${gone.facts.orderId}`, JSON.stringify(aShipTo().reveal()));
    put.run(gone.facts.orderId, theirs.keyId, theirs.envelope);
    const po = aPo(order.facts.orderId, "5 MOVED ST");
    const sealedPo = seal(
      "2027-01-01",
      `outbound|${order.facts.orderId}|${po.fileName}`,
      new TextDecoder().decode(po.bytes),
    );
    db.prepare(
      "INSERT INTO outbound_documents (file_name, order_id, document_type, bytes, key_id, sha256, created_at) VALUES (?, ?, 'PO', ?, ?, ?, ?)",
    ).run(po.fileName, po.orderId, sealedPo.envelope, sealedPo.keyId, po.sha256, po.createdAt);
    cipher.shred(["2026-11-20"], "2026-11-21T03:15:00.000Z");
    cipher.close();
    db.close();

    const store = sqliteStoreIn(root);
    const lookup = store.getShipTo(order.facts.orderId);
    assert.is(lookup.kind === "held" && lookup.shipTo.reveal().name, "Moved Person");
    assert.equal(store.unsentOutbound()[0]?.bytes, po.bytes);
    assert.equal(
      store.getShipTo(gone.facts.orderId),
      { kind: "none" },
      "its key was destroyed before the upgrade",
    );
    store.close();
    const raw = rawDb(root);
    assert.is(sealedValue(raw, order.facts.orderId).table, "pii_20261203", "its shipment deadline's day");
    const left = (sql: string) => (raw.prepare(sql).get() as { n: number }).n;
    assert.is(left("SELECT COUNT(*) AS n FROM sealed_ship_to"), 0);
    assert.is(left("SELECT COUNT(*) AS n FROM outbound_documents WHERE bytes IS NOT NULL"), 0);
    raw.close();
  }));

test.run();
