import { inject, injectable } from "inversify";
import { applyAcknowledgement } from "../../domain/acknowledgement.js";
import { type FulfillmentOrder, note } from "../../domain/fulfillment-order.js";
import { reconcileInvoice } from "../../domain/invoice.js";
import { applyShipNotice } from "../../domain/ship-notice.js";
import type { Config } from "../config/config.js";
import { AppConfig } from "../config/config.token.js";
import { IntegrationError } from "../errors.js";
import { AlertSink } from "../ports/alert-sink.port.js";
import { Clock } from "../ports/clock.port.js";
import { EventLog } from "../ports/event-log.port.js";
import { OrderStore } from "../ports/order-store.port.js";
import { Quarantine } from "../ports/quarantine.port.js";
import { type DecodeResult, type InboundDocument, SupplierCodec } from "../ports/supplier-codec.port.js";
import { type InboundFile, SupplierGateway, type SupplierSession } from "../ports/supplier-gateway.port.js";
import { BATCH } from "./commit-batch.js";
import { type StepReport, StepTally, sha256Hex } from "./step-report.js";
import { withSupplierSession } from "./supplier-session.js";

type Effect =
  | {
      readonly kind: "apply";
      readonly order: FulfillmentOrder;
      readonly event: string;
      readonly packages?: number;
    }
  | { readonly kind: "ignore"; readonly order?: FulfillmentOrder; readonly why: string }
  | { readonly kind: "invalid"; readonly reason: string; readonly detail: string };

/** A listed file after its fetch: refused unread, or read and decoded. */
type Fetched =
  | { readonly file: InboundFile; readonly unread: { readonly reason: string; readonly detail: string } }
  | {
      readonly file: InboundFile;
      readonly bytes: Uint8Array;
      readonly sha256: string;
      readonly decoded: DecodeResult;
    };

/** What the chunk's transaction decided for one file. */
type Verdict =
  | { readonly kind: "duplicate" }
  | { readonly kind: "refuse"; readonly reason: string; readonly detail: string; readonly bytes?: Uint8Array }
  | {
      readonly kind: "recorded";
      readonly doc: InboundDocument;
      readonly effect: Exclude<Effect, { kind: "invalid" }>;
    };

/** About how many bytes of files a chunk holds before its commit. */
const CHUNK_BYTES = 8 * 1024 * 1024;

/** A corrected resubmission carries -R1 … -R9 after the Amazon order id (spec/essendant README). */
function orderIdOf(poNumber: string): string {
  return poNumber.replace(/-R[1-9]$/, "");
}

/**
 * Reads Essendant's acknowledgements, ship notices and invoices (spec "Download protocol"): a file
 * already applied, by hash or documentId, is only archived again; an invalid one goes to the errors
 * folder with an alert while the others go on; applying and recording happen in one transaction per
 * chunk of files, archiving after it.
 */
@injectable()
export class CollectSupplierDocuments {
  constructor(
    @inject(OrderStore) private readonly store: OrderStore,
    @inject(SupplierGateway) private readonly gateway: SupplierGateway,
    @inject(SupplierCodec) private readonly codec: SupplierCodec,
    @inject(AppConfig) private readonly config: Config,
    @inject(Clock) private readonly clock: Clock,
    @inject(EventLog) private readonly log: EventLog,
    @inject(AlertSink) private readonly alerts: AlertSink,
    @inject(Quarantine) private readonly quarantine: Quarantine,
  ) {}

  async execute(): Promise<StepReport> {
    const tally = new StepTally("collect");
    await withSupplierSession(this.gateway, this.log, tally, async (session) => {
      for (const chunk of this.chunks(await session.listInbound()))
        await this.collectChunk(session, chunk, tally);
    });
    return tally.report();
  }

  /**
   * Listed files in chunks of at most BATCH (see CommitBatch), and of about CHUNK_BYTES, since a
   * chunk's bytes are held until its commit. A file over the size limit is never read: it weighs nothing.
   */
  private *chunks(files: readonly InboundFile[]): Generator<InboundFile[]> {
    const limit = this.config.essendant.maxInboundBytes;
    let chunk: InboundFile[] = [];
    let bytes = 0;
    for (const file of files) {
      const weight = file.problem || file.size > limit ? 0 : file.size;
      if (chunk.length > 0 && (chunk.length >= BATCH || bytes + weight > CHUNK_BYTES)) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(file);
      bytes += weight;
    }
    if (chunk.length > 0) yield chunk;
  }

  /**
   * Fetches the chunk's files, then settles them in one transaction, in order, so a later file sees
   * what an earlier one applied (an ACK, then the ASN of the same order; a second copy is a duplicate).
   * Only after the commit are the files archived or refused: a crash in between re-reads them next
   * time as duplicates (spec "Download protocol", 5). When the transaction throws, nothing of the chunk
   * is recorded or moved and the step fails. A file that cannot be fetched ends the step after the
   * files fetched before it are settled, as when each file had its own transaction.
   */
  private async collectChunk(
    session: SupplierSession,
    files: InboundFile[],
    tally: StepTally,
  ): Promise<void> {
    const fetched: Fetched[] = [];
    let failure: { error: unknown } | undefined;
    for (const file of files) {
      try {
        fetched.push(await this.fetchOne(session, file));
      } catch (error) {
        failure = { error };
        break;
      }
    }
    const verdicts =
      fetched.length === 0 ? [] : this.store.transaction(() => fetched.map((f) => this.settle(f)));
    verdicts.forEach((verdict) => {
      if (verdict.kind === "duplicate") tally.add("duplicates");
      if (verdict.kind !== "recorded") return;
      tally.add(verdict.effect.kind === "apply" ? "applied" : "ignored");
      this.announce(verdict.doc, verdict.effect);
    });
    for (const [i, { file }] of fetched.entries()) {
      const verdict = verdicts[i];
      if (verdict?.kind === "refuse")
        await this.refuse(session, file, verdict.reason, verdict.detail, tally, verdict.bytes);
      else await session.archive(file);
    }
    if (failure) throw failure.error;
  }

  /** The file's bytes and what they decode to, or why it is refused unread. */
  private async fetchOne(session: SupplierSession, file: InboundFile): Promise<Fetched> {
    // A hostile name or a symlink: never opened, only moved aside under a safe name.
    if (file.problem) return { file, unread: { reason: file.problem, detail: PROBLEM_DETAIL[file.problem] } };
    let bytes: Uint8Array;
    try {
      bytes = await session.fetch(file);
    } catch (error) {
      if (error instanceof IntegrationError && error.code === "INBOUND_TOO_LARGE")
        return { file, unread: { reason: "TOO_LARGE", detail: error.message } };
      throw error;
    }
    return { file, bytes, sha256: sha256Hex(bytes), decoded: this.codec.decode(file.name, bytes) };
  }

  /** Decides one file and records it when it is applied or ignored; runs in the chunk's transaction. */
  private settle(fetched: Fetched): Verdict {
    if ("unread" in fetched) return { kind: "refuse", ...fetched.unread };
    const { bytes, sha256, decoded } = fetched;
    // Already applied, by hash or documentId: only archived again. Checked before the verdict on the
    // content, so a file applied once is never refused later.
    if (this.store.inboundSeen(sha256, decoded.ok ? decoded.document.documentId : undefined))
      return { kind: "duplicate" };
    if (!decoded.ok) return { kind: "refuse", reason: decoded.reason, detail: decoded.detail, bytes };
    const doc = decoded.document;
    const effect = this.effectOf(doc);
    if (effect.kind === "invalid")
      return { kind: "refuse", reason: effect.reason, detail: effect.detail, bytes };
    if (effect.order) this.store.update(effect.order);
    this.store.recordInbound({
      fileName: fetched.file.name,
      sha256,
      documentId: doc.documentId,
      documentType: doc.kind,
      poNumber: doc.poNumber,
      outcome: effect.kind === "apply" ? "APPLIED" : "IGNORED",
      ...(effect.kind === "ignore" ? { reason: effect.why } : {}),
      at: this.clock.now().toISOString(),
    });
    return { kind: "recorded", doc, effect };
  }

  private effectOf(doc: InboundDocument): Effect {
    const order = this.store.get(orderIdOf(doc.poNumber));
    if (!order) return { kind: "invalid", reason: "UNKNOWN_PO", detail: `no order for PO ${doc.poNumber}` };
    const now = this.clock.now();
    switch (doc.kind) {
      case "acknowledgement": {
        const outcome = applyAcknowledgement(order, doc.ack, now);
        if (outcome.kind === "invalid")
          return { kind: "invalid", reason: "ACK_REFUSED", detail: outcome.problem };
        if (outcome.kind === "ignored") return { kind: "ignore", order: outcome.order, why: outcome.why };
        const event = outcome.order.state === "CANCELLED" ? "order.cancelled" : "order.acknowledged";
        return { kind: "apply", order: outcome.order, event };
      }
      case "ship-notice": {
        const outcome = applyShipNotice(order, doc.asn, this.config.essendant.carriers, now);
        if (outcome.kind === "invalid")
          return { kind: "invalid", reason: "ASN_REFUSED", detail: outcome.problem };
        if (outcome.kind === "duplicate") return { kind: "ignore", why: "DUPLICATE_SHIPMENT" };
        if (outcome.kind === "attention")
          return { kind: "apply", order: outcome.order, event: "order.needs-attention" };
        return { kind: "apply", order: outcome.order, event: "order.shipped", packages: outcome.packages };
      }
      case "invoice": {
        if (order.invoices?.some((i) => i.invoiceNumber === doc.invoice.invoiceNumber)) {
          return { kind: "ignore", why: "DUPLICATE_INVOICE" };
        }
        const record = reconcileInvoice(order, doc.invoice);
        const invoiced = note(order, now, "INVOICED", `${record.invoiceNumber} total ${record.total}`);
        return {
          kind: "apply",
          order: { ...invoiced, invoices: [...(order.invoices ?? []), record] },
          event: "invoice.received",
        };
      }
    }
  }

  private announce(doc: InboundDocument, effect: Effect): void {
    if (effect.kind === "ignore") {
      this.log.info("document.ignored", {
        poNumber: doc.poNumber,
        documentId: doc.documentId,
        reason: effect.why,
      });
      return;
    }
    if (effect.kind !== "apply") return;
    const { order } = effect;
    const fields = { orderId: order.facts.orderId, state: order.state, documentId: doc.documentId };
    this.log.info(
      effect.event,
      effect.packages !== undefined ? { ...fields, packages: effect.packages } : fields,
    );
    this.alertFor(doc, order);
  }

  /** What the administrator must hear about the order after this document. */
  private alertFor(doc: InboundDocument, order: FulfillmentOrder): void {
    const orderId = order.facts.orderId;
    const reason = order.attention?.reason;
    if (order.state === "CANCELLED") {
      this.alerts.resolve("CANCEL_REQUESTED", { orderId });
      return;
    }
    if (reason === "SHIPPED_AFTER_CANCELLATION") {
      this.alerts.raise({
        code: reason,
        severity: "critical",
        orderId,
        message:
          "Essendant shipped an order Amazon cancelled; contact the customer through Amazon, or arrange a return with Essendant",
      });
      return;
    }
    const invoice = doc.kind === "invoice" ? order.invoices?.at(-1) : undefined;
    const mismatches = invoice?.mismatches ?? [];
    if (invoice && mismatches.length > 0) {
      this.alerts.raise({
        code: "INVOICE_MISMATCH",
        severity: "warning",
        orderId,
        message: `invoice ${invoice.invoiceNumber} does not reconcile (${mismatches.join("; ")}); raise it with Essendant. Shipment confirmations are not affected`,
      });
    }
    if (reason === "CANCEL_REQUESTED" || doc.kind === "invoice") return;
    if (
      order.state === "NEEDS_ATTENTION" ||
      order.state === "ACK_REJECTED" ||
      (reason && doc.kind === "acknowledgement")
    ) {
      this.alerts.raise({
        code: reason ?? "NEEDS_ATTENTION",
        severity: "warning",
        orderId,
        message: `Essendant's ${doc.kind} needs a decision (${reason ?? order.state}); see \`fulfillment orders show ${orderId}\``,
      });
    }
  }

  /** Moves the file to the errors folder, keeps a local quarantine copy with the reason, and raises an alert. */
  private async refuse(
    session: SupplierSession,
    file: InboundFile,
    reason: string,
    detail: string,
    tally: StepTally,
    bytes?: Uint8Array,
  ): Promise<void> {
    // Not recorded as seen: a corrected file with the same documentId must still be applied.
    await session.reject(file);
    const kept = this.quarantine.keep({
      fileName: file.name,
      reason,
      detail,
      ...(bytes ? { bytes } : {}),
      at: this.clock.now().toISOString(),
    });
    const shownName = file.problem === "UNSAFE_NAME" ? "(a file with an unsafe name)" : file.name;
    tally.add("rejected");
    tally.problem({ code: reason, message: detail, fileName: shownName });
    this.log.warn("document.rejected", {
      ...(file.problem === "UNSAFE_NAME" ? {} : { fileName: file.name }),
      reason,
      documentId: kept.id,
    });
    this.alerts.raise({
      code: "INBOUND_DOCUMENT_REJECTED",
      severity: "warning",
      fileName: file.problem === "UNSAFE_NAME" ? kept.id : file.name,
      message: `${shownName} was moved to the errors folder and quarantined as ${kept.id} (${reason}: ${detail}); ask Essendant to resend a corrected file`,
    });
  }
}

const PROBLEM_DETAIL: Readonly<Record<NonNullable<InboundFile["problem"]>, string>> = {
  UNSAFE_NAME: "a name outside [A-Za-z0-9_.-], longer than 200 characters, or containing ..",
  NOT_A_REGULAR_FILE: "a symlink or other entry that is not a regular file",
};
