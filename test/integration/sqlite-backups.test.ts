import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { sealBackup } from "../../src/adapters/crypto/backup-cipher.js";
import { kekOf, readKeyFile } from "../../src/adapters/crypto/key-file.js";
import { buildContainer } from "../../src/app/composition/container.js";
import type { Config } from "../../src/app/config/config.js";
import { Backups } from "../../src/app/ports/backups.port.js";
import { EventLog } from "../../src/app/ports/event-log.port.js";
import { OrderStore } from "../../src/app/ports/order-store.port.js";
import { BackUpStore } from "../../src/app/use-cases/back-up-store.use-case.js";
import { RestoreBackup } from "../../src/app/use-cases/restore-backup.use-case.js";
import { RunSteps } from "../../src/app/use-cases/run-cycle.use-case.js";
import type { FulfillmentOrder } from "../../src/domain/fulfillment-order.js";
import { fakePlugin, HARNESS_SKUS } from "../support/app-harness.js";
import { FixedClock } from "../support/fakes/fixed.clock.js";
import { MemoryEventLog } from "../support/fakes/memory.event-log.js";
import { aLocalFolderConfig } from "../support/local-folder-config.js";
import { anOrder, aShipTo } from "../support/order-mother.js";
import { thrown } from "../support/thrown.js";

const test = suite("encrypted backups of the SQLite store");

const CANARY = "Zyxwvut Canaryway";
/** Shipped 2026-11-03T10:00Z: the ship-to's deadline is 2026-12-03T10:00Z. */
const SHIPPED_AT = "2026-11-03T10:00:00.000Z";
const DEADLINE = "2026-12-03T10:00:00.000Z";

interface Rig {
  readonly root: string;
  readonly config: Config;
  readonly clock: FixedClock;
  /** A fresh container, as each command builds one. */
  open(): ReturnType<typeof buildContainer>;
}

function withRig(body: (rig: Rig) => void | Promise<void>) {
  return async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "backups-"));
    const config = aLocalFolderConfig(root);
    const clock = new FixedClock("2026-11-20T02:45:00Z");
    const open = () =>
      buildContainer(
        config,
        { command: "test", consoleEvents: false },
        {
          plugins: { logger: fakePlugin("logger", [[EventLog, new MemoryEventLog()]]) },
          clock,
          skuMap: HARNESS_SKUS,
        },
      );
    try {
      await body({ root, config, clock, open });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  };
}

function shippedOrder(): FulfillmentOrder {
  return {
    ...anOrder({ facts: { purchaseDate: "2026-11-02T15:00:00Z" } }),
    state: "CONFIRMED",
    finalShipmentTime: SHIPPED_AT,
  };
}

function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return fs.statSync(full).isDirectory() ? files(full) : [full];
  });
}

/** The canary in plain text, base64 or hex anywhere in the file. */
function leaks(file: string): boolean {
  const raw = fs.readFileSync(file);
  const forms = [CANARY, Buffer.from(CANARY).toString("base64"), Buffer.from(CANARY).toString("hex")];
  return forms.some(
    (f) => raw.includes(Buffer.from(f)) || raw.toString("latin1").toLowerCase().includes(f.toLowerCase()),
  );
}

function store(c: ReturnType<Rig["open"]>) {
  return c.get(OrderStore);
}

test(
  "a backup is a 0600 file in a 0700 directory, without the SQLite header or the ship-to in any form",
  withRig(({ config, open }) => {
    const c = open();
    const order = shippedOrder();
    store(c).insert(order, aShipTo({ name: CANARY }));
    const backup = c.get(BackUpStore).execute();
    store(c).close();
    assert.match(path.basename(backup.file), /^fulfillment-20261120T024500Z\.backup$/);
    assert.is(path.dirname(backup.file), config.storage.backupDir);
    assert.is(fs.statSync(backup.file).mode & 0o777, 0o600);
    assert.is(fs.statSync(config.storage.backupDir).mode & 0o777, 0o700);
    const bytes = fs.readFileSync(backup.file);
    assert.not.ok(bytes.includes(Buffer.from("SQLite format 3")), "no plaintext database");
    assert.not.ok(leaks(backup.file));
    assert.equal(fs.readdirSync(config.storage.backupDir), [path.basename(backup.file)], "no temp file left");
    assert.not.ok(
      files(config.storage.backupDir).some((f) => f.includes("keyring")),
      "the key ring is never in a backup",
    );
    assert.equal(
      store(open())
        .lastJobRuns()
        .find((r) => r.job === "backup")?.ok,
      true,
    );
  }),
);

test(
  "restore brings back the database as it was at the backup",
  withRig(({ open, clock }) => {
    let c = open();
    const kept = shippedOrder();
    store(c).insert(kept, aShipTo({ name: "Kept Before" }));
    const backup = c.get(BackUpStore).execute();
    const later = anOrder();
    store(c).insert(later, aShipTo());
    store(c).close();
    clock.advance(60_000);
    c = open();
    c.get(RestoreBackup).execute(backup.file);
    store(c).close();
    const restored = store(open());
    assert.is(restored.get(kept.facts.orderId)?.state, "CONFIRMED");
    assert.is(restored.get(later.facts.orderId), undefined);
    const shipTo = restored.getShipTo(kept.facts.orderId);
    assert.is(shipTo.kind === "held" && shipTo.shipTo.reveal().name, "Kept Before");
    restored.close();
  }),
);

test(
  "a backup with one byte changed is refused and the database is left as it was",
  withRig(({ open }) => {
    const c = open();
    const order = shippedOrder();
    store(c).insert(order, aShipTo());
    const backup = c.get(BackUpStore).execute();
    const bytes = fs.readFileSync(backup.file);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    fs.writeFileSync(backup.file, bytes);
    const later = anOrder();
    store(c).insert(later, aShipTo());
    const refused = thrown(() => c.get(RestoreBackup).execute(backup.file));
    assert.is(refused.code, "BACKUP_AUTHENTICATION_FAILED");
    assert.match(refused.message, /failed authentication/);
    assert.ok(store(c).get(later.facts.orderId), "nothing was replaced");
    store(c).close();
  }),
);

test(
  "a backup that decrypts but fails the integrity check, or was made under another key, is refused",
  withRig(({ config, open }) => {
    const c = open();
    store(c).insert(anOrder(), aShipTo());
    const kek = readKeyFile(config.storage.keyFile ?? "");
    const damaged = path.join(config.storage.backupDir, "damaged.backup");
    fs.mkdirSync(config.storage.backupDir, { recursive: true });
    const image = Buffer.alloc(8192, 7);
    Buffer.from("SQLite format 3\0").copy(image);
    fs.writeFileSync(damaged, sealBackup(kek, image, new Date()));
    assert.is(thrown(() => c.get(Backups).restore(damaged)).code, "BACKUP_INTEGRITY_FAILED");
    const foreign = path.join(config.storage.backupDir, "foreign.backup");
    fs.writeFileSync(foreign, sealBackup(kekOf(randomBytes(32), "/elsewhere"), image, new Date()));
    assert.is(thrown(() => c.get(Backups).restore(foreign)).code, "BACKUP_WRONG_KEY");
    assert.is(
      thrown(() => c.get(Backups).restore(path.join(config.storage.backupDir, "none"))).code,
      "BACKUP_UNREADABLE",
    );
    assert.is(store(c).countsByState().NEW, 1, "the database is untouched");
    store(c).close();
  }),
);

test(
  "a backup taken before the purge, restored after it, cannot bring the purged ship-to back",
  withRig(async ({ config, clock, open }) => {
    let c = open();
    const order = shippedOrder();
    const id = order.facts.orderId;
    store(c).insert(order, aShipTo({ name: CANARY, line1: "1 Canaryway" }));
    // A day before the deadline: inside retention.backupDays, so the purge keeps the backup.
    clock.set("2026-12-02T10:00:00Z");
    const backup = c.get(BackUpStore).execute();
    store(c).close();

    clock.set(DEADLINE);
    c = open();
    const [purge] = await c.get(RunSteps).run(["purge"]);
    assert.is(purge?.counts.purged, 1);
    assert.ok((purge?.counts.keysDestroyed ?? 0) >= 1);
    c.get(RestoreBackup).execute(backup.file);
    store(c).close();

    const restored = store(open());
    assert.is(restored.get(id)?.pii.status, "HELD", "the restored row still claims to hold it");
    assert.equal(restored.getShipTo(id), { kind: "purged", at: DEADLINE });
    restored.close();
    for (const f of [...files(config.storage.dataDir), backup.file]) assert.not.ok(leaks(f), f);
  }),
);

test.run();
