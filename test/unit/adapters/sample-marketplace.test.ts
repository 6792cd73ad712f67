import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { MAX_CATCH_UP, SampleMarketplace } from "../../../src/adapters/sample/sample.marketplace.js";
import { sampleOrderId, sampleOrderIndex } from "../../../src/adapters/sample/sample-orders.js";
import type { Config } from "../../../src/app/config/config.js";
import type { OrderPage } from "../../../src/app/ports/marketplace.port.js";
import { type AmazonOrder, isAmazonOrderId } from "../../../src/domain/amazon-order.js";
import { FixedClock } from "../../support/fakes/fixed.clock.js";
import { aLocalFolderConfig } from "../../support/local-folder-config.js";

const INTERVAL = 30;

function aConfig(root: string, seed = 7): Config {
  const base = aLocalFolderConfig(root);
  return {
    ...base,
    amazon: { ...base.amazon, sample: { intervalSeconds: INTERVAL, firstPollOrders: 3, seed } },
  };
}

async function poll(marketplace: SampleMarketplace, cursor?: string): Promise<OrderPage[]> {
  const pages: OrderPage[] = [];
  for await (const page of marketplace.changedOrders(cursor)) pages.push(page);
  return pages;
}

/** Everything about an order, ship-to included, as comparable text. */
const fingerprint = (order: AmazonOrder) =>
  JSON.stringify({ facts: order.facts, shipTo: order.shipTo?.reveal() });
const range = (count: number) => Array.from({ length: count }, (_, n) => n);

const test = suite<{ root: string; clock: FixedClock }>("sample marketplace");
test.before.each((ctx) => {
  ctx.root = fs.mkdtempSync(path.join(os.tmpdir(), "sample-marketplace-"));
  ctx.clock = new FixedClock("2026-12-04T10:11:12Z");
});
test.after.each((ctx) => fs.rmSync(ctx.root, { recursive: true, force: true }));

test("two instances with the same seed deliver the same orders", async ({ root, clock }) => {
  const a = await poll(new SampleMarketplace(aConfig(root), clock));
  const b = await poll(new SampleMarketplace(aConfig(root), new FixedClock(clock.now())));
  assert.equal(
    a.flatMap((p) => p.orders.map(fingerprint)),
    b.flatMap((p) => p.orders.map(fingerprint)),
  );
  assert.equal(
    a.map((p) => p.cursor),
    b.map((p) => p.cursor),
  );
});

test("another seed gives other orders", ({ root, clock }) => {
  const a = new SampleMarketplace(aConfig(root, 7), clock).orderAt(1000);
  const b = new SampleMarketplace(aConfig(root, 8), clock).orderAt(1000);
  assert.is.not(a.facts.orderId, b.facts.orderId);
});

test("order n is created at n × intervalSeconds and the first poll brings the newest firstPollOrders", async ({
  root,
  clock,
}) => {
  const marketplace = new SampleMarketplace(aConfig(root), clock);
  const [page, ...rest] = await poll(marketplace);
  const now = marketplace.currentIndex();
  assert.equal(rest, []);
  assert.is(page?.cursor, String(now));
  assert.equal(
    page?.orders.map((o) => o.facts.purchaseDate),
    [now - 2, now - 1, now].map((n) => new Date(n * INTERVAL * 1000).toISOString().replace(".000", "")),
  );
});

test("the first 200 orders show every demo case in about its share", ({ root, clock }) => {
  const marketplace = new SampleMarketplace(aConfig(root), clock);
  const orders = range(200).map((n) => marketplace.orderAt(n));
  const count = (check: (o: AmazonOrder) => boolean) => orders.filter(check).length;
  const skus = (o: AmazonOrder) => o.facts.items.map((i) => i.sellerSku);
  const easyShip = count((o) => o.facts.programs.includes("AMAZON_EASY_SHIP"));
  const unmapped = count((o) => skus(o).includes("DEMO-UNMAPPED-TONER"));
  const longStreet = count((o) => (o.shipTo?.reveal().line1.length ?? 0) > 35);
  const paperPair = count((o) => skus(o).includes("DEMO-PAPER-CT") && skus(o).includes("DEMO-PAPER-2CT"));
  assert.ok(easyShip >= 10 && easyShip <= 40, `easy ship ${easyShip}`);
  assert.ok(unmapped >= 6 && unmapped <= 30, `unmapped ${unmapped}`);
  assert.ok(longStreet >= 8 && longStreet <= 40, `long street ${longStreet}`);
  assert.ok(paperPair >= 8, `paper pair ${paperPair}`);
  for (const level of ["STANDARD", "SECOND_DAY", "NEXT_DAY"])
    assert.ok(count((o) => o.facts.serviceLevel === level) > 0);
  for (const type of ["RESIDENTIAL", "COMMERCIAL"])
    assert.ok(count((o) => o.shipTo?.reveal().addressType === type) > 0);
  for (const order of orders) {
    assert.ok(order.facts.items.length >= 1 && order.facts.items.length <= 3);
    for (const item of order.facts.items) assert.match(item.orderItemId, /^\d{14}$/);
    assert.is(order.facts.status, "UNSHIPPED");
    assert.ok((order.facts.latestDeliveryDate ?? "") > order.facts.purchaseDate);
  }
});

test("after a long pause only the 20 most recent orders are delivered", async ({ root, clock }) => {
  const marketplace = new SampleMarketplace(aConfig(root), clock);
  const cursor = (await poll(marketplace)).at(-1)?.cursor;
  clock.advance(1000 * INTERVAL * 1000);
  const pages = await poll(marketplace, cursor);
  const now = marketplace.currentIndex();
  assert.is(pages.flatMap((p) => p.orders).length, MAX_CATCH_UP);
  assert.is(pages.at(-1)?.cursor, String(now));
  assert.is(pages[0]?.orders[0]?.facts.orderId, marketplace.orderAt(now - MAX_CATCH_UP + 1).facts.orderId);
});

test("a poll with nothing new yields one empty page with the cursor unchanged", async ({ root, clock }) => {
  const marketplace = new SampleMarketplace(aConfig(root), clock);
  const cursor = String(marketplace.currentIndex());
  assert.equal(await poll(marketplace, cursor), [{ orders: [], cursor }]);
});

test("order ids are 3-7-7 and lead back to their order only under their seed", () => {
  for (const n of [...range(300), 56_800_000, 9_999_999_999]) {
    const id = sampleOrderId(7, n);
    assert.ok(isAmazonOrderId(id), id);
    assert.is(sampleOrderIndex(7, id), n);
    assert.is(sampleOrderIndex(8, id), undefined);
  }
  assert.is(sampleOrderIndex(7, "113-0000000-0000000"), undefined);
  assert.is(sampleOrderIndex(7, "not-an-order"), undefined);
});

test("a confirmation for an order not created yet is rejected", async ({ root, clock }) => {
  const marketplace = new SampleMarketplace(aConfig(root), clock);
  const future = marketplace.orderAt(marketplace.currentIndex() + 5);
  const item = future.facts.items[0];
  assert.ok(item);
  const outcome = await marketplace.confirmShipment(future.facts.orderId, {
    packageReferenceId: "1",
    carrierCode: "UPS",
    trackingNumber: "1Z999AA10123456784",
    shipDate: "2026-12-05T15:00:00Z",
    items: [{ orderItemId: item.orderItemId, quantity: 1 }],
  });
  assert.is(outcome.kind, "rejected");
});

test("confirmations are kept 0600 in a 0700 folder without ship-to data", async ({ root, clock }) => {
  const config = aConfig(root);
  const marketplace = new SampleMarketplace(config, clock);
  const order = marketplace.orderAt(marketplace.currentIndex());
  const item = order.facts.items[0];
  assert.ok(item);
  const outcome = await marketplace.confirmShipment(order.facts.orderId, {
    packageReferenceId: "1",
    carrierCode: "Other",
    carrierName: "Ontrac",
    trackingNumber: "C11223344556677",
    shipDate: "2026-12-05T15:00:00Z",
    items: [{ orderItemId: item.orderItemId, quantity: item.quantityOrdered }],
  });
  assert.equal(outcome, { kind: "confirmed" });
  const dir = path.join(config.storage.dataDir, "sample-marketplace");
  const file = path.join(dir, "confirmations.jsonl");
  assert.is(fs.statSync(dir).mode & 0o777, 0o700);
  assert.is(fs.statSync(file).mode & 0o777, 0o600);
  const text = fs.readFileSync(file, "utf8");
  const shipTo = order.shipTo?.reveal();
  assert.ok(shipTo);
  for (const value of [shipTo.name, shipTo.line1, shipTo.city]) assert.not.ok(text.includes(value));
  assert.is(marketplace.confirmations()[0]?.carrierName, "Ontrac");
});

test.run();
