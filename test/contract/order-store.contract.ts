import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { OrderStore, OutboundDocument } from "../../src/app/ports/order-store.port.js";
import type { FulfillmentOrder } from "../../src/domain/fulfillment-order.js";
import { piiPurged } from "../../src/domain/retention.js";
import { anOrder, aPackage, aShipTo, shipToFields } from "../support/order-mother.js";

export interface OpenedStore {
  readonly store: OrderStore;
  /** Closes the store and opens it again on the same data, when the store is durable. */
  readonly reopen?: () => OrderStore;
  cleanup(): void;
}

const T0 = "2026-11-05T03:15:00.000Z";
const T1 = "2026-11-06T03:15:00.000Z";

function outbound(orderId: string, overrides: Partial<OutboundDocument> = {}): OutboundDocument {
  return {
    orderId,
    fileName: `PO_0412-88731_${orderId}.json`,
    documentType: "PO",
    bytes: new TextEncoder().encode(
      `{"poNumber":"${orderId}","shipTo":{"name":"MARISOL OKONKWO-LINDQVIST"}}`,
    ),
    sha256: "9f2c3a41d0b7e6f58a1c2d3e4f5061728394a5b6c7d8e9f00112233445566778",
    createdAt: "2026-11-02T15:20:00.000Z",
    ...overrides,
  };
}

function ids(orders: readonly FulfillmentOrder[]): string[] {
  return orders.map((o) => o.facts.orderId);
}

/** The OrderStore contract: the same behaviour from the in-memory fake and from every real store. */
export function orderStoreContract(name: string, open: () => OpenedStore): void {
  const test = suite(`OrderStore contract: ${name}`);

  function withStore(name: string, body: (opened: OpenedStore) => void): void {
    test(name, () => {
      const opened = open();
      try {
        body(opened);
      } finally {
        opened.cleanup();
      }
    });
  }

  withStore("an inserted order comes back equal, and an unknown id gives undefined", ({ store }) => {
    const order = anOrder({
      state: "SHIPPED_PARTIAL",
      packages: [aPackage(), aPackage({ packageReferenceId: "2", status: "CONFIRMED", confirmedAt: T0 })],
      shipments: [
        {
          shipmentId: "SHP-1",
          documentId: "ASN-1",
          shipDateTime: T0,
          carrierCode: "UPSN",
          isFinal: false,
          unitsByLine: { 1: 2, 2: 1 },
        },
      ],
      attention: { reason: "AMAZON_REJECTED_CONFIRMATION", detail: "InvalidInput: bad carrier" },
    });
    store.insert(order, aShipTo());
    assert.equal(store.get(order.facts.orderId), order);
    assert.is(store.get("999-0000000-0000000"), undefined);
  });

  withStore("inserting an order id that is already stored throws and keeps the first", ({ store }) => {
    const first = anOrder();
    store.insert(first, aShipTo());
    const second = { ...first, state: "HELD" as const };
    assert.throws(() => store.insert(second, aShipTo({ name: "Someone Else" })));
    assert.equal(store.get(first.facts.orderId), first);
    const lookup = store.getShipTo(first.facts.orderId);
    assert.is(lookup.kind === "held" && lookup.shipTo.reveal().name, shipToFields().name);
  });

  withStore("an update replaces the stored order", ({ store }) => {
    const order = anOrder();
    store.insert(order, aShipTo());
    const changed: FulfillmentOrder = {
      ...order,
      state: "PO_READY",
      timeline: [...order.timeline, { at: T0, event: "X" }],
    };
    store.update(changed);
    assert.equal(store.get(order.facts.orderId), changed);
  });

  withStore("updating an order that is not stored throws and stores nothing", ({ store }) => {
    const order = anOrder();
    assert.throws(() => store.update(order));
    assert.is(store.get(order.facts.orderId), undefined);
  });

  withStore("a transaction returns what its work returns and keeps its writes", ({ store }) => {
    const order = anOrder();
    const result = store.transaction(() => {
      store.insert(order, aShipTo());
      store.setCursor("orders.lastUpdatedAfter", T0);
      return 42;
    });
    assert.is(result, 42);
    assert.ok(store.get(order.facts.orderId));
    assert.is(store.getCursor("orders.lastUpdatedAfter"), T0);
  });

  withStore("a transaction that throws leaves nothing behind", ({ store }) => {
    const existing = anOrder();
    store.insert(existing, aShipTo());
    store.setCursor("orders.lastUpdatedAfter", T0);
    const fresh = anOrder();
    const boom = new Error("boom");
    try {
      store.transaction(() => {
        store.insert(fresh, aShipTo());
        store.update({ ...existing, state: "PO_READY" });
        store.setCursor("orders.lastUpdatedAfter", T1);
        store.setCursor("new.cursor", "x");
        store.saveOutbound(outbound(fresh.facts.orderId));
        store.recordInbound({
          fileName: "ACK_1.json",
          sha256: "aa11",
          documentId: "ACK-1",
          outcome: "APPLIED",
          at: T0,
        });
        store.recordJobRun({ job: "cycle", startedAt: T0, finishedAt: T0, ok: true, summary: "1 imported" });
        store.erasePii(existing.facts.orderId, T0);
        throw boom;
      });
      assert.unreachable("the transaction should have thrown");
    } catch (error) {
      assert.is(error, boom);
    }
    assert.is(store.get(fresh.facts.orderId), undefined);
    assert.equal(store.get(existing.facts.orderId), existing);
    assert.is(store.getCursor("orders.lastUpdatedAfter"), T0);
    assert.is(store.getCursor("new.cursor"), undefined);
    assert.equal(store.unsentOutbound(), []);
    assert.is(store.inboundSeen("aa11", "ACK-1"), false);
    assert.equal(store.lastJobRuns(), []);
    assert.is(store.getShipTo(existing.facts.orderId).kind, "held");
    assert.is(store.getShipTo(fresh.facts.orderId).kind, "none");
  });

  withStore("a nested transaction that throws undoes only its own writes", ({ store }) => {
    const outer = anOrder();
    const inner = anOrder();
    store.transaction(() => {
      store.insert(outer, aShipTo());
      try {
        store.transaction(() => {
          store.insert(inner, aShipTo());
          store.setCursor("c", "inner");
          throw new Error("inner fails");
        });
      } catch {
        // The outer work goes on without the inner writes.
      }
      store.setCursor("d", "outer");
    });
    assert.ok(store.get(outer.facts.orderId));
    assert.is(store.get(inner.facts.orderId), undefined);
    assert.is(store.getCursor("c"), undefined);
    assert.is(store.getCursor("d"), "outer");
  });

  withStore("a transaction whose work returns a promise is refused and keeps nothing", ({ store }) => {
    const order = anOrder();
    assert.throws(() =>
      store.transaction(() => {
        store.insert(order, aShipTo());
        return Promise.resolve();
      }),
    );
    assert.is(store.get(order.facts.orderId), undefined);
  });

  withStore("orders handed in and handed out are copies", ({ store }) => {
    const packages = [aPackage()];
    const order = anOrder({ packages });
    store.insert(order, aShipTo());
    packages.push(aPackage({ packageReferenceId: "2" }));
    const out = store.get(order.facts.orderId) as unknown as { state: string; packages: unknown[] };
    assert.is(out.packages.length, 1);
    out.state = "CLOSED";
    out.packages.length = 0;
    const [listed] = store.inStates(["NEW"]) as unknown as { timeline: unknown[] }[];
    listed?.timeline.push({ at: T0, event: "MUTATED" });
    const again = store.get(order.facts.orderId);
    assert.is(again?.state, "NEW");
    assert.is(again?.packages.length, 1);
    assert.is(again?.timeline.length, 1);
  });

  withStore("inStates returns the orders in those states, oldest purchase first", ({ store }) => {
    const late = anOrder({ state: "HELD", facts: { purchaseDate: "2026-11-03T10:00:00Z" } });
    const early = anOrder({ state: "PO_READY", facts: { purchaseDate: "2026-11-01T10:00:00Z" } });
    const other = anOrder({ state: "PO_SENT" });
    for (const o of [late, early, other]) store.insert(o, aShipTo());
    assert.equal(ids(store.inStates(["HELD", "PO_READY"])), [early.facts.orderId, late.facts.orderId]);
    assert.equal(ids(store.inStates(["PO_SENT"])), [other.facts.orderId]);
    assert.equal(store.inStates(["CLOSED"]), []);
    assert.equal(store.inStates([]), []);
  });

  withStore("withPendingPackages returns only orders with a package still PENDING", ({ store }) => {
    const pending = anOrder({
      state: "SHIPPED_FULL",
      packages: [aPackage({ status: "CONFIRMED" }), aPackage()],
    });
    const confirmed = anOrder({ state: "CONFIRMED", packages: [aPackage({ status: "CONFIRMED" })] });
    const rejected = anOrder({ state: "NEEDS_ATTENTION", packages: [aPackage({ status: "REJECTED" })] });
    const none = anOrder({ state: "PO_SENT" });
    for (const o of [pending, confirmed, rejected, none]) store.insert(o, aShipTo());
    assert.equal(ids(store.withPendingPackages()), [pending.facts.orderId]);
    store.update({
      ...pending,
      packages: pending.packages.map((p) => ({ ...p, status: "CONFIRMED" as const })),
    });
    assert.equal(store.withPendingPackages(), []);
  });

  withStore("withPiiHeld lists orders whose ship-to is still held", ({ store }) => {
    const held = anOrder();
    const none = anOrder({ pii: { status: "NONE" } });
    const purged = anOrder({ pii: { status: "PURGED", purgedAt: T0 } });
    store.insert(held, aShipTo());
    store.insert(none, undefined);
    store.insert(purged, undefined);
    assert.equal(ids(store.withPiiHeld()), [held.facts.orderId]);
    store.transaction(() => {
      store.erasePii(held.facts.orderId, T1);
      store.update(piiPurged(held, new Date(T1)));
    });
    assert.equal(store.withPiiHeld(), []);
  });

  withStore("countsByState counts the orders in each state present", ({ store }) => {
    store.insert(anOrder({ state: "HELD" }), aShipTo());
    store.insert(anOrder({ state: "HELD" }), aShipTo());
    store.insert(anOrder({ state: "PO_SENT" }), aShipTo());
    assert.equal(store.countsByState(), { HELD: 2, PO_SENT: 1 });
  });

  withStore("getShipTo tells a held ship-to from none and from a purged one", ({ store }) => {
    const held = anOrder();
    const without = anOrder({ pii: { status: "NONE" } });
    store.insert(held, aShipTo());
    store.insert(without, undefined);
    const lookup = store.getShipTo(held.facts.orderId);
    assert.is(lookup.kind, "held");
    if (lookup.kind === "held") assert.equal(lookup.shipTo.reveal(), shipToFields());
    assert.equal(store.getShipTo(without.facts.orderId), { kind: "none" });
    assert.equal(store.getShipTo("999-0000000-0000000"), { kind: "none" });
    store.erasePii(held.facts.orderId, T1);
    assert.equal(store.getShipTo(held.facts.orderId), { kind: "purged", at: T1 });
  });

  withStore("erasePii destroys the ship-to and that order's PO bytes but keeps the order", ({ store }) => {
    const erased = anOrder({ state: "PO_READY" });
    const kept = anOrder({ state: "PO_READY" });
    store.insert(erased, aShipTo());
    store.insert(kept, aShipTo());
    store.saveOutbound(outbound(erased.facts.orderId));
    store.saveOutbound(
      outbound(erased.facts.orderId, { fileName: "POCANCEL_1.json", documentType: "POCANCEL" }),
    );
    store.saveOutbound(outbound(kept.facts.orderId));
    store.erasePii(erased.facts.orderId, T0);
    assert.equal(store.get(erased.facts.orderId), erased);
    assert.equal(store.getShipTo(erased.facts.orderId), { kind: "purged", at: T0 });
    assert.is(store.getShipTo(kept.facts.orderId).kind, "held");
    assert.equal(
      store.unsentOutbound().map((d) => d.orderId),
      [kept.facts.orderId],
    );
  });

  withStore("erasing PII again keeps the first purge time", ({ store }) => {
    const order = anOrder();
    store.insert(order, aShipTo());
    store.erasePii(order.facts.orderId, T0);
    store.erasePii(order.facts.orderId, T1);
    assert.equal(store.getShipTo(order.facts.orderId), { kind: "purged", at: T0 });
  });

  withStore(
    "shredding keys keeps readable every ship-to and document whose deadline is not over",
    ({ store }) => {
      // Purchased 2026-11-02: hard cap 2027-01-01. The shipped one's deadline is 2026-12-02.
      const unshipped = anOrder();
      const shipped = anOrder();
      store.insert(unshipped, aShipTo());
      store.insert(shipped, aShipTo());
      store.saveOutbound(outbound(shipped.facts.orderId));
      store.update({ ...shipped, state: "SHIPPED_FULL", finalShipmentTime: "2026-11-02T18:00:00.000Z" });
      const now = new Date("2026-12-01T23:59:59.000Z");
      assert.ok(store.shredExpiredKeys(now) >= 0);
      assert.is(store.shredExpiredKeys(now), 0, "a second run destroys nothing more");
      for (const order of [unshipped, shipped]) assert.is(store.getShipTo(order.facts.orderId).kind, "held");
      assert.equal(
        store.unsentOutbound().map((d) => d.bytes),
        [outbound(shipped.facts.orderId).bytes],
      );
    },
  );

  withStore(
    "erasing one order's PII and shredding keys leaves the same day's other orders readable",
    ({ store }) => {
      const erased = anOrder();
      const kept = anOrder();
      store.insert(erased, aShipTo());
      store.insert(kept, aShipTo({ name: "Someone Else" }));
      store.transaction(() => {
        store.erasePii(erased.facts.orderId, T0);
        store.shredExpiredKeys(new Date(T0));
      });
      assert.equal(store.getShipTo(erased.facts.orderId), { kind: "purged", at: T0 });
      const lookup = store.getShipTo(kept.facts.orderId);
      assert.is(lookup.kind === "held" && lookup.shipTo.reveal().name, "Someone Else");
    },
  );

  withStore("unsent outbound documents come back whole, oldest first, until marked sent", ({ store }) => {
    const a = anOrder();
    const b = anOrder();
    const newer = outbound(a.facts.orderId, { createdAt: "2026-11-02T16:00:00.000Z" });
    const older = outbound(b.facts.orderId, {
      createdAt: "2026-11-02T15:00:00.000Z",
      documentType: "POCANCEL",
    });
    const alreadySent = outbound(b.facts.orderId, { fileName: "PO_sent.json", sentAt: T0 });
    store.saveOutbound(newer);
    store.saveOutbound(older);
    store.saveOutbound(alreadySent);
    assert.equal(store.unsentOutbound(), [older, newer]);
    store.markOutboundSent(older.fileName, T1);
    assert.equal(store.unsentOutbound(), [newer]);
    assert.throws(() => store.markOutboundSent("PO_unknown.json", T1));
  });

  withStore("outbound bytes handed in and handed out are copies", ({ store }) => {
    const doc = outbound(anOrder().facts.orderId);
    const bytes = new Uint8Array(doc.bytes);
    store.saveOutbound({ ...doc, bytes });
    bytes.fill(0);
    const [out] = store.unsentOutbound();
    assert.equal(out?.bytes, doc.bytes);
    out?.bytes.fill(0);
    assert.equal(store.unsentOutbound()[0]?.bytes, doc.bytes);
  });

  withStore("saving an outbound document under a stored file name replaces it", ({ store }) => {
    const orderId = anOrder().facts.orderId;
    const first = outbound(orderId);
    store.saveOutbound(first);
    store.markOutboundSent(first.fileName, T0);
    const rebuilt = outbound(orderId, { sha256: "0".repeat(64), createdAt: T1 });
    store.saveOutbound(rebuilt);
    assert.equal(store.unsentOutbound(), [rebuilt]);
  });

  withStore("inboundSeen knows a file by its hash and a document by its id", ({ store }) => {
    assert.is(store.inboundSeen("hash-1", "ASN-1"), false);
    store.recordInbound({
      fileName: "ASN_0412_1.json",
      sha256: "hash-1",
      documentId: "ASN-1",
      documentType: "ASN",
      poNumber: "113-4200001-0007919",
      outcome: "APPLIED",
      at: T0,
    });
    store.recordInbound({
      fileName: "junk.json",
      sha256: "hash-2",
      outcome: "REJECTED",
      reason: "not JSON",
      at: T0,
    });
    assert.is(store.inboundSeen("hash-1"), true);
    assert.is(store.inboundSeen("hash-other", "ASN-1"), true);
    assert.is(store.inboundSeen("hash-2"), true);
    assert.is(store.inboundSeen("hash-other", "ASN-2"), false);
    assert.is(store.inboundSeen("hash-other"), false);
  });

  withStore("the same inbound file can be recorded again, as a duplicate", ({ store }) => {
    const record = {
      fileName: "ACK_1.json",
      sha256: "hash-1",
      documentId: "ACK-1",
      outcome: "APPLIED",
      at: T0,
    };
    store.recordInbound(record);
    store.recordInbound({ ...record, outcome: "DUPLICATE", at: T1 });
    assert.is(store.inboundSeen("hash-1"), true);
  });

  withStore("a cursor reads back the last value set", ({ store }) => {
    assert.is(store.getCursor("orders.lastUpdatedAfter"), undefined);
    store.setCursor("orders.lastUpdatedAfter", T0);
    store.setCursor("orders.lastUpdatedAfter", T1);
    store.setCursor("other", "x");
    assert.is(store.getCursor("orders.lastUpdatedAfter"), T1);
    assert.is(store.getCursor("other"), "x");
  });

  withStore("lastJobRuns gives the latest run of each job, by job name", ({ store }) => {
    const purge = { job: "purge", startedAt: T0, finishedAt: T0, ok: true, summary: "2 purged" };
    const cycle1 = { job: "cycle", startedAt: T0, finishedAt: T0, ok: true, summary: "3 imported" };
    const cycle2 = { job: "cycle", startedAt: T1, finishedAt: T1, ok: false, summary: "SFTP_DOWN" };
    for (const run of [purge, cycle1, cycle2]) store.recordJobRun(run);
    assert.equal(store.lastJobRuns(), [cycle2, purge]);
  });

  withStore("a closed store refuses work", ({ store }) => {
    store.close();
    assert.throws(() => store.get("113-4200001-0007919"));
    assert.throws(() => store.insert(anOrder(), aShipTo()));
  });

  withStore("everything stored survives closing and reopening", ({ store, reopen }) => {
    if (!reopen) return;
    const order = anOrder({ packages: [aPackage()] });
    const purged = anOrder();
    store.insert(order, aShipTo());
    store.insert(purged, aShipTo());
    store.erasePii(purged.facts.orderId, T0);
    const doc = outbound(order.facts.orderId);
    store.saveOutbound(doc);
    store.recordInbound({ fileName: "ACK_1.json", sha256: "hash-1", outcome: "APPLIED", at: T0 });
    store.setCursor("orders.lastUpdatedAfter", T0);
    const run = { job: "cycle", startedAt: T0, finishedAt: T1, ok: true, summary: "ok" };
    store.recordJobRun(run);
    const again = reopen();
    assert.equal(again.get(order.facts.orderId), order);
    assert.equal(ids(again.withPendingPackages()), [order.facts.orderId]);
    const lookup = again.getShipTo(order.facts.orderId);
    assert.is(lookup.kind === "held" && lookup.shipTo.reveal().line1, shipToFields().line1);
    assert.equal(again.getShipTo(purged.facts.orderId), { kind: "purged", at: T0 });
    assert.equal(again.unsentOutbound(), [doc]);
    assert.is(again.inboundSeen("hash-1"), true);
    assert.is(again.getCursor("orders.lastUpdatedAfter"), T0);
    assert.equal(again.lastJobRuns(), [run]);
  });

  test.run();
}
