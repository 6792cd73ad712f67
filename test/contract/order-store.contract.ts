import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { OrderStore, OutboundDocument } from "../../src/app/ports/order-store.port.js";
import type { FulfillmentOrder } from "../../src/domain/fulfillment-order.js";
import { afterPiiPurge } from "../../src/domain/retention.js";
import { anOrder, aPackage, aShipTo, shipToFields } from "../support/order-mother.js";
import { thrown } from "../support/thrown.js";

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

/** Default retention: 30 days after shipment; hard cap 60 days after purchase (the mother's 2026-11-02T15:04:05Z). */
const SHIPPED = "2026-11-02T18:00:00.000Z";
const DEADLINE = "2026-12-02T18:00:00.000Z";
const HARD_CAP = "2027-01-01T15:04:05.000Z";

function shippedOn(at: string, overrides: Parameters<typeof anOrder>[0] = {}): FulfillmentOrder {
  return anOrder({ state: "SHIPPED_FULL", finalShipmentTime: at, ...overrides });
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

  withStore(
    "a store method that fails in a transaction fails it, even when the work catches the error",
    ({ store }) => {
      const existing = anOrder();
      store.insert(existing, aShipTo());
      const fresh = anOrder();
      const error = thrown(() =>
        store.transaction(() => {
          store.insert(fresh, aShipTo());
          try {
            store.insert(existing, aShipTo());
          } catch {
            // Swallowed on purpose: the transaction must not commit anyway.
          }
          store.setCursor("c", "after");
          return "done";
        }),
      );
      assert.is(error.code, "STORE_WRITE_FAILED");
      assert.match(String(error.message), /already stored/);
      assert.is(store.get(fresh.facts.orderId), undefined);
      assert.is(store.getCursor("c"), undefined);
      // The next transaction is not affected.
      store.transaction(() => store.insert(fresh, aShipTo()));
      assert.ok(store.get(fresh.facts.orderId));
    },
  );

  withStore("a failure caught inside a nested transaction fails only that one", ({ store }) => {
    const existing = anOrder();
    store.insert(existing, aShipTo());
    const [outer, inner] = [anOrder(), anOrder()];
    store.transaction(() => {
      store.insert(outer, aShipTo());
      const error = thrown(() =>
        store.transaction(() => {
          store.insert(inner, aShipTo());
          try {
            store.update({ ...anOrder(), state: "HELD" });
          } catch {
            // Swallowed: the nested transaction fails, the outer one decides for itself.
          }
        }),
      );
      assert.is(error.code, "STORE_WRITE_FAILED");
    });
    assert.ok(store.get(outer.facts.orderId));
    assert.is(store.get(inner.facts.orderId), undefined);
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

  withStore(
    "orders handed in and handed out are frozen: changing one throws and changes nothing stored",
    ({ store }) => {
      const packages = [aPackage()];
      const order = anOrder({ packages });
      store.insert(order, aShipTo());
      assert.throws(() => packages.push(aPackage({ packageReferenceId: "2" })), TypeError);
      const out = store.get(order.facts.orderId) as unknown as { state: string; packages: unknown[] };
      assert.is(out.packages.length, 1);
      assert.throws(() => {
        out.state = "CLOSED";
      }, TypeError);
      assert.throws(() => {
        out.packages.length = 0;
      }, TypeError);
      const [listed] = store.inStates(["NEW"]) as unknown as { timeline: unknown[] }[];
      assert.throws(() => listed?.timeline.push({ at: T0, event: "MUTATED" }), TypeError);
      const updated = { ...order, state: "HELD" as const, timeline: [...order.timeline] };
      store.update(updated);
      assert.throws(() => updated.timeline.push({ at: T0, event: "MUTATED", state: "HELD" }), TypeError);
      const again = store.get(order.facts.orderId);
      assert.is(again?.state, "HELD");
      assert.is(again?.packages.length, 1);
      assert.is(again?.timeline.length, 1);
    },
  );

  withStore(
    "unsent documents come oldest first, until delivered, except those the caller holds",
    ({ store }) => {
      const [a, b, c] = [anOrder(), anOrder(), anOrder()];
      for (const o of [a, b, c]) store.insert(o, aShipTo());
      store.saveOutbound(outbound(b.facts.orderId, { createdAt: "2026-11-02T15:21:00.000Z" }));
      store.saveOutbound(outbound(a.facts.orderId));
      store.saveOutbound(outbound(c.facts.orderId, { createdAt: "2026-11-02T15:22:00.000Z" }));
      const names = (docs: OutboundDocument[]) => docs.map((d) => d.orderId);
      assert.equal(
        names(store.unsentOutbound()),
        [a, b, c].map((o) => o.facts.orderId),
      );
      assert.equal(store.unsentOutbound()[0]?.bytes, outbound(a.facts.orderId).bytes);
      const held = new Set([outbound(a.facts.orderId).fileName, "PO_0412-88731_never-saved.json"]);
      assert.equal(
        names(store.unsentOutbound(held)),
        [b, c].map((o) => o.facts.orderId),
      );
      store.markOutboundSent(outbound(b.facts.orderId).fileName, "2026-11-02T16:00:00.000Z");
      assert.equal(
        names(store.unsentOutbound()),
        [a, c].map((o) => o.facts.orderId),
      );
    },
  );

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
    store.purgeDuePii(new Date(HARD_CAP));
    assert.equal(store.getShipTo(held.facts.orderId), { kind: "purged", at: HARD_CAP });
  });

  withStore("duePii counts the orders past their deadline; orders without PII are never due", ({ store }) => {
    const unshipped = anOrder();
    const shipped = shippedOn(SHIPPED);
    const none = anOrder({ pii: { status: "NONE" } });
    const purged = anOrder({ pii: { status: "PURGED", purgedAt: T0 } });
    store.insert(unshipped, aShipTo());
    store.insert(shipped, aShipTo());
    store.insert(none, undefined);
    store.insert(purged, undefined);
    assert.equal(store.duePii(new Date("2026-12-02T17:59:59.999Z")), { orders: 0, keysDestroyed: 0 });
    const due = { orders: 1, firstDeadline: DEADLINE, lastDeadline: DEADLINE, keysDestroyed: 0 };
    assert.equal(store.duePii(new Date(DEADLINE)), due);
    assert.equal(store.duePii(new Date("2026-12-20T00:00:00.000Z")), due, "counting erases nothing");
    assert.is(store.duePii(new Date(HARD_CAP)).orders, 2);
  });

  withStore(
    "the purge erases the ship-to and that order's document bytes but keeps the order",
    ({ store }) => {
      const erased = shippedOn(SHIPPED, { state: "NEEDS_ATTENTION" });
      const kept = anOrder({ state: "PO_READY" });
      store.insert(erased, aShipTo());
      store.insert(kept, aShipTo());
      store.saveOutbound(outbound(erased.facts.orderId));
      store.saveOutbound(
        outbound(erased.facts.orderId, { fileName: "POCANCEL_1.json", documentType: "POCANCEL" }),
      );
      store.saveOutbound(outbound(kept.facts.orderId));
      const now = new Date("2026-12-03T03:15:00.000Z");
      const result = store.purgeDuePii(now);
      assert.equal(
        { orders: result.orders, first: result.firstDeadline, last: result.lastDeadline },
        { orders: 1, first: DEADLINE, last: DEADLINE },
      );
      assert.equal(store.get(erased.facts.orderId), afterPiiPurge(erased, now));
      assert.is(store.get(erased.facts.orderId)?.state, "NEEDS_ATTENTION", "an open order keeps its state");
      assert.equal(store.getShipTo(erased.facts.orderId), { kind: "purged", at: now.toISOString() });
      assert.is(store.getShipTo(kept.facts.orderId).kind, "held");
      assert.equal(
        store.unsentOutbound().map((d) => d.orderId),
        [kept.facts.orderId],
      );
    },
  );

  withStore("a finished order whose PII is purged reads, lists and counts as CLOSED", ({ store }) => {
    const confirmed = shippedOn(SHIPPED, { state: "CONFIRMED" });
    const open = anOrder({ state: "PO_SENT" });
    store.insert(confirmed, aShipTo());
    store.insert(open, aShipTo());
    const now = new Date("2026-12-03T03:15:00.000Z");
    store.purgeDuePii(now);
    const closed = store.get(confirmed.facts.orderId);
    assert.is(closed?.state, "CLOSED");
    assert.equal(closed?.pii, { status: "PURGED", purgedAt: now.toISOString() });
    assert.equal(ids(store.inStates(["CLOSED"])), [confirmed.facts.orderId]);
    assert.equal(store.inStates(["CONFIRMED"]), []);
    assert.equal(store.countsByState(), { CLOSED: 1, PO_SENT: 1 });
  });

  withStore("a second purge erases nothing and the first purge time stands", ({ store }) => {
    const order = shippedOn(SHIPPED);
    store.insert(order, aShipTo());
    assert.is(store.purgeDuePii(new Date(DEADLINE)).orders, 1);
    assert.is(store.purgeDuePii(new Date(HARD_CAP)).orders, 0);
    assert.equal(store.getShipTo(order.facts.orderId), { kind: "purged", at: DEADLINE });
    assert.equal(store.duePii(new Date(HARD_CAP)), { orders: 0, keysDestroyed: 0 });
  });

  withStore("a deadline later on the day of the purge run is not erased until it has come", ({ store }) => {
    const early = shippedOn("2026-11-02T10:00:00.000Z");
    const late = shippedOn("2026-11-02T20:00:00.000Z");
    store.insert(early, aShipTo());
    store.insert(late, aShipTo({ name: "Someone Else" }));
    store.saveOutbound(outbound(late.facts.orderId));
    assert.is(store.purgeDuePii(new Date("2026-12-02T15:00:00.000Z")).orders, 1);
    assert.is(store.getShipTo(early.facts.orderId).kind, "purged");
    const lookup = store.getShipTo(late.facts.orderId);
    assert.is(lookup.kind === "held" && lookup.shipTo.reveal().name, "Someone Else");
    assert.equal(store.unsentOutbound().length, 1);
    assert.is(store.purgeDuePii(new Date("2026-12-03T03:15:00.000Z")).orders, 1);
    assert.is(store.getShipTo(late.facts.orderId).kind, "purged");
    assert.equal(store.unsentOutbound(), []);
  });

  withStore("PII whose deadline day the purge already passed is held until the next purge", ({ store }) => {
    const first = shippedOn(SHIPPED);
    store.insert(first, aShipTo());
    store.purgeDuePii(new Date("2026-12-04T03:15:00.000Z"));
    // Cancelled on 2026-12-02, recorded only now: due at once, erased by the next run, not before.
    const late = anOrder({ state: "CANCELLED", cancelledAt: "2026-12-02T12:00:00.000Z" });
    store.insert(late, aShipTo({ name: "Late Canceller" }));
    assert.is(store.get(late.facts.orderId)?.pii.status, "HELD");
    const lookup = store.getShipTo(late.facts.orderId);
    assert.is(lookup.kind === "held" && lookup.shipTo.reveal().name, "Late Canceller");
    assert.is(store.duePii(new Date("2026-12-04T10:00:00.000Z")).orders, 1);
    const next = new Date("2026-12-05T03:15:00.000Z");
    assert.is(store.purgeDuePii(next).orders, 1);
    assert.equal(store.getShipTo(late.facts.orderId), { kind: "purged", at: next.toISOString() });
    assert.is(store.get(late.facts.orderId)?.state, "CLOSED");
  });

  withStore(
    "the purge keeps readable every ship-to and document whose deadline has not come",
    ({ store }) => {
      const unshipped = anOrder();
      const shipped = anOrder();
      store.insert(unshipped, aShipTo());
      store.insert(shipped, aShipTo());
      store.saveOutbound(outbound(shipped.facts.orderId));
      // Its deadline moves from the hard cap (2027-01-01) to 2026-12-02T18:00.
      store.update({ ...shipped, state: "SHIPPED_FULL", finalShipmentTime: SHIPPED });
      const now = new Date("2026-12-02T17:59:59.000Z");
      assert.is(store.purgeDuePii(now).orders, 0);
      assert.is(store.purgeDuePii(now).keysDestroyed, 0, "a second run destroys nothing more");
      for (const order of [unshipped, shipped]) assert.is(store.getShipTo(order.facts.orderId).kind, "held");
      assert.equal(
        store.unsentOutbound().map((d) => d.bytes),
        [outbound(shipped.facts.orderId).bytes],
      );
    },
  );

  withStore("saving a copy read before the purge does not bring the PII back", ({ store }) => {
    const order = shippedOn(SHIPPED, { state: "SHIPPED_FULL" });
    store.insert(order, aShipTo());
    const before = store.get(order.facts.orderId);
    if (!before) throw new Error("not stored");
    const now = new Date("2026-12-03T03:15:00.000Z");
    store.purgeDuePii(now);
    store.update({ ...before, state: "CONFIRMED" });
    assert.equal(store.get(order.facts.orderId)?.pii, { status: "PURGED", purgedAt: now.toISOString() });
    assert.is(store.getShipTo(order.facts.orderId).kind, "purged");
    assert.is(store.duePii(new Date(HARD_CAP)).orders, 0);
  });

  withStore("approachingHardCap lists unshipped orders past their warning time, not yet due", ({ store }) => {
    const unshipped = anOrder();
    const shipped = shippedOn(SHIPPED);
    store.insert(unshipped, aShipTo());
    store.insert(shipped, aShipTo());
    // Hard cap 60 days after purchase (2027-01-01T15:04:05Z), warned 7 days before.
    assert.equal(store.approachingHardCap(new Date("2026-12-25T15:04:04.000Z")), []);
    assert.equal(store.approachingHardCap(new Date("2026-12-25T15:04:05.000Z")), [
      { orderId: unshipped.facts.orderId, deadline: HARD_CAP },
    ]);
    assert.equal(store.approachingHardCap(new Date(HARD_CAP)), []);
  });

  withStore("pruning job runs deletes the old ones but keeps each job's latest", ({ store }) => {
    const run = (job: string, at: string) => ({ job, startedAt: at, finishedAt: at, ok: true, summary: at });
    store.recordJobRun(run("cycle", "2025-10-01T00:00:00.000Z"));
    store.recordJobRun(run("cycle", "2025-11-01T00:00:00.000Z"));
    store.recordJobRun(run("cycle", "2026-11-01T00:00:00.000Z"));
    store.recordJobRun(run("backup", "2025-10-02T00:00:00.000Z"));
    assert.is(store.pruneJobRuns("2025-12-04T00:00:00.000Z"), 2);
    assert.equal(
      store.lastJobRuns().map((r) => [r.job, r.finishedAt]),
      [
        ["backup", "2025-10-02T00:00:00.000Z"],
        ["cycle", "2026-11-01T00:00:00.000Z"],
      ],
    );
    assert.is(store.pruneJobRuns("2025-12-04T00:00:00.000Z"), 0, "nothing more to delete");
  });

  withStore("a closed store refuses work", ({ store }) => {
    store.close();
    assert.throws(() => store.get("113-4200001-0007919"));
    assert.throws(() => store.insert(anOrder(), aShipTo()));
  });

  withStore("everything stored survives closing and reopening", ({ store, reopen }) => {
    if (!reopen) return;
    const order = anOrder({ packages: [aPackage()] });
    const purged = shippedOn(SHIPPED);
    store.insert(order, aShipTo());
    store.insert(purged, aShipTo());
    store.purgeDuePii(new Date(DEADLINE));
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
    assert.equal(again.getShipTo(purged.facts.orderId), { kind: "purged", at: DEADLINE });
    assert.equal(again.unsentOutbound(), [doc]);
    assert.is(again.inboundSeen("hash-1"), true);
    assert.is(again.getCursor("orders.lastUpdatedAfter"), T0);
    assert.equal(again.lastJobRuns(), [run]);
  });

  test.run();
}
