import { suite } from "uvu";
import * as assert from "uvu/assert";
import { IntegrationError } from "../../../src/app/errors.js";
import { BackUpStore } from "../../../src/app/use-cases/back-up-store.use-case.js";
import { RestoreBackup } from "../../../src/app/use-cases/restore-backup.use-case.js";
import { anApp } from "../../support/app-harness.js";
import { MemoryBackups } from "../../support/fakes/memory.backups.js";

const test = suite("use cases: backup and restore");

function rig() {
  const app = anApp();
  const backups = new MemoryBackups();
  return {
    app,
    backups,
    backUp: new BackUpStore(backups, app.store, app.clock, app.log),
    restore: new RestoreBackup(backups, app.log),
  };
}

test("a backup is recorded as a run of the job and audited by file name", () => {
  const { app, backUp } = rig();
  const backup = backUp.execute();
  assert.is(backup.file, "/backups/fulfillment-20261204T100000Z.backup");
  const run = app.store.lastJobRuns().find((r) => r.job === "backup");
  assert.equal([run?.ok, run?.summary], [true, "file=fulfillment-20261204T100000Z.backup bytes=4096"]);
  assert.is(app.log.named("backup.created")[0]?.fields.fileName, "fulfillment-20261204T100000Z.backup");
});

test("a failed backup is recorded as failed and rethrown", () => {
  const { app, backups, backUp } = rig();
  backups.failNext(new IntegrationError("BACKUP_FAILED", "disk full", true));
  assert.throws(
    () => backUp.execute(),
    (e: unknown) => (e as IntegrationError).code === "BACKUP_FAILED",
  );
  assert.equal(app.store.lastJobRuns().find((r) => r.job === "backup")?.ok, false);
  assert.is(app.log.named("backup.failed")[0]?.fields.errorCode, "BACKUP_FAILED");
});

test("a restore is audited with the backup's time; a refused one is audited with its code", () => {
  const { app, backups, backUp, restore } = rig();
  const { file } = backUp.execute();
  assert.equal(restore.execute(file), { createdAt: "2026-12-04T10:00:00.000Z" });
  assert.is(app.log.named("backup.restored")[0]?.fields.from_date, "2026-12-04T10:00:00.000Z");
  backups.tamper(file);
  assert.throws(() => restore.execute(file));
  assert.is(app.log.named("backup.restore-refused")[0]?.fields.errorCode, "BACKUP_AUTHENTICATION_FAILED");
  assert.equal(backups.restored, [file]);
});

test.run();
