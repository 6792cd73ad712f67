import type { IncomingHttpHeaders } from "node:http";
import type { DeepPartial } from "./deep-merge.js";
import type { FaultQueue, SpApiFault } from "./faults.js";
import type { LwaAuthority } from "./lwa.js";
import type { ConfirmationRecord, OrderBook } from "./order-book.js";
import type { SpApiOrder } from "./orders.js";
import { isoTime } from "./search-orders.js";
import type { SpApiOperation } from "./token-buckets.js";

/** One request the fake routed to an operation. */
export interface RecordedRequest {
  /** The x-amzn-RequestId the fake answered with. */
  readonly requestId: string;
  readonly operation: SpApiOperation;
  readonly host: string;
  readonly method: string;
  readonly path: string;
  /** Decoded query parameters (a repeated key keeps its last value). */
  readonly query: Readonly<Record<string, string>>;
  /** The query string exactly as sent, without "?". */
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The fake's clock at arrival. */
  readonly at: string;
  /** The armed fault this request met, if any. */
  fault?: SpApiFault;
  /** The HTTP status answered; undefined after a connection reset or during a hang. */
  status?: number;
}

export interface OperationCounter {
  /** Every request routed to the operation, faults included. */
  requests: number;
  /** 429 answers, from the bucket or an armed fault. */
  throttled: number;
  /** Requests answered by an armed fault. */
  faults: number;
}

/** What a test reads and steers while the fake runs. */
export class SpApiFakeState {
  readonly requests: RecordedRequest[] = [];
  /** Unexpected exceptions inside the fake (answered with 500); a test of the fake expects none. */
  readonly fakeErrors: Error[] = [];
  private readonly counters = new Map<SpApiOperation, OperationCounter>();

  constructor(
    private readonly book: OrderBook,
    private readonly lwa: LwaAuthority,
    private readonly faults: FaultQueue,
    private readonly nowMs: () => number,
  ) {}

  /** The fake's clock, as its handlers see it. */
  now(): Date {
    return new Date(this.nowMs());
  }

  addOrder(order: SpApiOrder): void {
    this.book.add(order);
  }

  addOrders(orders: readonly SpApiOrder[]): void {
    for (const order of orders) this.book.add(order);
  }

  /** Deep-merges `changes` (arrays replaced); lastUpdatedTime becomes the fake's now unless given. */
  updateOrder(orderId: string, changes: DeepPartial<SpApiOrder>): SpApiOrder {
    return this.book.update(orderId, changes, isoTime(this.nowMs()));
  }

  order(orderId: string): SpApiOrder | undefined {
    return this.book.get(orderId);
  }

  orders(): SpApiOrder[] {
    return this.book.all();
  }

  /** Accepted confirmShipment packages (the latest version of each), of one order or all. */
  confirmations(orderId?: string): ConfirmationRecord[] {
    return this.book.confirmationsOf(orderId);
  }

  /** Arms `fault` for the next `times` requests of `operation` (queued after faults already armed). */
  injectFault(operation: SpApiOperation, fault: SpApiFault, times = 1): void {
    this.faults.arm(operation, fault, times);
  }

  pendingFaults(operation: SpApiOperation): number {
    return this.faults.pending(operation);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  counter(operation: SpApiOperation): OperationCounter {
    return { ...(this.counters.get(operation) ?? { requests: 0, throttled: 0, faults: 0 }) };
  }

  /** Login with Amazon token requests received (faulted ones included). */
  get tokenRequests(): number {
    return this.counter("lwaToken").requests;
  }

  /** Access tokens issued, oldest first. */
  issuedTokens(): string[] {
    return this.lwa.issued();
  }

  /** Every token issued so far is expired from now on: API calls get the 403 "expired". */
  expireAccessTokens(): void {
    this.lwa.expireAll();
  }

  /** Every token issued so far is revoked: API calls get the 403 "revoked, malformed or invalid". */
  revokeAccessTokens(): void {
    this.lwa.revokeAll();
  }

  requestsOf(operation: SpApiOperation): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  /** @internal the server's bookkeeping. */
  count(operation: SpApiOperation, field: keyof OperationCounter): void {
    const c = this.counters.get(operation) ?? { requests: 0, throttled: 0, faults: 0 };
    c[field] += 1;
    this.counters.set(operation, c);
  }
}
