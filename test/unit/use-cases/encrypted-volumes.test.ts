import { suite } from "uvu";
import * as assert from "uvu/assert";
import { enforceEncryptedVolumes } from "../../../src/app/cli/encrypted-volume.guard.js";
import { renderStatus } from "../../../src/app/cli/render.js";
import type { Config } from "../../../src/app/config/config.js";
import { ConfigError } from "../../../src/app/errors.js";
import { EncryptedVolumesQuery } from "../../../src/app/queries/encrypted-volumes.query.js";
import { StatusQuery } from "../../../src/app/queries/status.query.js";
import { FakeVolumeInspector } from "../../support/fakes/fake.volume-inspector.js";
import { FixedClock } from "../../support/fakes/fixed.clock.js";
import { MemoryAlertSink } from "../../support/fakes/memory.alert-sink.js";
import { MemoryEventLog } from "../../support/fakes/memory.event-log.js";
import { MemoryOrderStore } from "../../support/fakes/memory.order-store.js";
import { aLocalFolderConfig } from "../../support/local-folder-config.js";

const ROOT = "/srv/fulfillment";

function configWith(requireEncryptedVolume: boolean): Config {
  return { ...aLocalFolderConfig(ROOT), security: { requireEncryptedVolume } };
}

/** The query on a machine where only `encrypted` directories are on LUKS. */
function volumes(requireEncryptedVolume: boolean, encrypted: string[]) {
  const config = configWith(requireEncryptedVolume);
  return { config, query: new EncryptedVolumesQuery(new FakeVolumeInspector(encrypted), config) };
}

const check = suite("encrypted-volume check");

check("dataDir, logDir and backupDir are each checked, and all on LUKS is ok", () => {
  const inspector = new FakeVolumeInspector([ROOT]);
  const config = configWith(true);
  const status = new EncryptedVolumesQuery(inspector, config).execute();
  assert.equal(status, { required: true, ok: true, unencrypted: [] });
  assert.equal(inspector.asked, [config.storage.dataDir, config.storage.logDir, config.storage.backupDir]);
});

check(
  "required and a directory off the LUKS volume: refused, naming the path and both fixes, nothing logged",
  () => {
    const { config, query } = volumes(true, [`${ROOT}/data`, `${ROOT}/backups`]);
    const log = new MemoryEventLog();
    const warnings: string[] = [];
    let refusal: unknown;
    try {
      enforceEncryptedVolumes(
        query.execute(),
        config.file,
        () => log,
        (l) => warnings.push(l),
      );
    } catch (error) {
      refusal = error;
    }
    assert.instance(refusal, ConfigError);
    const message = (refusal as Error).message;
    assert.ok(message.includes(`storage.logDir ${ROOT}/logs is not on an encrypted`), message);
    assert.not.ok(message.includes("storage.dataDir"), message);
    assert.match(message, /onto the LUKS volume/);
    assert.match(message, /"requireEncryptedVolume": false/);
    assert.equal(log.events, []);
    assert.equal(warnings, []);
  },
);

check("not required: every start warns on stderr, in the log and in the audit log, and goes on", () => {
  const { config, query } = volumes(false, []);
  const log = new MemoryEventLog();
  const warnings: string[] = [];
  enforceEncryptedVolumes(
    query.execute(),
    config.file,
    () => log,
    (l) => warnings.push(l),
  );
  assert.is(warnings.length, 3);
  assert.match(warnings[0] ?? "", /storage\.dataDir \/srv\/fulfillment\/data is not on an encrypted/);
  assert.match(warnings[0] ?? "", /requireEncryptedVolume is false/);
  const events = log.named("security.unencrypted-volume");
  assert.equal(
    events.map((e) => [e.level, e.fields.path, e.fields.code]),
    [
      ["warn", `${ROOT}/data`, "storage.dataDir"],
      ["audit", `${ROOT}/data`, "storage.dataDir"],
      ["warn", `${ROOT}/logs`, "storage.logDir"],
      ["audit", `${ROOT}/logs`, "storage.logDir"],
      ["warn", `${ROOT}/backups`, "storage.backupDir"],
      ["audit", `${ROOT}/backups`, "storage.backupDir"],
    ],
  );
  assert.is(log.droppedFields, 0);
});

check("all on LUKS: no warning even when the rule is off", () => {
  const { config, query } = volumes(false, [ROOT]);
  const log = new MemoryEventLog();
  enforceEncryptedVolumes(
    query.execute(),
    config.file,
    () => log,
    () => assert.unreachable(),
  );
  assert.equal(log.events, []);
});

check("status carries the check and shows each unencrypted directory", () => {
  const clock = new FixedClock();
  const { query } = volumes(false, [`${ROOT}/data`]);
  const report = new StatusQuery(new MemoryOrderStore(), new MemoryAlertSink(clock), clock, query).execute();
  assert.equal(report.encryptedVolume.required, false);
  assert.equal(report.encryptedVolume.ok, false);
  assert.equal(
    report.encryptedVolume.unencrypted.map((d) => d.path),
    [`${ROOT}/logs`, `${ROOT}/backups`],
  );
  const text = renderStatus(report);
  assert.match(text, /Encrypted volume: NOT ENFORCED \(security\.requireEncryptedVolume: false/);
  assert.match(text, /WARNING storage\.logDir \/srv\/fulfillment\/logs is not on an encrypted/);
  const fine = volumes(true, [ROOT]).query;
  const ok = renderStatus(
    new StatusQuery(new MemoryOrderStore(), new MemoryAlertSink(clock), clock, fine).execute(),
  );
  assert.match(ok, /Encrypted volume: dataDir, logDir and backupDir on dm-crypt \(LUKS\)/);
});

check.run();
