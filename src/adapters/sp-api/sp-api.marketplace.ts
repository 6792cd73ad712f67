import { readFileSync } from "node:fs";
import { inject, injectable, optional } from "inversify";
import { Runtime } from "../../app/composition/runtime.js";
import type { Config } from "../../app/config/config.js";
import { AppConfig } from "../../app/config/config.token.js";
import { IntegrationError } from "../../app/errors.js";
import { Clock } from "../../app/ports/clock.port.js";
import { EventLog } from "../../app/ports/event-log.port.js";
import type {
  ConfirmOutcome,
  Marketplace,
  OrderPage,
  ShipmentConfirmation,
} from "../../app/ports/marketplace.port.js";
import { OrderStore } from "../../app/ports/order-store.port.js";
import type { AmazonOrder } from "../../domain/amazon-order.js";
import { AmazonSpApiTransport, type SpApiTransport } from "./amazon-sp-api.transport.js";
import { LwaTokenSource, lwaFetch } from "./lwa.token-source.js";
import { amazonInstant, CURSOR_OVERLAP_MS, cursorInstant } from "./order-cursor.js";
import { readSearchOrdersPage, rejection } from "./search-orders.page.js";
import { SpApiClient } from "./spapi.client.js";
import { credentialsFrom } from "./spapi-credentials.js";
import { SpApiError, safeToken } from "./spapi-errors.js";
import { realTiming, SpApiTiming } from "./spapi-timing.js";
import { refuseInsecureTls, spApiAgent } from "./spapi-tls.js";
import { StoreTokenBucket } from "./store.token-bucket.js";
import { MalformedOrder, orderIdOf, toAmazonOrder } from "./v2026-order.mapping.js";

const PAGE_SIZE = 100;
/** Amazon's answers say which instant they cover; without one we assume Amazon's 2-minute lag. */
const AMAZON_LAG_MS = 2 * 60_000;

/**
 * Amazon's Selling Partner API: orders from Orders API v2026-01-01 `searchOrders` (no RDT, only
 * RECIPIENT and FULFILLMENT data), shipment confirmations through v0 `confirmShipment`. Secrets
 * come from the environment (SPAPI_CLIENT_ID, SPAPI_CLIENT_SECRET, SPAPI_REFRESH_TOKEN); the
 * client is built on first use, so a missing secret fails the Amazon steps, not the others.
 */
@injectable()
export class SpApiMarketplace implements Marketplace {
  readonly #timing: SpApiTiming;
  #client: SpApiClient | undefined;
  #tokens: LwaTokenSource | undefined;

  constructor(
    @inject(AppConfig) private readonly config: Config,
    @inject(Runtime) private readonly runtime: Runtime,
    @inject(OrderStore) private readonly store: OrderStore,
    @inject(Clock) private readonly clock: Clock,
    @inject(EventLog) private readonly log: EventLog,
    @inject(SpApiTiming) @optional() timing?: SpApiTiming,
  ) {
    this.#timing = timing ?? realTiming;
  }

  /** Token requests made so far (tests assert single flight and refresh counts). */
  get tokenFetches(): number {
    return this.#tokens?.fetches ?? 0;
  }

  /**
   * Orders changed since the cursor, 100 a page. Only the last page moves the cursor on (to Amazon's
   * `lastUpdatedBefore`); earlier pages carry the poll's starting cursor, so a crash mid-way
   * re-reads the window instead of skipping the rest of it. Duplicates are harmless to intake.
   */
  async *changedOrders(cursor: string | undefined): AsyncIterable<OrderPage> {
    const client = this.#connect();
    const start = this.#windowStart(cursor);
    const startCursor = amazonInstant(start);
    const query = {
      lastUpdatedAfter: amazonInstant(start - CURSOR_OVERLAP_MS),
      fulfilledBy: ["MERCHANT"],
      // Data minimisation: the address and fulfilment facts, never BUYER (name, e-mail).
      includedData: ["RECIPIENT", "FULFILLMENT"],
      maxResultsPerPage: PAGE_SIZE,
    };
    const fallbackEnd = Math.max(start, this.clock.now().getTime() - AMAZON_LAG_MS);
    let paginationToken: string | undefined;
    let lastUpdatedBefore: string | undefined;
    for (;;) {
      const answer = await client.call({
        operation: "searchOrders",
        query: paginationToken ? { ...query, paginationToken } : query,
      });
      if (answer.status >= 300)
        throw this.#refused("searchOrders", answer.status, answer.json, answer.requestId);
      const page = readSearchOrdersPage(answer.json, answer.requestId);
      if (page.lastUpdatedBefore !== undefined && cursorInstant(page.lastUpdatedBefore) !== undefined)
        lastUpdatedBefore = page.lastUpdatedBefore;
      const orders = this.#mapPage(page.orders);
      paginationToken = page.nextToken;
      if (paginationToken) {
        yield { orders, cursor: startCursor };
        continue;
      }
      const end = lastUpdatedBefore ?? amazonInstant(fallbackEnd);
      yield { orders, cursor: (cursorInstant(end) ?? 0) >= start ? end : startCursor };
      return;
    }
  }

  async confirmShipment(orderId: string, confirmation: ShipmentConfirmation): Promise<ConfirmOutcome> {
    const client = this.#connect();
    const c = confirmation;
    const answer = await client.call({
      operation: "confirmShipment",
      path: { orderId },
      body: {
        marketplaceId: this.config.amazon.marketplaceId,
        packageDetail: {
          packageReferenceId: c.packageReferenceId,
          carrierCode: c.carrierCode,
          ...(c.carrierCode === "Other" && c.carrierName ? { carrierName: c.carrierName } : {}),
          ...(c.shippingMethod ? { shippingMethod: c.shippingMethod } : {}),
          trackingNumber: c.trackingNumber,
          shipDate: c.shipDate,
          orderItems: c.items.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantity })),
        },
      },
    });
    if (answer.status < 300) return { kind: "confirmed" };
    return { kind: "rejected", ...rejection(answer.json, answer.status) };
  }

  /** Where this poll starts: the stored cursor, or `firstPollHours` ago on the very first poll. */
  #windowStart(cursor: string | undefined): number {
    if (cursor !== undefined) {
      const at = cursorInstant(cursor);
      if (at !== undefined) return at;
      this.log.warn("spapi.cursor-ignored", {
        reason: "the stored order cursor is not an ISO 8601 instant; polling from amazon.firstPollHours ago",
      });
    }
    return this.clock.now().getTime() - this.config.amazon.firstPollHours * 3_600_000;
  }

  #mapPage(raw: readonly unknown[]): AmazonOrder[] {
    const orders: AmazonOrder[] = [];
    for (const item of raw) {
      try {
        orders.push(toAmazonOrder(item, this.config.amazon.marketplaceId));
      } catch (error) {
        if (!(error instanceof MalformedOrder)) throw error;
        const orderId = orderIdOf(item);
        this.log.warn("spapi.order-malformed", { ...(orderId ? { orderId } : {}), reason: error.path });
      }
    }
    return orders;
  }

  #refused(operation: string, status: number, json: unknown, requestId: string | undefined): SpApiError {
    const amazonCode = safeToken(rejection(json, status).code);
    return new SpApiError(
      "SPAPI_REQUEST_REJECTED",
      "Amazon refused the request's parameters",
      {
        operation,
        status,
        ...(requestId ? { requestId } : {}),
        ...(amazonCode ? { amazonCode } : {}),
      },
      false,
    );
  }

  /** The client, built on first use: TLS settings and secrets are checked here. */
  #connect(): SpApiClient {
    if (this.#client) return this.#client;
    const env = this.runtime.env ?? {};
    refuseInsecureTls(env);
    const credentials = credentialsFrom(env);
    const { amazon } = this.config;
    const agent = spApiAgent(
      amazon.loopback ? { port: amazon.loopback.port, ca: readCa(amazon.loopback.caFile) } : undefined,
    );
    const timeoutMs = amazon.requestTimeoutSeconds * 1000;
    const transport: SpApiTransport = new AmazonSpApiTransport({
      region: amazon.region,
      credentials,
      agent,
      timeoutMs,
    });
    this.#tokens = new LwaTokenSource(lwaFetch(credentials, agent, timeoutMs), this.#timing);
    this.#client = new SpApiClient({
      transport,
      tokens: this.#tokens,
      bucket: new StoreTokenBucket(this.store, amazon.rateLimits, this.#timing),
      timing: this.#timing,
      log: this.log,
      rateLimits: amazon.rateLimits,
      maxRetries: amazon.maxRetries,
      timeoutMs,
      host: `sellingpartnerapi-${amazon.region}.amazon.com`,
    });
    return this.#client;
  }
}

function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "EIO";
    throw new IntegrationError(
      "SPAPI_CA_UNREADABLE",
      `cannot read amazon.loopback.caFile ${file} (${code})`,
      false,
    );
  }
}
