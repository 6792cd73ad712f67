import { suite } from "uvu";
import * as assert from "uvu/assert";
import { buildContainer } from "../../../src/app/composition/container.js";
import { ClockWitness } from "../../../src/app/ports/clock-witness.port.js";
import {
  describeClockJump,
  PURGE_CLOCK_CURSOR,
  PurgeClockGuard,
} from "../../../src/app/use-cases/purge-clock-guard.js";
import { FakeClockWitness } from "../../support/fakes/fake.clock-witness.js";
import { FixedClock } from "../../support/fakes/fixed.clock.js";
import { MemoryOrderStore } from "../../support/fakes/memory.order-store.js";
import { aLocalFolderConfig } from "../../support/local-folder-config.js";

const test = suite("the purge's clock guard: evidence kept between runs");

const HOUR = 3600;
const DAY = 24 * HOUR;
const BOOT = "0b5e1c4e-3f1a-4c8e-9a51-6f1c2d3e4f50";
const T0 = new Date("2026-12-04T03:15:00Z");
const after = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function aGuard() {
  const store = new MemoryOrderStore();
  const witness = new FakeClockWitness({ bootId: BOOT, uptimeSeconds: 5 * DAY });
  return { store, witness, guard: new PurgeClockGuard(store, witness) };
}

test("no evidence and no purge run yet: nothing to compare with", () => {
  assert.is(aGuard().guard.check(after(400 * DAY)), undefined);
});

test("record stores the time, boot id and uptime, and nothing more", () => {
  const { store, witness, guard } = aGuard();
  witness.set({ bootId: BOOT, uptimeSeconds: 5 * DAY, ntpSynchronized: true });
  guard.record(T0);
  assert.equal(JSON.parse(store.getCursor(PURGE_CLOCK_CURSOR) ?? ""), {
    at: T0.toISOString(),
    bootId: BOOT,
    uptimeSeconds: 5 * DAY,
  });
});

test("a daemon stopped 3 days on the same boot is no jump", () => {
  const { witness, guard } = aGuard();
  guard.record(T0);
  witness.elapse(3 * DAY);
  assert.is(guard.check(after(3 * DAY)), undefined);
});

test("40 days on the wall clock while the boot aged an hour is a forward jump on the uptime", () => {
  const { witness, guard } = aGuard();
  guard.record(T0);
  witness.elapse(HOUR);
  const jump = guard.check(after(40 * DAY + HOUR));
  assert.equal([jump?.direction, jump?.basis, jump?.days], ["forwards", "uptime", 40]);
  assert.equal(jump?.since, T0);
});

test("after a reboot the wall clock decides, trusted when NTP is synchronised", () => {
  const { witness, guard } = aGuard();
  guard.record(T0);
  witness.set({ bootId: "7d9c0a12-55aa-4b6e-8c3d-2e1f0a9b8c7d", uptimeSeconds: 60 });
  assert.is(guard.check(after(3 * DAY))?.basis, "wall-clock");
  witness.set({ bootId: "7d9c0a12-55aa-4b6e-8c3d-2e1f0a9b8c7d", uptimeSeconds: 60, ntpSynchronized: true });
  assert.is(guard.check(after(3 * DAY)), undefined);
});

test("a simulated clock's run (no evidence) is judged on the wall clock", () => {
  const { witness, guard } = aGuard();
  witness.set({});
  guard.record(T0);
  witness.set({ bootId: BOOT, uptimeSeconds: 5 * DAY });
  assert.is(guard.check(after(DAY)), undefined);
  assert.is(guard.check(after(3 * DAY))?.basis, "wall-clock");
  assert.is(guard.check(after(-60))?.direction, "backwards");
});

test("the latest record is the one compared with", () => {
  const { witness, guard } = aGuard();
  guard.record(T0);
  witness.elapse(DAY);
  guard.record(after(DAY));
  witness.elapse(HOUR);
  const jump = guard.check(after(3 * DAY));
  assert.equal([jump?.direction, jump?.basis, jump?.since], ["forwards", "uptime", after(DAY)]);
});

test("a database from the previous release falls back to its last purge run, on the wall clock", () => {
  const { store, guard } = aGuard();
  const at = T0.toISOString();
  store.recordJobRun({ job: "purge", startedAt: at, finishedAt: at, ok: true, summary: "" });
  store.recordJobRun({
    job: "import",
    startedAt: after(DAY).toISOString(),
    finishedAt: at,
    ok: true,
    summary: "",
  });
  assert.is(guard.check(after(2 * DAY)), undefined);
  const jump = guard.check(after(3 * DAY));
  assert.equal([jump?.direction, jump?.basis, jump?.since], ["forwards", "wall-clock", T0]);
});

for (const [what, stored] of [
  ["not JSON", "{at: yesterday"],
  ["JSON but not an object", "42"],
  ["null", "null"],
  ["an invalid time", JSON.stringify({ at: "last tuesday", bootId: BOOT, uptimeSeconds: 1 })],
  ["no time", JSON.stringify({ bootId: BOOT, uptimeSeconds: 1 })],
] as const) {
  test(`stored evidence that is ${what} never throws and falls back to the last purge run`, () => {
    const { store, guard } = aGuard();
    store.setCursor(PURGE_CLOCK_CURSOR, stored);
    assert.is(guard.check(after(3 * DAY)), undefined, "no run to compare with");
    const at = T0.toISOString();
    store.recordJobRun({ job: "purge", startedAt: at, finishedAt: at, ok: true, summary: "" });
    assert.is(guard.check(after(3 * DAY))?.basis, "wall-clock");
  });
}

test("malformed evidence fields are ignored: the wall clock decides", () => {
  const { store, guard } = aGuard();
  store.setCursor(
    PURGE_CLOCK_CURSOR,
    JSON.stringify({ at: T0.toISOString(), bootId: 7, uptimeSeconds: "5" }),
  );
  const jump = guard.check(after(3 * DAY));
  assert.equal([jump?.basis, jump?.since], ["wall-clock", T0]);
});

test("the refusal names the evidence and the size of the step", () => {
  const { witness, guard } = aGuard();
  guard.record(T0);
  witness.elapse(HOUR);
  const ahead = guard.check(after(40 * DAY + HOUR));
  assert.ok(ahead);
  assert.match(
    describeClockJump(ahead, after(40 * DAY)),
    /40 days ahead of the machine's uptime .*same boot/,
  );
  witness.elapse(DAY);
  const behind = guard.check(after(DAY - HOUR));
  assert.ok(behind);
  assert.match(describeClockJump(behind, after(DAY)), /2 hours behind the machine's uptime/);
  witness.set({});
  const unknown = guard.check(after(3 * DAY));
  assert.ok(unknown);
  assert.match(describeClockJump(unknown, after(3 * DAY)), /3 days ahead of the last purge run .*NTP/);
  const back = guard.check(after(-90));
  assert.ok(back);
  assert.match(
    describeClockJump(back, after(-90)),
    /is behind the last purge run \(2026-12-04T03:15:00.000Z\)/,
  );
});

test("a witness following the test's clock never sees a jump, until the clock moves alone", () => {
  const store = new MemoryOrderStore();
  const clock = new FixedClock(T0);
  const witness = FakeClockWitness.following(clock);
  const guard = new PurgeClockGuard(store, witness);
  guard.record(clock.now());
  clock.set(after(40 * DAY));
  assert.is(guard.check(clock.now()), undefined, "40 days of downtime on the same boot");
  witness.set(witness.observe());
  clock.set(after(80 * DAY));
  assert.is(guard.check(clock.now())?.basis, "uptime");
});

test("the container gives the machine's witness, none with a simulated clock, or the one passed", () => {
  const config = aLocalFolderConfig("/nonexistent/clock-guard");
  const witnessOf = (now?: Date, options = {}) =>
    buildContainer(config, { command: "purge", consoleEvents: false, ...(now ? { now } : {}) }, options)
      .get(ClockWitness)
      .observe();
  assert.ok(witnessOf().bootId, "the Linux witness");
  assert.equal(witnessOf(T0), {}, "--now: the real uptime would contradict it");
  assert.equal(witnessOf(undefined, { clock: new FixedClock(T0) }), {}, "a test's clock");
  const fake = new FakeClockWitness({ bootId: BOOT, uptimeSeconds: 1 });
  assert.equal(witnessOf(T0, { clockWitness: fake }), { bootId: BOOT, uptimeSeconds: 1 });
});

test.run();
