import { inject, injectable } from "inversify";
import {
  cancellationPrepared,
  cancellationSent,
  needsCancellationRequest,
} from "../../domain/cancellation.js";
import type { FulfillmentOrder, HoldReason } from "../../domain/fulfillment-order.js";
import { moveTo, needsAttention } from "../../domain/fulfillment-order.js";
import type { OrderState } from "../../domain/lifecycle.js";
import {
  buildPurchaseOrder,
  cancellationFileName,
  type PurchaseOrder,
  type PurchaseOrderSettings,
} from "../../domain/purchase-order.js";
import type { SkuMap } from "../../domain/sku-map.js";
import { utcSeconds } from "../../domain/time.js";
import type { Config } from "../config/config.js";
import { AppConfig, SkuMapToken } from "../config/config.token.js";
import { IntegrationError } from "../errors.js";
import { AlertSink } from "../ports/alert-sink.port.js";
import { Clock } from "../ports/clock.port.js";
import { EventLog } from "../ports/event-log.port.js";
import { IdSource } from "../ports/id-source.port.js";
import { OrderStore, type OutboundDocument } from "../ports/order-store.port.js";
import { SupplierCodec } from "../ports/supplier-codec.port.js";
import { type SendOutcome, SupplierGateway } from "../ports/supplier-gateway.port.js";
import { CommitBatch, inBatches } from "./commit-batch.js";
import { describeFault, logFault, type StepReport, StepTally, sha256Hex } from "./step-report.js";
import { withSupplierSession } from "./supplier-session.js";

/**
 * A PO goes out only while its order waits in PO_READY (an order cancelled or set aside meanwhile keeps
 * it); a POCANCEL only until it is delivered.
 */
function sendable(doc: OutboundDocument, order: FulfillmentOrder | undefined): boolean {
  if (!order) return false;
  if (doc.documentType === "PO") return order.state === "PO_READY";
  return order.cancellation !== undefined && order.cancellation.sentAt === undefined;
}

/** A document Essendant's server took, waiting to be recorded as delivered. */
interface Delivery {
  readonly doc: OutboundDocument;
  readonly outcome: SendOutcome["kind"];
  readonly at: Date;
}

/** The states a PO is built from; a held order is tried again each pass. */
const PREPARED_FROM: readonly OrderState[] = ["NEW", "HELD"];

/** Holds that come from Amazon programs this flow cannot serve: they never clear by themselves. */
const PERMANENT_HOLDS: ReadonlySet<HoldReason> = new Set(["EASY_SHIP", "SHIP_PLUS", "IN_STORE_PICKUP"]);

/**
 * Turns eligible orders into purchase orders and delivers them. The PO's bytes are stored before any
 * network call and re-sent unchanged on retry, so a crash between upload and record never builds a
 * second, different PO (spec/essendant README, "Upload protocol").
 */
@injectable()
export class SubmitPurchaseOrders {
  private readonly settings: PurchaseOrderSettings;

  constructor(
    @inject(OrderStore) private readonly store: OrderStore,
    @inject(SupplierGateway) private readonly gateway: SupplierGateway,
    @inject(SupplierCodec) private readonly codec: SupplierCodec,
    @inject(SkuMapToken) private readonly skuMap: SkuMap,
    @inject(AppConfig) config: Config,
    @inject(Clock) private readonly clock: Clock,
    @inject(IdSource) private readonly ids: IdSource,
    @inject(EventLog) private readonly log: EventLog,
    @inject(AlertSink) private readonly alerts: AlertSink,
  ) {
    const e = config.essendant;
    this.settings = {
      accountNumber: e.accountNumber,
      shipMethods: e.shipMethods,
      backorderPolicy: e.backorderPolicy,
      facilitySplit: e.facilitySplit,
      ...(e.shipFromLabel ? { shipFromLabel: e.shipFromLabel } : {}),
    };
  }

  async execute(): Promise<StepReport> {
    const tally = new StepTally("submit");
    const purchaseOrders = this.prepareEach(
      this.store.inStates(PREPARED_FROM),
      (order) =>
        PREPARED_FROM.includes(order.state) && !(order.holdReason && PERMANENT_HOLDS.has(order.holdReason)),
      (order) => this.prepare(order, tally),
    );
    const cancellations = this.prepareEach(
      this.store.inStates(["NEEDS_ATTENTION"]),
      needsCancellationRequest,
      (order) => this.prepareCancellation(order, tally),
    );
    await this.deliver([...purchaseOrders, ...cancellations], tally);
    return tally.report();
  }

  /**
   * Runs `build` on each of `listed` that `eligible` still accepts, in a transaction per BATCH:
   * building documents touches no network, each commit waits for an fsync, and one transaction for
   * every order would hold the write lock for seconds. Each order is read again in its transaction,
   * since another process may have moved it since it was listed. Returns the documents stored.
   */
  private prepareEach(
    listed: readonly FulfillmentOrder[],
    eligible: (order: FulfillmentOrder) => boolean,
    build: (order: FulfillmentOrder) => OutboundDocument | undefined,
  ): OutboundDocument[] {
    const stored: OutboundDocument[] = [];
    for (const batch of inBatches(listed.filter(eligible).map((order) => order.facts.orderId))) {
      const saved = this.store.transaction(() =>
        batch.flatMap((orderId) => {
          const order = this.store.get(orderId);
          return order && eligible(order) ? (build(order) ?? []) : [];
        }),
      );
      stored.push(...saved);
    }
    return stored;
  }

  /**
   * Builds and stores the PO, or records why the order is held. Re-run every pass for held orders.
   * Runs in its batch's transaction (see prepareEach), which also makes the PO's bytes and the
   * order's move land together. Returns the document stored, if any.
   */
  private prepare(order: FulfillmentOrder, tally: StepTally): OutboundDocument | undefined {
    const now = this.clock.now();
    const orderId = order.facts.orderId;
    const lookup = this.store.getShipTo(orderId);
    const shipTo = lookup.kind === "held" ? lookup.shipTo.reveal() : undefined;
    const result = buildPurchaseOrder(order.facts, shipTo, this.skuMap, this.settings);
    if (!result.ok) {
      if (order.state === "HELD" && order.holdReason === result.reason && order.holdDetail === result.detail)
        return undefined;
      const held = moveTo(order, "HELD", now, "HELD", { reason: result.reason });
      this.store.update({
        ...held,
        holdReason: result.reason,
        ...(result.detail ? { holdDetail: result.detail } : {}),
      });
      tally.add("held");
      this.log.info("order.held", { orderId, reason: result.reason });
      return undefined;
    }
    const documentId = this.ids.uuid();
    const bytes = this.encode(result.purchaseOrder, documentId, order, now, tally);
    if (!bytes) return undefined;
    const sha256 = sha256Hex(bytes);
    const ready = moveTo(order, "PO_READY", now, "PO_READY");
    const { holdReason: _r, holdDetail: _d, ...unheld } = ready;
    const doc: OutboundDocument = {
      orderId,
      fileName: result.fileName,
      documentType: "PO",
      bytes,
      sha256,
      createdAt: now.toISOString(),
    };
    this.store.saveOutbound(doc);
    this.store.update({
      ...unheld,
      purchaseOrder: {
        poNumber: result.purchaseOrder.poNumber,
        fileName: result.fileName,
        documentId,
        sha256,
        createdAt: now.toISOString(),
        lines: result.lines,
      },
    });
    tally.add("prepared");
    return doc;
  }

  /**
   * The POCANCEL for an order Amazon cancelled after its PO left: the same purchase order with action
   * CANCEL, under its own deterministic name, stored before it is sent like every outbound document.
   */
  private prepareCancellation(order: FulfillmentOrder, tally: StepTally): OutboundDocument | undefined {
    const now = this.clock.now();
    const orderId = order.facts.orderId;
    const lookup = this.store.getShipTo(orderId);
    const built = buildPurchaseOrder(
      order.facts,
      lookup.kind === "held" ? lookup.shipTo.reveal() : undefined,
      this.skuMap,
      this.settings,
    );
    if (!built.ok) {
      tally.problem({
        code: "POCANCEL_NOT_BUILT",
        message: `the cancellation request cannot be built (${built.reason})`,
        orderId,
      });
      this.alerts.raise({
        code: "POCANCEL_NOT_BUILT",
        severity: "critical",
        orderId,
        message: `the cancellation request could not be built (${built.reason}); ask Essendant by phone or e-mail to cancel this PO`,
      });
      return undefined;
    }
    const bytes = this.encode(
      { ...built.purchaseOrder, action: "CANCEL" },
      this.ids.uuid(),
      order,
      now,
      tally,
    );
    if (!bytes) return undefined;
    const fileName = cancellationFileName(this.settings.accountNumber, order.facts.orderId);
    const doc: OutboundDocument = {
      orderId,
      fileName,
      documentType: "POCANCEL",
      bytes,
      sha256: sha256Hex(bytes),
      createdAt: now.toISOString(),
    };
    this.store.saveOutbound(doc);
    this.store.update(cancellationPrepared(order, fileName, now));
    tally.add("cancellationsPrepared");
    return doc;
  }

  /** The document's bytes, or undefined when the interface refuses it (a defect: the order then needs attention). */
  private encode(
    po: PurchaseOrder,
    documentId: string,
    order: FulfillmentOrder,
    now: Date,
    tally: StepTally,
  ): Uint8Array | undefined {
    const orderId = order.facts.orderId;
    try {
      return this.codec.encodePurchaseOrder(po, { documentId, createdAt: utcSeconds(now) });
    } catch (error) {
      // Reported without the document's content: the field path only.
      const fault = logFault(this.log, "po.invalid", error, { orderId });
      this.store.update(needsAttention(order, now, "PO_INVALID", fault.message));
      this.alerts.raise({
        code: "PO_INVALID",
        severity: "critical",
        orderId,
        message: `the purchase order failed validation (${fault.message}); the order was not sent`,
      });
      tally.problem({ code: "PO_INVALID", message: fault.message, orderId });
      return undefined;
    }
  }

  /**
   * Sends what waits, oldest first: documents left from earlier runs, then those `prepared` in this
   * one (their bytes are at hand, so the store does not open its sealed copies). Records the
   * deliveries per batch (see CommitBatch): before a break on a retryable fault, before a conflict
   * is handled, and at the end. A crash loses at most the marks of the last batch; those documents
   * go out again and are found on the server (upload protocol, 3).
   */
  private async deliver(prepared: readonly OutboundDocument[], tally: StepTally): Promise<void> {
    const held = new Set(prepared.map((doc) => doc.fileName));
    const waiting = [...this.store.unsentOutbound(held), ...prepared].filter((doc) =>
      sendable(doc, this.store.get(doc.orderId)),
    );
    if (waiting.length === 0) return;
    await withSupplierSession(this.gateway, this.log, tally, async (session) => {
      const marks = new CommitBatch<Delivery, void>(
        this.store,
        (delivery) => this.markSent(delivery),
        ({ doc, outcome }) => {
          tally.add("sent");
          this.log.info(doc.documentType === "PO" ? "po.sent" : "pocancel.sent", {
            orderId: doc.orderId,
            fileName: doc.fileName,
            reason: outcome,
          });
        },
      );
      for (const doc of waiting) {
        let outcome: SendOutcome;
        try {
          outcome = await session.send({ fileName: doc.fileName, bytes: doc.bytes });
        } catch (error) {
          if (this.sendFailed(doc, error, tally, marks)) break;
          continue;
        }
        marks.add({ doc, outcome: outcome.kind, at: this.clock.now() });
      }
      marks.flush();
    });
  }

  /** Records one delivery; runs in the batch's transaction. */
  private markSent({ doc, outcome, at }: Delivery): void {
    this.store.markOutboundSent(doc.fileName, at.toISOString());
    const order = this.store.get(doc.orderId);
    if (doc.documentType === "POCANCEL" && order?.cancellation)
      this.store.update(cancellationSent(order, at));
    if (doc.documentType === "PO" && order?.state === "PO_READY" && order.purchaseOrder) {
      const sent = moveTo(order, "PO_SENT", at, outcome === "sent" ? "PO_SENT" : "PO_FOUND_ON_SERVER");
      this.store.update({ ...sent, purchaseOrder: { ...order.purchaseOrder, sentAt: at.toISOString() } });
    }
  }

  /** Reports a failed send; returns true when the connection is unusable and the rest should wait. */
  private sendFailed(
    doc: OutboundDocument,
    error: unknown,
    tally: StepTally,
    marks: CommitBatch<Delivery, void>,
  ): boolean {
    const fault = describeFault(error);
    logFault(this.log, "po.send-failed", error, { orderId: doc.orderId, fileName: doc.fileName });
    tally.problem({
      code: fault.code,
      message: fault.message,
      orderId: doc.orderId,
      fileName: doc.fileName,
    });
    if (error instanceof IntegrationError && error.code === "REMOTE_FILE_CONFLICT") {
      marks.flush();
      this.conflict(doc);
      return false;
    }
    // The caller records what was delivered before it stops.
    return fault.retryable;
  }

  /** A different file already has this PO's name on the server: never overwrite it; a person decides. */
  private conflict(doc: OutboundDocument): void {
    const order = this.store.get(doc.orderId);
    if (order)
      this.store.update(needsAttention(order, this.clock.now(), "REMOTE_FILE_CONFLICT", doc.fileName));
    this.alerts.raise({
      code: "REMOTE_FILE_CONFLICT",
      severity: "critical",
      orderId: doc.orderId,
      fileName: doc.fileName,
      message:
        "a file of another size already has this PO's name on Essendant's server; it was not overwritten. Compare it with the stored PO and ask Essendant which one they processed",
    });
  }
}
