import { suite } from "uvu";
import * as assert from "uvu/assert";
import { clockFor, randomIds } from "../../src/app/composition/container.js";
import type { Clock } from "../../src/app/ports/clock.port.js";
import type { IdSource } from "../../src/app/ports/id-source.port.js";
import { FixedClock } from "../support/fakes/fixed.clock.js";

const clocks: [string, () => Clock][] = [
  ["system clock", () => clockFor({ command: "test", consoleEvents: false })],
  [
    "--now clock",
    () => clockFor({ command: "test", consoleEvents: false, now: new Date("2026-12-04T09:00:00Z") }),
  ],
  ["FixedClock fake", () => new FixedClock("2026-12-04T09:00:00Z")],
];

for (const [name, make] of clocks) {
  const clock = suite(`Clock contract: ${name}`);
  clock("now() is a valid Date that never goes backwards between calls", () => {
    const c = make();
    const a = c.now();
    const b = c.now();
    assert.ok(a instanceof Date && !Number.isNaN(a.getTime()));
    assert.ok(b.getTime() >= a.getTime());
  });
  clock("a caller mutating the returned Date does not move the clock", () => {
    const c = make();
    const a = c.now();
    const before = a.getTime();
    a.setFullYear(1999);
    assert.ok(c.now().getTime() >= before);
  });
  clock.run();
}

const counting = (): IdSource => {
  let n = 0;
  return { uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}` };
};
for (const [name, ids] of [
  ["random ids", randomIds],
  ["counting fake", counting()],
] as const) {
  const contract = suite(`IdSource contract: ${name}`);
  contract("uuid() gives distinct version-4 UUIDs (the Essendant documentId format)", () => {
    const seen = new Set(Array.from({ length: 100 }, () => ids.uuid()));
    assert.is(seen.size, 100);
    for (const id of seen)
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  contract.run();
}
