import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readSearchOrdersPage, rejection } from "../../../src/adapters/sp-api/search-orders.page.js";
import { SpApiError } from "../../../src/adapters/sp-api/spapi-errors.js";
import { MalformedOrder, toAmazonOrder } from "../../../src/adapters/sp-api/v2026-order.mapping.js";
import { REDACTED_SHIP_TO } from "../../../src/domain/ship-to.js";

const PHONE = "+1 570-555-0143";

/** An Orders API v2026-01-01 order as searchOrders returns it with RECIPIENT and FULFILLMENT. */
function anOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    orderId: "114-5300001-0007919",
    createdTime: "2026-12-04T07:00:00Z",
    lastUpdatedTime: "2026-12-04T09:00:00Z",
    programs: ["PRIME"],
    salesChannel: { channelName: "AMAZON", marketplaceId: "ATVPDKIKX0DER", marketplaceName: "Amazon.com" },
    recipient: {
      deliveryAddress: {
        name: "Ingrid Vasquez-Holloway",
        companyName: "Holloway Dental",
        addressLine1: "2290 Thornbury Crossing Dr",
        addressLine2: "Suite 4",
        city: "Scranton",
        stateOrRegion: "PA",
        postalCode: "18505-3317",
        countryCode: "US",
        phone: PHONE,
        addressType: "COMMERCIAL",
        extendedFields: { streetName: "Thornbury Crossing Dr", streetNumber: "2290" },
      },
    },
    fulfillment: {
      fulfillmentStatus: "UNSHIPPED",
      fulfilledBy: "MERCHANT",
      fulfillmentServiceLevel: "SECOND_DAY",
      shipByWindow: { earliestDateTime: "2026-12-04T07:00:00Z", latestDateTime: "2026-12-06T07:59:59Z" },
      deliverByWindow: { earliestDateTime: "2026-12-08T08:00:00Z", latestDateTime: "2026-12-10T07:59:59Z" },
    },
    orderItems: [
      {
        orderItemId: "70433918500001",
        quantityOrdered: 2,
        product: {
          asin: "B00006IFHD",
          title: "Copy Paper",
          sellerSku: "DEMO-PAPER-CT",
          price: { unitPrice: { amount: "52.99", currencyCode: "USD" } },
        },
        fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: 2 },
      },
    ],
    ...overrides,
  };
}

function malformedPath(raw: unknown): string {
  try {
    toAmazonOrder(raw, "ATVPDKIKX0DER");
  } catch (error) {
    assert.instance(error, MalformedOrder);
    return (error as MalformedOrder).path;
  }
  throw new Error("expected a malformed order");
}

const test = suite("sp-api v2026-01-01 order mapping");

test("the facts come from fulfillment, the items from orderItems with per-unit prices", () => {
  const { facts } = toAmazonOrder(anOrder(), "ATVPDKIKX0DER");
  assert.equal(facts, {
    orderId: "114-5300001-0007919",
    marketplaceId: "ATVPDKIKX0DER",
    purchaseDate: "2026-12-04T07:00:00Z",
    lastUpdatedTime: "2026-12-04T09:00:00Z",
    status: "UNSHIPPED",
    fulfilledBy: "MERCHANT",
    serviceLevel: "SECOND_DAY",
    programs: ["PRIME"],
    latestShipDate: "2026-12-06T07:59:59Z",
    latestDeliveryDate: "2026-12-10T07:59:59Z",
    items: [
      {
        orderItemId: "70433918500001",
        sellerSku: "DEMO-PAPER-CT",
        asin: "B00006IFHD",
        quantityOrdered: 2,
        unitPrice: "52.99",
      },
    ],
  });
});

test("the ship-to keeps the address and drops the phone and extendedFields (data minimisation)", () => {
  const order = toAmazonOrder(anOrder(), "ATVPDKIKX0DER");
  const fields = order.shipTo?.reveal();
  assert.equal(fields, {
    name: "Ingrid Vasquez-Holloway",
    company: "Holloway Dental",
    line1: "2290 Thornbury Crossing Dr",
    line2: "Suite 4",
    city: "Scranton",
    stateOrRegion: "PA",
    postalCode: "18505-3317",
    countryCode: "US",
    addressType: "COMMERCIAL",
  });
  assert.not.ok(JSON.stringify(fields).includes("555-0143"));
  assert.not.ok(JSON.stringify(fields).includes("streetName"));
});

test("the order's JSON form shows the ship-to redacted", () => {
  const json = JSON.stringify(toAmazonOrder(anOrder(), "ATVPDKIKX0DER"));
  assert.ok(json.includes(REDACTED_SHIP_TO));
  for (const pii of ["Ingrid", "Thornbury", "18505", "555-0143", "Holloway"])
    assert.not.ok(json.includes(pii), pii);
});

test("PENDING orders without a recipient and CANCELLED orders are passed on for the domain to judge", () => {
  const pending = toAmazonOrder(
    anOrder({
      recipient: undefined,
      fulfillment: { fulfillmentStatus: "PENDING", fulfilledBy: "MERCHANT" },
    }),
    "ATVPDKIKX0DER",
  );
  assert.is(pending.facts.status, "PENDING");
  assert.is(pending.shipTo, undefined);
  assert.is(pending.facts.latestShipDate, undefined);
  const cancelled = toAmazonOrder(
    anOrder({ fulfillment: { fulfillmentStatus: "CANCELLED", fulfilledBy: "MERCHANT" } }),
    "ATVPDKIKX0DER",
  );
  assert.is(cancelled.facts.status, "CANCELLED");
});

test("missing address parts become empty, so the domain holds the order as ADDRESS_INVALID", () => {
  const order = toAmazonOrder(
    anOrder({ recipient: { deliveryAddress: { city: "Scranton", countryCode: "US", postalCode: "18505" } } }),
    "ATVPDKIKX0DER",
  );
  const fields = order.shipTo?.reveal();
  assert.is(fields?.name, "");
  assert.is(fields?.line1, "");
  assert.is(fields?.city, "Scranton");
  assert.is(fields?.addressType, undefined);
});

test("absent optional facts get safe values: MERCHANT (the query's filter), UNSPECIFIED level, the configured marketplace", () => {
  const { facts } = toAmazonOrder(
    anOrder({ salesChannel: {}, programs: undefined, fulfillment: { fulfillmentStatus: "UNSHIPPED" } }),
    "A2EUQ1WTGCTBG2",
  );
  assert.is(facts.fulfilledBy, "MERCHANT");
  assert.is(facts.serviceLevel, "UNSPECIFIED");
  assert.is(facts.marketplaceId, "A2EUQ1WTGCTBG2");
  assert.equal(facts.programs, []);
});

test("a malformed order names the field path, never the value", () => {
  const noSku = anOrder({ orderItems: [{ orderItemId: "1", quantityOrdered: 1, product: { asin: "B0" } }] });
  assert.is(malformedPath(noSku), "orderItems[0].product.sellerSku");
  assert.is(
    malformedPath(
      anOrder({ orderItems: [{ orderItemId: "1", quantityOrdered: "2", product: { sellerSku: "S" } }] }),
    ),
    "orderItems[0].quantityOrdered",
  );
  assert.is(malformedPath(anOrder({ orderItems: [] })), "orderItems");
  assert.is(
    malformedPath(anOrder({ fulfillment: { fulfillmentStatus: "LOST" } })),
    "fulfillment.fulfillmentStatus",
  );
  assert.is(malformedPath(anOrder({ fulfillment: undefined })), "fulfillment");
  assert.is(malformedPath(anOrder({ orderId: 42 })), "orderId");
  assert.is(malformedPath(anOrder({ programs: ["PRIME", 7] })), "programs[1]");
  const badAddress = anOrder({ recipient: { deliveryAddress: { name: { first: "Ingrid" } } } });
  assert.is(malformedPath(badAddress), "recipient.deliveryAddress.name");
  try {
    toAmazonOrder(badAddress, "ATVPDKIKX0DER");
  } catch (error) {
    assert.not.ok((error as Error).message.includes("Ingrid"));
  }
  assert.is(malformedPath("not an order"), "");
});

test.run();

const page = suite("sp-api searchOrders answer");

page("the envelope gives the orders, the next page's token and lastUpdatedBefore", () => {
  assert.equal(
    readSearchOrdersPage(
      { orders: [1, 2], pagination: { nextToken: "abc" }, lastUpdatedBefore: "2026-12-04T10:00:00Z" },
      undefined,
    ),
    { orders: [1, 2], nextToken: "abc", lastUpdatedBefore: "2026-12-04T10:00:00Z" },
  );
  assert.equal(readSearchOrdersPage({ orders: [] }, undefined), { orders: [] });
});

page("an envelope without an orders list is a retryable bad response naming the field", () => {
  for (const body of [undefined, [], { orders: {} }, { orders: [], pagination: { nextToken: 5 } }]) {
    try {
      readSearchOrdersPage(body, "req-1");
      assert.unreachable();
    } catch (error) {
      assert.instance(error, SpApiError);
      assert.is((error as SpApiError).code, "SPAPI_BAD_RESPONSE");
      assert.ok((error as SpApiError).retryable);
    }
  }
});

page("a rejection keeps Amazon's code and message, without control characters", () => {
  assert.equal(rejection({ errors: [{ code: "Invalid Input", message: "Invalid\nInput" }] }, 400), {
    code: "Invalid Input",
    message: "Invalid Input",
  });
  assert.equal(rejection(undefined, 404), {
    code: "HTTP_404",
    message: "Amazon refused the request with HTTP 404",
  });
});

page.run();
