import { suite } from "uvu";
import * as assert from "uvu/assert";
import { IntegrationError } from "../../../src/app/errors.js";
import { type OutboundDocument } from "../../../src/app/ports/order-store.port.js";
import {
  type OutboundFile,
  SupplierGateway,
  type SupplierSession,
} from "../../../src/app/ports/supplier-gateway.port.js";
import { BATCH } from "../../../src/app/use-cases/commit-batch.js";
import { CONFIRM_BATCH } from "../../../src/app/use-cases/confirm-shipments.use-case.js";
import type { FulfillmentOrder } from "../../../src/domain/fulfillment-order.js";
import type { OrderState } from "../../../src/domain/lifecycle.js";
import { anApp } from "../../support/app-harness.js";
import { ackFile, asnFile, uploadedPo } from "../../support/essendant-answers.js";
import { MemoryOrderStore } from "../../support/fakes/memory.order-store.js";
import { MemorySupplierGateway } from "../../support/fakes/memory.supplier-gateway.js";
import { anAmazonOrder, anItem } from "../../support/order-mother.js";

/** What better-sqlite3 throws when another process holds the write lock. */
const busy = () => Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });

/**
 * The in-memory store, counting commits as SQLite makes them: one per outermost transaction and one
 * per write made outside any. `failCommit(n)` makes the n-th commit from now throw after its work ran,
 * so nothing of it is kept, as a commit refused for a busy database or a full disk.
 */
class CountingOrderStore extends MemoryOrderStore {
  commits = 0;
  #depth = 0;
  #failIn: number | undefined;

  failCommit(n = 1): void {
    this.#failIn = n;
  }

  override transaction<T>(work: () => T): T {
    if (this.#depth > 0) return super.transaction(work);
    this.#depth++;
    try {
      return super.transaction(() => {
        const result = work();
        if (this.#failIn !== undefined && --this.#failIn === 0) {
          this.#failIn = undefined;
          throw busy();
        }
        this.commits++;
        return result;
      });
    } finally {
      this.#depth--;
    }
  }

  override update(order: FulfillmentOrder): void {
    this.transaction(() => super.update(order));
  }

  override saveOutbound(doc: OutboundDocument): void {
    this.transaction(() => super.saveOutbound(doc));
  }

  override markOutboundSent(fileName: string, at: string): void {
    this.transaction(() => super.markOutboundSent(fileName, at));
  }

  override recordInbound(record: Parameters<MemoryOrderStore["recordInbound"]>[0]): void {
    this.transaction(() => super.recordInbound(record));
  }
}

/** Essendant's server in memory, whose connection drops at the `dropAt`-th upload of a session. */
class DroppingGateway implements SupplierGateway {
  dropAt = Number.POSITIVE_INFINITY;

  constructor(readonly inner: MemorySupplierGateway) {}

  async open(): Promise<SupplierSession> {
    const session = await this.inner.open();
    let sends = 0;
    return {
      ...session,
      send: async (file: OutboundFile) => {
        if (++sends === this.dropAt)
          throw new IntegrationError("SFTP_CONNECTION_LOST", "the connection dropped", true);
        return session.send(file);
      },
    };
  }
}

/** The app harness with the counting store and the dropping gateway. */
function aBatchedApp() {
  const store = new CountingOrderStore();
  const wrapped: { gateway?: DroppingGateway } = {};
  const app = anApp({
    store,
    wrapGateway: (server) => {
      wrapped.gateway = new DroppingGateway(server);
      return wrapped.gateway;
    },
  });
  const { gateway } = wrapped;
  if (!gateway) throw new Error("the harness did not wrap the gateway");
  return {
    ...app,
    /** Essendant's server in memory, behind `gateway`. */
    essendant: app.gateway,
    gateway,
    store,
    /** Commits made while `step` ran. */
    async commitsOf<T>(step: () => Promise<T>): Promise<{ result: T; commits: number }> {
      const before = store.commits;
      const result = await step();
      return { result, commits: store.commits - before };
    },
    events: (name: string) => app.log.events.filter((e) => e.event === name),
    statesOf: (ids: readonly string[]) => ids.map((id) => store.get(id)?.state),
  };
}

type BatchedApp = ReturnType<typeof aBatchedApp>;

/** `n` orders imported; each item becomes a PO line, and each PO line a package in `shipAll`. */
async function imported(app: BatchedApp, n: number, skus = ["PENS"]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const order = anAmazonOrder({ facts: { items: skus.map((sellerSku) => anItem({ sellerSku })) } });
    app.marketplace.add(order);
    ids.push(order.facts.orderId);
  }
  await app.importOrders();
  return ids;
}

function answerAll(app: BatchedApp, ids: readonly string[], answer: "ACK" | "ASN"): void {
  for (const id of ids) {
    const po = uploadedPo(app.essendant, id);
    app.essendant.dropInbound(`${answer}_${id}.json`, answer === "ACK" ? ackFile(po) : asnFile(po, `S${id}`));
  }
}

/** `n` orders acknowledged and shipped, their packages waiting for Amazon. */
async function shippedOrders(app: BatchedApp, n: number, skus?: string[]): Promise<string[]> {
  const ids = await imported(app, n, skus);
  await app.submit();
  answerAll(app, ids, "ACK");
  answerAll(app, ids, "ASN");
  await app.collect();
  return ids;
}

const every = (states: readonly (OrderState | undefined)[], state: OrderState) =>
  states.every((s) => s === state);

const test = suite("use cases: outcomes recorded in batches");

/** Two and a half batches. */
const MANY = BATCH * 2 + BATCH / 2;

test("two and a half batches of POs are built in 3 commits and recorded as sent in 3, not one each", async () => {
  assert.is(BATCH, 1000);
  const app = aBatchedApp();
  const ids = await imported(app, MANY);
  const { result, commits } = await app.commitsOf(app.submit);
  assert.equal(result.counts, { prepared: MANY, sent: MANY });
  assert.is(commits, 3 + 3, "one commit per batch of POs built, then one per batch of deliveries");
  assert.ok(every(app.statesOf(ids), "PO_SENT"));
  assert.equal(app.store.unsentOutbound(), []);
  assert.is(app.events("po.sent").length, MANY);
});

test("a connection lost after 30 sends leaves those 30 recorded as sent and the rest waiting", async () => {
  const app = aBatchedApp();
  const ids = await imported(app, 50);
  app.gateway.dropAt = 31;
  const report = await app.submit();
  assert.equal(report.counts, { prepared: 50, sent: 30 });
  assert.equal(
    report.problems.map((p) => p.code),
    ["SFTP_CONNECTION_LOST"],
  );
  const states = app.statesOf(ids);
  assert.ok(every(states.slice(0, 30), "PO_SENT"));
  assert.ok(every(states.slice(30), "PO_READY"));
  assert.is(app.store.unsentOutbound().length, 20);
  app.gateway.dropAt = Number.POSITIVE_INFINITY;
  assert.equal((await app.submit()).counts, { sent: 20 });
  assert.ok(every(app.statesOf(ids), "PO_SENT"));
});

test("a batch of deliveries whose commit fails records none of them; the next pass finds them on the server", async () => {
  const app = aBatchedApp();
  const ids = await imported(app, BATCH + 50);
  app.store.failCommit(4); // two batches of POs built, the first batch of deliveries, then the last 50
  const report = await app.submit();
  assert.equal(
    report.problems.map((p) => p.code),
    ["SQLITE_BUSY"],
  );
  assert.is(report.counts.sent, BATCH, "only what was recorded is counted");
  assert.is(app.events("po.sent").length, BATCH);
  const states = app.statesOf(ids);
  assert.ok(every(states.slice(0, BATCH), "PO_SENT"));
  assert.ok(every(states.slice(BATCH), "PO_READY"), "no PO is marked sent whose record was not committed");
  assert.is(app.essendant.uploads, BATCH + 50);
  assert.equal((await app.submit()).counts, { sent: 50 });
  assert.is(app.essendant.uploads, BATCH + 50, "re-sent, found on the server, not uploaded twice");
  for (const id of ids.slice(BATCH))
    assert.is(app.store.get(id)?.timeline.at(-1)?.event, "PO_FOUND_ON_SERVER");
});

test("the deliveries before a conflicting file are recorded, and the ones after it go on", async () => {
  const app = aBatchedApp();
  const ids = await imported(app, 3);
  const [, second] = ids;
  app.essendant.remoteOutbound.set(`PO_123456_${second}.json`, new TextEncoder().encode("{}"));
  const report = await app.submit();
  assert.equal(report.counts, { prepared: 3, sent: 2 });
  assert.equal(app.statesOf(ids), ["PO_SENT", "NEEDS_ATTENTION", "PO_SENT"]);
});

test("an ACK and the ASN of the same order in one poll are applied in order, in one commit", async () => {
  const app = aBatchedApp();
  const [id = ""] = await imported(app, 1, ["PAPER", "PENS"]);
  await app.submit();
  answerAll(app, [id], "ACK");
  answerAll(app, [id], "ASN");
  const { result, commits } = await app.commitsOf(app.collect);
  assert.equal(result.counts, { applied: 2 });
  assert.is(commits, 1);
  const order = app.store.get(id);
  assert.is(order?.state, "SHIPPED_FULL");
  assert.is(order?.packages.length, 2);
  assert.equal([...app.essendant.archived.keys()].sort(), [`ACK_${id}.json`, `ASN_${id}.json`]);
});

test("a second copy of a document in the same poll is a duplicate, by hash or by documentId", async () => {
  const app = aBatchedApp();
  const [id = ""] = await imported(app, 1);
  await app.submit();
  const po = uploadedPo(app.essendant, id);
  const ack = ackFile(po, { documentId: "bbbbbbbb-0000-4000-8000-000000000001" });
  app.essendant.dropInbound("ACK_1.json", ack);
  app.essendant.dropInbound("ACK_2.json", ack);
  app.essendant.dropInbound(
    "ACK_3.json",
    ackFile(po, { documentId: "bbbbbbbb-0000-4000-8000-000000000001", ackDateTime: "2026-12-04T10:45:00Z" }),
  );
  const report = await app.collect();
  assert.equal(report.counts, { applied: 1, duplicates: 2 });
  assert.is(app.store.get(id)?.state, "ACK_ACCEPTED");
  assert.is(app.essendant.archived.size, 3);
});

test("the files of two and a half batches of orders are applied in 3 commits", async () => {
  const app = aBatchedApp();
  const ids = await imported(app, MANY);
  await app.submit();
  answerAll(app, ids, "ACK");
  const { result, commits } = await app.commitsOf(app.collect);
  assert.equal(result.counts, { applied: MANY });
  assert.is(commits, 3);
  assert.ok(every(app.statesOf(ids), "ACK_ACCEPTED"));
  assert.is(app.essendant.archived.size, MANY);
});

test("files whose commit fails are neither archived nor refused, and are collected on the next run", async () => {
  const app = aBatchedApp();
  const ids = await imported(app, 3);
  await app.submit();
  answerAll(app, ids, "ACK");
  app.essendant.dropInbound("ACK_broken.json", "{ not json");
  app.store.failCommit(1);
  const failed = await app.collect();
  assert.equal(
    failed.problems.map((p) => p.code),
    ["SQLITE_BUSY"],
  );
  assert.equal(failed.counts, {});
  assert.equal([app.essendant.archived.size, app.essendant.rejected.size], [0, 0]);
  assert.is(app.essendant.remoteInbound.size, 4);
  assert.ok(every(app.statesOf(ids), "PO_SENT"));
  assert.equal((await app.collect()).counts, { applied: 3, rejected: 1 });
  assert.ok(every(app.statesOf(ids), "ACK_ACCEPTED"));
  assert.equal([app.essendant.archived.size, app.essendant.rejected.size], [3, 1]);
});

test("packages Amazon answers at once are recorded per batch, and every order with two packages ends CONFIRMED with both", async () => {
  const app = aBatchedApp();
  const orders = Math.ceil(MANY / 2);
  const ids = await shippedOrders(app, orders, ["PAPER", "PENS"]);
  assert.ok(every(app.statesOf(ids), "SHIPPED_FULL"));
  const { result, commits } = await app.commitsOf(app.confirm);
  assert.equal(result.counts, { confirmed: orders * 2 });
  assert.equal(CONFIRM_BATCH, { size: BATCH, maxWaitMs: 20 });
  assert.is(commits, 3, "per batch of packages: half a batch of orders of two");
  for (const id of ids) {
    const order = app.store.get(id);
    assert.is(order?.state, "CONFIRMED");
    assert.equal(
      order?.packages.map((p) => p.status),
      ["CONFIRMED", "CONFIRMED"],
    );
  }
  assert.is(app.marketplace.confirmations().length, orders * 2);
  assert.is(app.events("order.confirmed").length, orders);
  assert.equal(app.store.withPendingPackages(), []);
});

test("packages Amazon answers slowly are committed once the first has waited 20 ms, not per batch", async () => {
  const app = aBatchedApp();
  const ids = await shippedOrders(app, 16);
  const answer = app.marketplace.confirmShipment.bind(app.marketplace);
  // Each answer takes 30 ms: a worker's next outcome comes after the batch's first has waited 20 ms.
  app.marketplace.confirmShipment = async (orderId, confirmation) => {
    await new Promise((resolve) => setTimeout(resolve, 30));
    return answer(orderId, confirmation);
  };
  const { result, commits } = await app.commitsOf(app.confirm);
  assert.equal(result.counts, { confirmed: 16 });
  // 4 orders in flight answer in 4 rounds; rounds 2 to 4 each find the batch old enough, then the end.
  assert.ok(commits >= 4, `${commits} commits`);
  assert.ok(every(app.statesOf(ids), "CONFIRMED"));
});

test("confirmations whose commit fails stay pending and are confirmed again on the next pass", async () => {
  const app = aBatchedApp();
  const ids = await shippedOrders(app, 3);
  app.store.failCommit(1);
  const failed = await app.confirm();
  assert.equal(
    failed.problems.map((p) => p.code),
    ["SQLITE_BUSY"],
  );
  assert.equal(failed.counts, {});
  assert.ok(every(app.statesOf(ids), "SHIPPED_FULL"));
  assert.equal(app.events("package.confirmed"), []);
  assert.equal((await app.confirm()).counts, { confirmed: 3 });
  assert.ok(every(app.statesOf(ids), "CONFIRMED"));
  assert.is(app.marketplace.confirmations().length, 3, "the same package confirmed again is an edit");
});

test.run();
