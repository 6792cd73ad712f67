import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatAddress, toAsciiUpper, wrap } from "../../../src/domain/address-format.js";
import { shipToFields } from "../../support/order-mother.js";

const address = suite("ship-to → Essendant address");

address("ASCII upper case: accents dropped, other characters removed", () => {
  assert.is(toAsciiUpper("  José  Ñúñez-Strauß  "), "JOSE NUNEZ-STRAUSS");
  assert.is(toAsciiUpper("Zoë 李 O'Brien"), "ZOE O'BRIEN");
});

address("fields are cut to the widths; ZIP+4 and state names are normalised", () => {
  const r = formatAddress(
    shipToFields({
      name: "A".repeat(50),
      city: "C".repeat(40),
      stateOrRegion: "Pennsylvania",
      postalCode: "185122044",
    }),
  );
  assert.ok(r.ok);
  assert.is(r.address.name.length, 35);
  assert.is(r.address.city.length, 30);
  assert.is(r.address.state, "PA");
  assert.is(r.address.postalCode, "18512-2044");
  assert.is(r.address.residential, true);
});

address("a long street line continues on line2 and line3 instead of being cut", () => {
  const r = formatAddress(
    shipToFields({ line1: "12345 North Saint Bartholomew Boulevard Extension Building C", line2: undefined }),
  );
  assert.ok(r.ok);
  assert.equal(
    [r.address.line1, r.address.line2, r.address.line3],
    ["12345 NORTH SAINT BARTHOLOMEW", "BOULEVARD EXTENSION BUILDING C", undefined],
  );
  for (const line of [r.address.line1, r.address.line2]) assert.ok((line ?? "").length <= 35);
});

address("street text that does not fit three lines is held, never silently cut", () => {
  const r = formatAddress(shipToFields({ line1: "word ".repeat(30), line2: "more ".repeat(10) }));
  assert.equal(r, { ok: false, problem: "ADDRESS_TOO_LONG", field: "line1" });
});

address("no address, a foreign one, or a broken ZIP are problems with a field name", () => {
  assert.equal(formatAddress(undefined), { ok: false, problem: "MISSING_ADDRESS" });
  assert.equal(formatAddress(shipToFields({ countryCode: "CA" })), { ok: false, problem: "NON_US_ADDRESS" });
  assert.equal(formatAddress(shipToFields({ postalCode: "1234" })), {
    ok: false,
    problem: "ADDRESS_INVALID",
    field: "postalCode",
  });
  assert.equal(formatAddress(shipToFields({ stateOrRegion: "Atlantis" })), {
    ok: false,
    problem: "ADDRESS_INVALID",
    field: "stateOrRegion",
  });
});

address("wrap splits words longer than a line", () => {
  assert.equal(wrap("ABCDEFGHIJ KL", 4), ["ABCD", "EFGH", "IJ", "KL"]);
});

address.run();
