import { inspect } from "node:util";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REDACTED_SHIP_TO } from "../../../src/domain/ship-to.js";
import { aShipTo } from "../../support/order-mother.js";

const shipTo = suite("ship-to (PII)");
const canary = aShipTo({ name: "Zebulon Quartermaine", line1: "77 Canary Wharf Lane" });

shipTo("JSON, string conversion and inspection show only the redacted marker", () => {
  for (const text of [
    JSON.stringify({ shipTo: canary }),
    String(canary),
    `${canary}`,
    inspect(canary),
    inspect({ nested: [canary] }, { depth: 5 }),
  ]) {
    assert.not.match(text, /Zebulon|Canary/);
    assert.ok(text.includes(REDACTED_SHIP_TO), text);
  }
});

shipTo("its fields are not enumerable, so spreading or Object.keys leaks nothing", () => {
  assert.equal(Object.keys(canary), []);
  assert.not.match(JSON.stringify({ ...canary }), /Zebulon/);
});

shipTo("reveal gives the fields to the code that needs them, frozen", () => {
  const fields = canary.reveal();
  assert.is(fields.name, "Zebulon Quartermaine");
  assert.ok(Object.isFrozen(fields));
});

shipTo.run();
