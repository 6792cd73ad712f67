import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Config, LocalFolderOptions } from "../../app/config/config.js";
import type { Clock } from "../../app/ports/clock.port.js";
import type { SupplierCodec } from "../../app/ports/supplier-codec.port.js";
import { utcSeconds } from "../../domain/time.js";
import { schemaProblem } from "../essendant/essendant-schemas.js";
import { writeFileAtomic } from "../files/durable-file.js";
import { ensureFolder, freeName, type LocalFolders, localFolders } from "./local-folder.paths.js";
import {
  ackDocument,
  asnDocument,
  digits,
  type Envelope,
  invoiceDocument,
  type SimulatedDocument,
  type SimulatedLine,
  type SimulatedPo,
  type SimulatedStep,
} from "./simulator-documents.js";

const PO_FILE = /^PO_[A-Za-z0-9_.-]+\.json$/;
const DEFAULT_UNIT_COST = "10.00";

interface SimState {
  readonly version: 1;
  /** Received POs by arrival; no ship-to is kept here, only what the answers need. */
  pos: SimulatedPo[];
}

/** The PO fields the simulator reads, once the schema has accepted the file. */
interface ReceivedPo {
  documentId: string;
  purchaseOrder: {
    poNumber: string;
    accountNumber: string;
    lines: {
      lineNumber: number;
      itemNumber: string;
      quantity: number;
      uom: string;
      expectedUnitCost?: string;
    }[];
  };
}

const addSeconds = (iso: string, seconds: number) => utcSeconds(new Date(Date.parse(iso) + seconds * 1000));

/**
 * Plays Essendant against the local folder for the demo: answers each PO in `/in` with an ACK at
 * once, ships `asnDelaySeconds` later, invoices `invoiceDelaySeconds` after the final shipment.
 * Time comes from the injected clock, so `--now` and tests drive it; every answer is due at a fixed
 * instant recorded in `.simulator/state.json`, which makes a tick idempotent.
 */
export class EssendantSimulator {
  private readonly folders: LocalFolders;
  private readonly home: string;
  private readonly options: LocalFolderOptions["simulator"];

  constructor(
    private readonly config: Config,
    private readonly clock: Clock,
    private readonly codec: SupplierCodec,
  ) {
    const local = config.essendant.localFolder;
    if (!local) throw new Error("the Essendant simulator needs essendant.localFolder");
    this.folders = localFolders(local.root, config.essendant.paths);
    this.home = path.join(this.folders.root, ".simulator");
    this.options = local.simulator;
  }

  /** Takes in new POs, then writes every answer that is due. Writing nothing twice. */
  async tick(): Promise<void> {
    for (const dir of [this.folders.outbound, this.folders.inbound, this.received, this.rejected])
      ensureFolder(dir);
    const state = this.load();
    const now = utcSeconds(this.clock.now());
    for (const name of fs
      .readdirSync(this.folders.outbound)
      .filter((n) => PO_FILE.test(n))
      .sort()) {
      this.intake(state, name, now);
    }
    for (const po of state.pos) {
      for (const step of po.steps) {
        if (step.done) continue;
        if (step.dueAt > now) break;
        this.write(po, (env) => this.document(po, step, env));
        step.done = true;
        this.save(state);
      }
    }
  }

  private get received() {
    return path.join(this.home, "received");
  }

  private get rejected() {
    return path.join(this.home, "rejected");
  }

  private intake(state: SimState, name: string, now: string): void {
    const file = path.join(this.folders.outbound, name);
    if (!fs.lstatSync(file).isFile()) return;
    const po = this.readPo(file);
    if (!po) {
      fs.renameSync(file, path.join(this.rejected, freeName(this.rejected, name)));
      return;
    }
    // A PO recorded before a crash stopped the move is only moved now, not answered twice.
    if (!state.pos.some((p) => p.documentId === po.documentId)) {
      state.pos.push(
        this.plan(po, now, state.pos.filter((p) => p.poNumber === po.purchaseOrder.poNumber).length),
      );
      this.save(state);
    }
    fs.renameSync(file, path.join(this.received, freeName(this.received, name)));
  }

  private readPo(file: string): ReceivedPo | undefined {
    try {
      const document: unknown = JSON.parse(
        new TextDecoder("utf-8", { fatal: true }).decode(fs.readFileSync(file)),
      );
      return schemaProblem("PurchaseOrder", document) ? undefined : (document as ReceivedPo);
    } catch {
      return undefined;
    }
  }

  /** Decides the answers for a PO: which quantities ship, are backordered or cancelled, and when. */
  private plan(po: ReceivedPo, now: string, earlierAcks: number): SimulatedPo {
    const { poNumber, accountNumber } = po.purchaseOrder;
    const duplicate = earlierAcks > 0;
    const lines: SimulatedLine[] = po.purchaseOrder.lines.map((l) => {
      const backordered = !duplicate && this.options.backorderItems.includes(l.itemNumber) ? l.quantity : 0;
      const cancelled =
        duplicate || (!backordered && this.options.cancelItems.includes(l.itemNumber)) ? l.quantity : 0;
      return {
        lineNumber: l.lineNumber,
        itemNumber: l.itemNumber,
        uom: l.uom,
        ordered: l.quantity,
        accepted: l.quantity - backordered - cancelled,
        backordered,
        cancelled,
        ...(l.expectedUnitCost ? { expectedUnitCost: l.expectedUnitCost } : {}),
        price: l.expectedUnitCost ?? DEFAULT_UNIT_COST,
      };
    });
    const base = {
      poNumber,
      accountNumber,
      documentId: po.documentId,
      ackSeq: earlierAcks + 1,
      duplicate,
      orderNumber: `E${digits(poNumber, 9)}`,
      environment: this.config.essendant.environment,
      receiver: {
        id: this.config.essendant.senderId,
        ...(this.config.essendant.senderName ? { name: this.config.essendant.senderName } : {}),
      },
      lines,
    };
    const steps: SimulatedPo["steps"] = [{ kind: "ack", dueAt: now, done: false }];
    if (duplicate) return { ...base, steps };
    const shipments = (["accepted", "backordered"] as const).filter((q) => lines.some((l) => l[q] > 0));
    let dueAt = now;
    shipments.forEach((quantity, index) => {
      dueAt = addSeconds(dueAt, this.options.asnDelaySeconds);
      steps.push({
        kind: "asn",
        dueAt,
        done: false,
        quantity,
        shipment: index + 1,
        final: index === shipments.length - 1,
      });
    });
    if (shipments.length > 0)
      steps.push({ kind: "inv", dueAt: addSeconds(dueAt, this.options.invoiceDelaySeconds), done: false });
    return { ...base, steps };
  }

  private document(po: SimulatedPo, step: SimulatedStep, env: Envelope): SimulatedDocument {
    if (step.kind === "ack") return ackDocument(po, step.dueAt, env);
    return step.kind === "asn" ? asnDocument(po, step, env) : invoiceDocument(po, step, env);
  }

  /** Every answer is checked by the codec before it is written, so the demo never feeds itself bad files. */
  private write(po: SimulatedPo, build: (env: Envelope) => SimulatedDocument): void {
    const document = build({ documentId: randomUUID(), createdAt: utcSeconds(this.clock.now()) });
    const bytes = new TextEncoder().encode(`${JSON.stringify(document.body, null, 2)}\n`);
    const decoded = this.codec.decode(document.fileName, bytes);
    if (!decoded.ok)
      throw new Error(
        `simulated document for ${po.poNumber} is invalid: ${decoded.reason} ${decoded.detail}`,
      );
    writeFileAtomic(path.join(this.folders.inbound, document.fileName), bytes);
  }

  private load(): SimState {
    const file = path.join(this.home, "state.json");
    if (!fs.existsSync(file)) return { version: 1, pos: [] };
    return JSON.parse(fs.readFileSync(file, "utf8")) as SimState;
  }

  private save(state: SimState): void {
    writeFileAtomic(path.join(this.home, "state.json"), new TextEncoder().encode(JSON.stringify(state)));
  }
}
