import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type ClockNow, type ClockReading, clockDiscontinuity } from "../../../src/domain/file-retention.js";

const test = suite("clock discontinuity: a stopped daemon is not a jumped clock");

const HOUR = 3600;
const DAY = 24 * HOUR;
const BOOT = "0b5e1c4e-3f1a-4c8e-9a51-6f1c2d3e4f50";
const OTHER_BOOT = "7d9c0a12-55aa-4b6e-8c3d-2e1f0a9b8c7d";
const START = Date.parse("2026-12-04T03:15:00Z");
const previous: ClockReading = { at: new Date(START), bootId: BOOT, uptimeSeconds: 10 * DAY };

/** The clock `wallSeconds` after the previous run, on `bootId` with `uptimeSeconds`. */
const later = (wallSeconds: number, rest: Omit<ClockNow, "at"> = {}): ClockNow => ({
  at: new Date(START + wallSeconds * 1000),
  ...rest,
});
const sameBoot = (wallSeconds: number, uptimeElapsed: number, ntpSynchronized?: boolean) =>
  later(wallSeconds, { bootId: BOOT, uptimeSeconds: 10 * DAY + uptimeElapsed, ntpSynchronized });

const cases: [string, ClockReading | undefined, ClockNow, Partial<ReturnType<typeof clockDiscontinuity>>][] =
  [
    ["no previous run: nothing to compare with", undefined, later(400 * DAY), undefined],
    ["a day later on the same boot", previous, sameBoot(DAY, DAY), undefined],
    ["3 days down on the same boot: downtime, not a jump", previous, sameBoot(3 * DAY, 3 * DAY), undefined],
    ["40 days down on the same boot: still downtime", previous, sameBoot(40 * DAY, 40 * DAY), undefined],
    [
      "+40 d on the wall clock while the boot aged 1 h: a forward jump",
      previous,
      sameBoot(40 * DAY + HOUR, HOUR, true),
      { direction: "forwards", basis: "uptime", days: 40, seconds: 40 * DAY },
    ],
    [
      "+1 day on the wall clock while the boot aged 1 h: a jump under two days is caught too",
      previous,
      sameBoot(DAY + HOUR, HOUR),
      { direction: "forwards", basis: "uptime", days: 1 },
    ],
    [
      "the wall clock 2 h behind the uptime, still after the previous run: a backward jump",
      previous,
      sameBoot(DAY - 2 * HOUR, DAY),
      { direction: "backwards", basis: "uptime", seconds: 2 * HOUR },
    ],
    ["5 minutes of drift in a day: within tolerance", previous, sameBoot(DAY + 300, DAY), undefined],
    [
      "40 minutes apart over 30 days: within 10 min + 0.1 % (53 min)",
      previous,
      sameBoot(30 * DAY + 2400, 30 * DAY),
      undefined,
    ],
    [
      "15 minutes apart in a day: beyond the tolerance",
      previous,
      sameBoot(DAY + 900, DAY),
      { direction: "forwards", basis: "uptime", seconds: 900, days: 0 },
    ],
    [
      "rebooted, 3 days later, NTP synchronised: the clock is trusted",
      previous,
      later(3 * DAY, { bootId: OTHER_BOOT, uptimeSeconds: HOUR, ntpSynchronized: true }),
      undefined,
    ],
    [
      "rebooted, 3 days later, NTP unknown: a forward jump on the wall clock",
      previous,
      later(3 * DAY, { bootId: OTHER_BOOT, uptimeSeconds: HOUR }),
      { direction: "forwards", basis: "wall-clock", days: 3 },
    ],
    [
      "rebooted, 3 days later, NTP not synchronised: a forward jump",
      previous,
      later(3 * DAY, { bootId: OTHER_BOOT, uptimeSeconds: HOUR, ntpSynchronized: false }),
      { direction: "forwards", basis: "wall-clock" },
    ],
    [
      "rebooted, 2 days later, NTP unknown: a missed run, not a jump",
      previous,
      later(2 * DAY, { bootId: OTHER_BOOT }),
      undefined,
    ],
    [
      "no evidence at all, 3 days later: a forward jump on the wall clock",
      { at: new Date(START) },
      later(3 * DAY),
      { direction: "forwards", basis: "wall-clock" },
    ],
    [
      "same boot but the uptime went back (impossible): judged on the wall clock",
      previous,
      later(3 * DAY, { bootId: BOOT, uptimeSeconds: DAY }),
      { direction: "forwards", basis: "wall-clock" },
    ],
    [
      "behind the previous run on the same boot: backwards",
      previous,
      sameBoot(-HOUR, DAY),
      { direction: "backwards", basis: "wall-clock", seconds: HOUR },
    ],
    [
      "behind the previous run with NTP synchronised: still backwards",
      previous,
      later(-10 * DAY, { bootId: OTHER_BOOT, ntpSynchronized: true }),
      { direction: "backwards", basis: "wall-clock", days: 10 },
    ],
  ];

for (const [name, before, now, expected] of cases) {
  test(name, () => {
    const jump = clockDiscontinuity(before, now);
    if (!expected) return assert.is(jump, undefined);
    assert.ok(jump, "a jump is reported");
    assert.equal(jump.since, new Date(START));
    for (const [key, value] of Object.entries(expected)) {
      assert.equal(jump[key as keyof typeof jump], value, key);
    }
  });
}

test("without clock evidence: back, or more than two days ahead, is a jump", () => {
  const at = new Date(START);
  assert.is(clockDiscontinuity(undefined, { at }), undefined);
  assert.is(clockDiscontinuity({ at }, { at: new Date(START + 2 * DAY * 1000) }), undefined);
  assert.is(clockDiscontinuity({ at }, { at: new Date(START + 3.05 * DAY * 1000) })?.days, 3);
  assert.is(clockDiscontinuity({ at }, { at: new Date(START - 1000) })?.direction, "backwards");
});

test.run();
