import {
  confirmationProblem,
  latestPerPackage,
  type RecordedConfirmation,
} from "../../../src/adapters/sample/confirmation-rules.js";
import type {
  ConfirmOutcome,
  Marketplace,
  OrderPage,
  ShipmentConfirmation,
} from "../../../src/app/ports/marketplace.port.js";
import type { AmazonOrder, AmazonOrderStatus } from "../../../src/domain/amazon-order.js";
import { utcSeconds } from "../../../src/domain/time.js";

interface Entry {
  readonly order: AmazonOrder;
  /** Sequence number of the order's latest change: the cursor counts changes. */
  readonly seq: number;
}

/** Amazon in memory: orders the test adds or changes, paged by a change counter; confirmations kept. */
export class FakeMarketplace implements Marketplace {
  private readonly entries = new Map<string, Entry>();
  private readonly recorded: RecordedConfirmation[] = [];
  private seq = 0;
  private failure: Error | undefined;
  private pageFailure: { after: number; error: Error } | undefined;
  private rejection: { code: string; message: string } | undefined;

  constructor(private readonly pageSize = 100) {}

  add(order: AmazonOrder): void {
    this.entries.set(order.facts.orderId, { order, seq: ++this.seq });
  }

  /** A status change on Amazon's side; lastUpdatedTime moves one minute on. */
  change(orderId: string, status: AmazonOrderStatus): void {
    const entry = this.entries.get(orderId);
    if (!entry) throw new Error(`FakeMarketplace has no order ${orderId}`);
    const lastUpdatedTime = utcSeconds(new Date(Date.parse(entry.order.facts.lastUpdatedTime) + 60_000));
    const order = { ...entry.order, facts: { ...entry.order.facts, status, lastUpdatedTime } };
    this.entries.set(orderId, { order, seq: ++this.seq });
  }

  /** The next call (poll or confirmation) throws this. */
  failNext(error: Error): void {
    this.failure = error;
  }

  /** The next poll delivers `pages` pages, then throws: a connection lost in the middle of paging. */
  failAfterPages(pages: number, error: Error): void {
    this.pageFailure = { after: pages, error };
  }

  /** The next confirmation is refused as Amazon refuses one (HTTP 400). */
  rejectNext(code: string, message: string): void {
    this.rejection = { code, message };
  }

  confirmations(): RecordedConfirmation[] {
    return latestPerPackage(this.recorded);
  }

  async *changedOrders(cursor: string | undefined): AsyncIterable<OrderPage> {
    this.throwIfFailing();
    const after = cursor === undefined ? 0 : Number(cursor);
    const changed = [...this.entries.values()].filter((e) => e.seq > after).sort((a, b) => a.seq - b.seq);
    if (changed.length === 0) {
      yield { orders: [], cursor: cursor ?? "0" };
      return;
    }
    const pageFailure = this.pageFailure;
    this.pageFailure = undefined;
    for (let i = 0; i < changed.length; i += this.pageSize) {
      if (pageFailure && i / this.pageSize >= pageFailure.after) throw pageFailure.error;
      const page = changed.slice(i, i + this.pageSize);
      yield { orders: page.map((e) => e.order), cursor: String(page[page.length - 1]?.seq) };
    }
  }

  async confirmShipment(orderId: string, confirmation: ShipmentConfirmation): Promise<ConfirmOutcome> {
    this.throwIfFailing();
    const rejection = this.rejection;
    this.rejection = undefined;
    if (rejection) return { kind: "rejected", ...rejection };
    const entry = this.entries.get(orderId);
    const problem = entry
      ? confirmationProblem(confirmation, new Set(entry.order.facts.items.map((i) => i.orderItemId)))
      : "the order id is not an order of this seller";
    if (problem) return { kind: "rejected", code: "InvalidInput", message: problem };
    this.recorded.push({ orderId, ...structuredClone(confirmation) });
    return { kind: "confirmed" };
  }

  private throwIfFailing(): void {
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
  }
}
