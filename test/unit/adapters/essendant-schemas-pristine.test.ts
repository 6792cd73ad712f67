import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";

/**
 * The project's copies of the Essendant interface schemas must stay byte-identical to the normative
 * ones in shared/spec/essendant (not read at test time: the project must stand on its own). These are
 * the SHA-256 of the spec files of interface version 1.0; a formatter or a hand edit breaks this test.
 */
const SPEC_SHA256: Readonly<Record<string, string>> = {
  "acknowledgement.schema.json": "073021c5052404a55ce9f5345394edaff5e0347e583db3d1170762f08438db60",
  "common.schema.json": "08a1a4087d25e55b5827512affb74e505fdcd97d27386eefa59bfc3227bc73f4",
  "invoice.schema.json": "3df08a21673ebad8bdd19a2546698b562d637219d301bb34559c60d132e521d8",
  "purchase-order.schema.json": "a332a55a0fa30a8821f77830d0bfe70baf0e2e8c72317f00f4d27be57aedf7ee",
  "ship-notice.schema.json": "a63b254d1e5e4af9b15741c4014b79f817a1986d856432ea3973dd332f16acf6",
};

const pristine = suite("Essendant schemas are the spec's, unchanged");

for (const [name, sha] of Object.entries(SPEC_SHA256)) {
  pristine(`${name} is byte-identical to interface version 1.0`, () => {
    const bytes = readFileSync(new URL(`../../../src/adapters/essendant/schemas/${name}`, import.meta.url));
    assert.is(createHash("sha256").update(bytes).digest("hex"), sha);
  });
}

pristine.run();
