import { suite } from "uvu";
import * as assert from "uvu/assert";
import { anApp } from "../../support/app-harness.js";
import { ackFile, asnFile, uploadedPo } from "../../support/essendant-answers.js";
import { anAmazonOrder, anItem } from "../../support/order-mother.js";

const hostile = suite("hostile and broken inbound files");
const utf8 = (text: string) => new TextEncoder().encode(text);

hostile(
  "every hostile file is refused with its own reason and quarantined, and the valid file of the same poll is applied",
  async () => {
    const app = anApp();
    const order = anAmazonOrder({ facts: { items: [anItem({ sellerSku: "PENS" })] } });
    app.marketplace.add(order);
    await app.importOrders();
    await app.submit();
    const po = uploadedPo(app.gateway, order.facts.orderId);
    const ack = ackFile(po);
    const stranger = { ...po, purchaseOrder: { ...po.purchaseOrder, poNumber: "113-0000000-0000001" } };
    const cases: [string, Uint8Array | "symlink", string][] = [
      ["A01_big.json", new Uint8Array(5 * 1024 * 1024 + 1), "TOO_LARGE"],
      ["A02_json.json", utf8('{"schemaVersion": "1.0",'), "INVALID_JSON"],
      ["A03_utf8.json", Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), "INVALID_UTF8"],
      ["A04_bom.json", Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(ack)]), "BOM"],
      ["A05_deep.json", utf8(`${"[".repeat(1000)}${"]".repeat(1000)}`), "TOO_DEEP"],
      [
        "A06_proto.json",
        utf8(ack.replace('"schemaVersion"', '"__proto__": {"admin": true}, "schemaVersion"')),
        "FORBIDDEN_KEY",
      ],
      [
        "A07_bignum.json",
        utf8(ack.replace('"quantityOrdered":1', '"quantityOrdered":9007199254740993')),
        "UNSAFE_NUMBER",
      ],
      ["A08_schema.json", utf8(ack.replace('"status":"ACCEPTED"', '"status":"MAYBE"')), "SCHEMA_VIOLATION"],
      [
        "A09_sums.json",
        utf8(ack.replace('"quantityAccepted":1', '"quantityAccepted":2')),
        "QUANTITIES_DO_NOT_ADD_UP",
      ],
      ["A10_ack_unknown.json", utf8(ackFile(stranger)), "UNKNOWN_PO"],
      ["A11_asn_unknown.json", utf8(asnFile(stranger)), "UNKNOWN_PO"],
      ["A12_..json", utf8(ack), "UNSAFE_NAME"],
      ["A13\nforged.json", utf8(ack), "UNSAFE_NAME"],
      [`A14_${"x".repeat(200)}.json`, utf8(ack), "UNSAFE_NAME"],
      ["A15/escape.json", utf8(ack), "UNSAFE_NAME"],
      ["A16_link.json", "symlink", "NOT_A_REGULAR_FILE"],
    ];
    for (const [name, bytes] of cases) {
      if (bytes === "symlink") app.gateway.dropSymlink(name);
      else app.gateway.dropInbound(name, bytes);
    }
    app.gateway.dropInbound("Z_valid_ack.json", ack);
    const report = await app.collect();
    assert.equal(report.counts, { rejected: cases.length, applied: 1 });
    assert.is(app.store.get(order.facts.orderId)?.state, "ACK_ACCEPTED");
    const kept = app.quarantine.list();
    assert.equal(
      kept.map((k) => [k.fileName, k.reason]),
      cases.map(([name, , reason]) => [name, reason]).sort((a, b) => ((a[0] ?? "") < (b[0] ?? "") ? -1 : 1)),
    );
    const unread = kept.filter((k) => ["TOO_LARGE", "UNSAFE_NAME", "NOT_A_REGULAR_FILE"].includes(k.reason));
    assert.ok(
      unread.every((k) => k.size === undefined),
      "entries refused unread have no copy",
    );
    assert.ok(
      kept.filter((k) => !unread.includes(k)).every((k) => (k.size ?? 0) > 0),
      "read files are copied",
    );
    assert.is(app.gateway.rejected.size, cases.length);
    assert.is(app.gateway.remoteInbound.size, 0);
    assert.ok([...app.gateway.rejected.keys()].every((n) => !n.includes("\n") && !n.includes("/")));
    const logged = JSON.stringify(app.log.events);
    assert.not.match(logged, /forged|escape/, "hostile names are not written to the log");
    assert.equal(new Set(app.alerts.active().map((a) => a.code)), new Set(["INBOUND_DOCUMENT_REJECTED"]));
  },
);

hostile.run();
