import * as fs from "node:fs";
import * as path from "node:path";
import { inject, injectable } from "inversify";
import type { Config } from "../../app/config/config.js";
import { AppConfig } from "../../app/config/config.token.js";
import { IntegrationError } from "../../app/errors.js";
import { Clock } from "../../app/ports/clock.port.js";
import type {
  ConfirmOutcome,
  Marketplace,
  OrderPage,
  ShipmentConfirmation,
} from "../../app/ports/marketplace.port.js";
import type { AmazonOrder } from "../../domain/amazon-order.js";
import { confirmationProblem, latestPerPackage, type RecordedConfirmation } from "./confirmation-rules.js";
import { sampleOrder, sampleOrderIndex } from "./sample-orders.js";

/** After a long pause only the newest orders are delivered, so the demo does not flood. */
export const MAX_CATCH_UP = 20;
const PAGE_SIZE = 100;

/**
 * A stand-in for Amazon: order n appears at n × intervalSeconds after the epoch and is the same in
 * every process. The cursor is the index of the last order delivered. Confirmations are recorded
 * (order ids, tracking, items; no PII) in `<dataDir>/sample-marketplace/confirmations.jsonl`.
 */
@injectable()
export class SampleMarketplace implements Marketplace {
  private readonly file: string;

  constructor(
    @inject(AppConfig) private readonly config: Config,
    @inject(Clock) private readonly clock: Clock,
  ) {
    this.file = path.join(config.storage.dataDir, "sample-marketplace", "confirmations.jsonl");
  }

  /** Index of the newest order created up to the clock's now (negative before the first). */
  currentIndex(): number {
    return Math.floor(this.clock.now().getTime() / (this.config.amazon.sample.intervalSeconds * 1000));
  }

  orderAt(n: number): AmazonOrder {
    const { seed, intervalSeconds } = this.config.amazon.sample;
    return sampleOrder(n, { seed, intervalSeconds, marketplaceId: this.config.amazon.marketplaceId });
  }

  async *changedOrders(cursor: string | undefined): AsyncIterable<OrderPage> {
    const now = this.currentIndex();
    const first =
      cursor === undefined
        ? now - this.config.amazon.sample.firstPollOrders + 1
        : Math.max(parseCursor(cursor) + 1, now - MAX_CATCH_UP + 1);
    const start = Math.max(first, 0);
    if (start > now) {
      yield { orders: [], cursor: cursor ?? String(now) };
      return;
    }
    for (let from = start; from <= now; from += PAGE_SIZE) {
      const to = Math.min(from + PAGE_SIZE - 1, now);
      const orders: AmazonOrder[] = [];
      for (let n = from; n <= to; n++) orders.push(this.orderAt(n));
      yield { orders, cursor: String(to) };
    }
  }

  async confirmShipment(orderId: string, confirmation: ShipmentConfirmation): Promise<ConfirmOutcome> {
    const n = sampleOrderIndex(this.config.amazon.sample.seed, orderId);
    if (n === undefined || n > this.currentIndex())
      return invalid("the order id is not an order of this seller");
    const problem = confirmationProblem(
      confirmation,
      new Set(this.orderAt(n).facts.items.map((i) => i.orderItemId)),
    );
    if (problem) return invalid(problem);
    this.append({ orderId, ...pickConfirmation(confirmation) });
    return { kind: "confirmed" };
  }

  /** What was confirmed, read back from the file; a re-sent package replaces its earlier record. */
  confirmations(): RecordedConfirmation[] {
    if (!fs.existsSync(this.file)) return [];
    const records: RecordedConfirmation[] = [];
    for (const line of fs.readFileSync(this.file, "utf8").split("\n")) {
      const record = parseRecord(line);
      if (record) records.push(record);
    }
    return latestPerPackage(records);
  }

  private append(record: RecordedConfirmation): void {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      fs.appendFileSync(this.file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "EIO";
      throw new IntegrationError(
        "SAMPLE_MARKETPLACE_WRITE",
        `cannot record the confirmation (${code})`,
        true,
      );
    }
  }
}

function invalid(message: string): ConfirmOutcome {
  return { kind: "rejected", code: "InvalidInput", message };
}

function parseCursor(cursor: string): number {
  const n = Number(cursor);
  if (!/^-?\d+$/.test(cursor) || !Number.isSafeInteger(n)) {
    throw new IntegrationError(
      "SAMPLE_MARKETPLACE_CURSOR",
      "the stored cursor is not a sample marketplace cursor",
      false,
    );
  }
  return n;
}

/** Only the fields Amazon receives, whatever else the caller's object carries. */
function pickConfirmation(c: ShipmentConfirmation): ShipmentConfirmation {
  return {
    packageReferenceId: c.packageReferenceId,
    carrierCode: c.carrierCode,
    ...(c.carrierName ? { carrierName: c.carrierName } : {}),
    ...(c.shippingMethod ? { shippingMethod: c.shippingMethod } : {}),
    trackingNumber: c.trackingNumber,
    shipDate: c.shipDate,
    items: c.items.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantity })),
  };
}

function parseRecord(line: string): RecordedConfirmation | undefined {
  if (!line.trim()) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    const r = value as Partial<RecordedConfirmation> | null;
    // A line cut short by a crash is skipped; the file is only ever written by this class.
    return typeof r?.orderId === "string" &&
      typeof r.packageReferenceId === "string" &&
      Array.isArray(r.items)
      ? (r as RecordedConfirmation)
      : undefined;
  } catch {
    return undefined;
  }
}
