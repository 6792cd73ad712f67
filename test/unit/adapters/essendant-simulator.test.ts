import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { JsonSupplierCodec } from "../../../src/adapters/essendant/json.supplier-codec.js";
import { EssendantSimulator } from "../../../src/adapters/local-folder/essendant-simulator.js";
import { LocalFolderSupplierGateway } from "../../../src/adapters/local-folder/local-folder.supplier-gateway.js";
import type { LocalFolderOptions } from "../../../src/app/config/config.js";
import type { InboundDocument } from "../../../src/app/ports/supplier-codec.port.js";
import type { PurchaseOrder } from "../../../src/domain/purchase-order.js";
import { aLocalFolderConfig } from "../../support/local-folder-config.js";

const EXAMPLE_PO = path.join(
  import.meta.dirname,
  "../../fixtures/essendant/PO_123456_113-4567890-1234567.json",
);
const PO_NUMBER = "113-4567890-1234567";
const START = Date.parse("2026-03-01T14:15:00Z");

interface World {
  root: string;
  clock: { at: number; now(): Date };
  codec: JsonSupplierCodec;
  simulator: EssendantSimulator;
  /** Drops the example PO (UNV21200 × 1 CT at 37.95, BICGSM11BK × 2 DZ) in Essendant's /in folder. */
  dropPo(documentId?: string): void;
  advance(seconds: number): Promise<void>;
  inbound(): string[];
  decoded(name: string): InboundDocument;
  dispose(): void;
}

function world(simulator: Partial<LocalFolderOptions["simulator"]> = {}): World {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "essendant-simulator-"));
  const config = aLocalFolderConfig(root, {
    simulator: { enabled: true, asnDelaySeconds: 8, invoiceDelaySeconds: 20, ...simulator },
  });
  const clock = { at: START, now: () => new Date(clock.at) };
  const codec = new JsonSupplierCodec(config);
  const sim = new EssendantSimulator(config, clock, codec);
  const out = path.join(root, "out");
  const w: World = {
    root,
    clock,
    codec,
    simulator: sim,
    dropPo(documentId = "6f1d2d1e-5a3b-4c2e-9d4e-0b8c2a7f1e11") {
      const example = JSON.parse(fs.readFileSync(EXAMPLE_PO, "utf8"));
      const po: PurchaseOrder = { action: "CREATE", ...example.purchaseOrder };
      fs.mkdirSync(path.join(root, "in"), { recursive: true });
      const bytes = codec.encodePurchaseOrder(po, { documentId, createdAt: "2026-03-01T14:15:00Z" });
      fs.writeFileSync(path.join(root, "in", `PO_123456_${PO_NUMBER}.json`), bytes);
    },
    async advance(seconds) {
      clock.at += seconds * 1000;
      await sim.tick();
    },
    inbound: () =>
      fs.existsSync(out)
        ? fs
            .readdirSync(out)
            .filter((n) => fs.statSync(path.join(out, n)).isFile())
            .sort()
        : [],
    decoded(name) {
      const result = codec.decode(name, new Uint8Array(fs.readFileSync(path.join(out, name))));
      if (!result.ok) throw new Error(`${name} does not decode: ${result.reason} ${result.detail}`);
      return result.document;
    },
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
  return w;
}

const kinds = (w: World) => w.inbound().map((n) => n.slice(0, 3));

const test = suite("EssendantSimulator");

test("a PO gets an ACK on the first tick, an ASN after asnDelaySeconds and an invoice after invoiceDelaySeconds", async () => {
  const w = world();
  try {
    w.dropPo();
    await w.advance(0);
    assert.equal(w.inbound(), [`ACK_123456_${PO_NUMBER}_1.json`]);
    assert.equal(fs.readdirSync(path.join(w.root, "in")), []);
    assert.equal(fs.readdirSync(path.join(w.root, ".simulator", "received")), [
      `PO_123456_${PO_NUMBER}.json`,
    ]);
    await w.advance(7);
    assert.equal(kinds(w), ["ACK"]);
    await w.advance(1);
    assert.equal(kinds(w), ["ACK", "ASN"]);
    await w.advance(19);
    assert.equal(kinds(w), ["ACK", "ASN"]);
    await w.advance(1);
    assert.equal(kinds(w), ["ACK", "ASN", "INV"]);
    const [ack, asn, inv] = w.inbound().map((n) => w.decoded(n));
    assert.ok(ack?.kind === "acknowledgement" && asn?.kind === "ship-notice" && inv?.kind === "invoice");
    assert.is(ack.ack.status, "ACCEPTED");
    assert.is(ack.ack.ackDateTime, "2026-03-01T14:15:00Z");
    assert.equal(
      ack.ack.lines.map((l) => [l.itemNumber, l.accepted, l.unitCost]),
      [
        ["UNV21200", 1, "37.95"],
        ["BICGSM11BK", 2, undefined],
      ],
    );
    assert.is(asn.asn.isFinalForPo, true);
    assert.is(asn.asn.shipDateTime, "2026-03-01T14:15:08Z");
    assert.equal(asn.asn.carrier, { code: "UPSN", name: "UPS", service: "GROUND" });
    assert.equal(
      asn.asn.packages.map((p) => p.contents),
      [
        [{ itemNumber: "UNV21200", quantity: 1, uom: "CT" }],
        [{ itemNumber: "BICGSM11BK", quantity: 2, uom: "DZ" }],
      ],
    );
    for (const p of asn.asn.packages) assert.match(p.trackingNumber, /^1Z[0-9A-Z]{16}$/);
    assert.equal(
      inv.invoice.lines.map((l) => [l.itemNumber, l.quantityInvoiced, l.unitPrice]),
      [
        ["UNV21200", 1, "37.95"],
        ["BICGSM11BK", 2, "10.00"],
      ],
    );
    assert.is(inv.invoice.total, "61.45");
  } finally {
    w.dispose();
  }
});

test("backordered items ship in a second, final ASN and cancelled items never ship", async () => {
  const w = world({ backorderItems: ["BICGSM11BK"] });
  const c = world({ cancelItems: ["BICGSM11BK"] });
  try {
    w.dropPo();
    await w.advance(0);
    const ack = w.decoded(w.inbound()[0] ?? "");
    assert.ok(ack.kind === "acknowledgement");
    assert.is(ack.ack.status, "PARTIALLY_ACCEPTED");
    assert.equal(ack.ack.lines[1], {
      itemNumber: "BICGSM11BK",
      ordered: 2,
      accepted: 0,
      backordered: 2,
      cancelled: 0,
      lineStatus: "BACKORDERED",
      reasonCategory: "BACKORDERED",
    });
    await w.advance(8);
    await w.advance(8);
    const asns = w
      .inbound()
      .filter((n) => n.startsWith("ASN_"))
      .map((n) => w.decoded(n));
    assert.equal(
      asns.map((d) =>
        d.kind === "ship-notice"
          ? [d.asn.isFinalForPo, d.asn.packages.map((p) => p.contents[0]?.itemNumber)]
          : [],
      ),
      [
        [false, ["UNV21200"]],
        [true, ["BICGSM11BK"]],
      ],
    );
    await w.advance(20);
    const inv = w.decoded(w.inbound().find((n) => n.startsWith("INV_")) ?? "");
    assert.ok(inv.kind === "invoice");
    assert.equal(
      inv.invoice.lines.map((l) => l.quantityInvoiced),
      [1, 2],
    );

    c.dropPo();
    await c.advance(0);
    const cack = c.decoded(c.inbound()[0] ?? "");
    assert.ok(cack.kind === "acknowledgement");
    assert.equal(cack.ack.lines[1], {
      itemNumber: "BICGSM11BK",
      ordered: 2,
      accepted: 0,
      backordered: 0,
      cancelled: 2,
      lineStatus: "CANCELLED",
      reasonCategory: "OUT_OF_STOCK",
    });
    await c.advance(3600);
    assert.equal(kinds(c), ["ACK", "ASN", "INV"]);
    const casn = c.decoded(c.inbound()[1] ?? "");
    assert.ok(casn.kind === "ship-notice");
    assert.equal(
      casn.asn.packages.map((p) => p.contents[0]?.itemNumber),
      ["UNV21200"],
    );
    assert.is(casn.asn.isFinalForPo, true);
  } finally {
    w.dispose();
    c.dispose();
  }
});

test("ticking again at the same instant writes nothing new", async () => {
  const w = world();
  try {
    w.dropPo();
    await w.advance(0);
    await w.advance(8);
    const before = w.inbound().map((n) => [n, fs.readFileSync(path.join(w.root, "out", n), "utf8")]);
    const state = fs.readFileSync(path.join(w.root, ".simulator", "state.json"), "utf8");
    await w.advance(0);
    await w.advance(0);
    assert.equal(
      w.inbound().map((n) => [n, fs.readFileSync(path.join(w.root, "out", n), "utf8")]),
      before,
    );
    assert.is(fs.readFileSync(path.join(w.root, ".simulator", "state.json"), "utf8"), state);
  } finally {
    w.dispose();
  }
});

test("a second PO with the same number is rejected as DUPLICATE_PO; an invalid PO is set aside unanswered", async () => {
  const w = world();
  try {
    w.dropPo();
    await w.advance(0);
    w.dropPo("11111111-2222-4333-8444-555555555555");
    fs.writeFileSync(path.join(w.root, "in", "PO_123456_BROKEN.json"), '{"documentType":"PurchaseOrder"}');
    await w.advance(1);
    assert.equal(w.inbound(), [`ACK_123456_${PO_NUMBER}_1.json`, `ACK_123456_${PO_NUMBER}_2.json`]);
    const dup = w.decoded(`ACK_123456_${PO_NUMBER}_2.json`);
    assert.ok(dup.kind === "acknowledgement");
    assert.is(dup.ack.status, "REJECTED");
    assert.is(dup.ack.reasonCategory, "DUPLICATE_PO");
    assert.equal(fs.readdirSync(path.join(w.root, ".simulator", "rejected")), ["PO_123456_BROKEN.json"]);
    assert.equal(fs.readdirSync(path.join(w.root, ".simulator", "received")).length, 2);
  } finally {
    w.dispose();
  }
});

test("its state keeps no ship-to, and opening the gateway lets it act first", async () => {
  const w = world();
  try {
    w.dropPo();
    const config = aLocalFolderConfig(w.root, { simulator: { enabled: true } });
    const session = await new LocalFolderSupplierGateway(w.clock, config, w.codec).open();
    assert.equal(
      (await session.listInbound()).map((f) => f.name),
      [`ACK_123456_${PO_NUMBER}_1.json`],
    );
    const state = fs.readFileSync(path.join(w.root, ".simulator", "state.json"), "utf8");
    assert.not.match(state, /JANE|MAIN ST|62701/);
  } finally {
    w.dispose();
  }
});

test.run();
