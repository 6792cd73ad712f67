import type { FulfillmentOrder } from "../../domain/fulfillment-order.js";
import { ORDER_STATES } from "../../domain/lifecycle.js";
import { describeUnencrypted } from "../queries/encrypted-volumes.query.js";
import type { OrderDetails } from "../queries/order-details.query.js";
import type { StatusReport } from "../queries/status.query.js";
import type { StepReport } from "../use-cases/step-report.js";

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text + " ".repeat(width - text.length);
}

function duration(seconds: number | null): string {
  if (seconds === null) return "-";
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86400)}d`;
}

export function renderSteps(reports: readonly StepReport[]): string {
  return reports
    .map((r) => {
      const counts =
        Object.entries(r.counts)
          .map(([k, v]) => `${k}=${v}`)
          .join(" ") || "nothing to do";
      const problems = r.problems
        .map(
          (p) =>
            `\n    ${p.code}: ${p.message}${p.orderId ? ` (order ${p.orderId})` : ""}${p.fileName ? ` (file ${p.fileName})` : ""}`,
        )
        .join("");
      return `${pad(r.step, 9)}${pad(r.ok ? "ok" : "FAILED", 8)}${counts}${problems}`;
    })
    .join("\n");
}

/** One line when all is well; a warning per directory when the volume check is switched off and fails. */
function renderEncryptedVolume(s: StatusReport): string[] {
  const v = s.encryptedVolume;
  if (v.ok) return [`Encrypted volume: dataDir, logDir and backupDir on dm-crypt (LUKS)`, ""];
  const rule = v.required
    ? "REQUIRED"
    : "NOT ENFORCED (security.requireEncryptedVolume: false; demo and test machines only)";
  return [
    `Encrypted volume: ${rule}`,
    ...v.unencrypted.map((d) => `  WARNING ${describeUnencrypted(d)}`),
    "",
  ];
}

export function renderStatus(s: StatusReport): string {
  const out: string[] = [`Status at ${s.at}`, "", ...renderEncryptedVolume(s), "Orders by state:"];
  for (const state of ORDER_STATES)
    if (s.counts[state] > 0) out.push(`  ${pad(state, 18)}${s.counts[state]}`);
  if (ORDER_STATES.every((state) => s.counts[state] === 0)) out.push("  (no orders yet)");
  out.push("", "Oldest waiting:");
  out.push(`  ${pad("to submit", 18)}${duration(s.oldestPendingSeconds.submit)}`);
  out.push(`  ${pad("at Essendant", 18)}${duration(s.oldestPendingSeconds.supplier)}`);
  out.push(`  ${pad("to confirm", 18)}${duration(s.oldestPendingSeconds.confirm)}`);
  if (s.held.length > 0) {
    out.push("", "Held orders:");
    for (const h of s.held)
      out.push(`  ${h.orderId}  ${h.reason}${h.detail ? ` (${h.detail})` : ""}  since ${h.since}`);
  }
  if (s.needsAttention.length > 0) {
    out.push("", "Needs attention:");
    for (const a of s.needsAttention) out.push(`  ${a.orderId}  ${a.state}  ${a.reason}`);
  }
  out.push("", "Last runs:");
  if (s.lastRuns.length === 0) out.push("  (none yet)");
  for (const r of s.lastRuns)
    out.push(`  ${pad(r.job, 9)}${pad(r.ok ? "ok" : "FAILED", 8)}${r.finishedAt}  ${r.summary}`);
  out.push("", "Active alerts:");
  if (s.alerts.length === 0) out.push("  (none)");
  for (const a of s.alerts) {
    const about = a.orderId ? ` order ${a.orderId}` : a.fileName ? ` file ${a.fileName}` : "";
    out.push(
      `  ${a.severity.toUpperCase()} ${a.code}${about} (×${a.count}, since ${a.raisedAt}): ${a.message}`,
    );
  }
  return out.join("\n");
}

function orderSummary(o: FulfillmentOrder): string[] {
  const f = o.facts;
  const out = [
    `Order ${f.orderId}`,
    `  state           ${o.state}${o.holdReason && o.state === "HELD" ? ` (${o.holdReason}${o.holdDetail ? `: ${o.holdDetail}` : ""})` : ""}`,
    `  purchased       ${f.purchaseDate}   Amazon status ${f.status}   service ${f.serviceLevel}`,
  ];
  if (f.programs.length > 0) out.push(`  programs        ${f.programs.join(", ")}`);
  if (o.attention)
    out.push(`  attention       ${o.attention.reason}${o.attention.detail ? `: ${o.attention.detail}` : ""}`);
  out.push("  items:");
  for (const i of f.items) out.push(`    ${i.orderItemId}  ${i.sellerSku} × ${i.quantityOrdered}`);
  const po = o.purchaseOrder;
  if (po) {
    out.push(`  purchase order  ${po.fileName}  ${po.sentAt ? `sent ${po.sentAt}` : "not sent yet"}`);
    for (const l of po.lines)
      out.push(
        `    line ${l.lineNumber}: ${l.itemNumber} ${l.quantity} ${l.uom} ← ${l.allocations.map((a) => `${a.orderItemId}×${a.amazonQuantity}`).join(", ")}`,
      );
  }
  const ack = o.acknowledgement;
  if (ack) {
    out.push(
      `  acknowledgement ${ack.status} at ${ack.ackDateTime}${ack.reasonCategory ? ` (${ack.reasonCategory})` : ""}`,
    );
    for (const l of ack.lines)
      out.push(
        `    ${l.itemNumber}: accepted ${l.accepted}, backordered ${l.backordered}, cancelled ${l.cancelled}${l.reasonCategory && l.reasonCategory !== "NONE" ? ` (${l.reasonCategory})` : ""}`,
      );
  }
  for (const i of o.invoices ?? []) {
    const verdict =
      i.mismatches.length === 0 ? "reconciles" : `DOES NOT RECONCILE: ${i.mismatches.join("; ")}`;
    out.push(`  invoice         ${i.invoiceNumber} total ${i.total}, ${verdict}`);
  }
  if (o.cancellation) {
    const c = o.cancellation;
    out.push(
      `  cancellation    requested ${c.requestedAt}${c.sentAt ? `, ${c.fileName} sent ${c.sentAt}` : ", not sent yet"}`,
    );
  }
  for (const p of o.packages) {
    const status =
      p.status === "CONFIRMED"
        ? `confirmed ${p.confirmedAt}`
        : p.status === "REJECTED"
          ? `REJECTED ${p.error?.code}: ${p.error?.message}`
          : "confirmation pending";
    out.push(
      `  package ${p.packageReferenceId}       ${p.carrierCode}${p.carrierName ? ` (${p.carrierName})` : ""} ${p.trackingNumber} shipped ${p.shipDate}, ${status}`,
    );
  }
  return out;
}

export function renderOrder(details: OrderDetails): string {
  const out = orderSummary(details.order);
  const pii = details.pii;
  if (pii.kind === "held") {
    const a = pii.shipTo;
    out.push("  ship-to (PII, this view was audit-logged):");
    for (const line of [
      a.name,
      a.company,
      a.line1,
      a.line2,
      a.line3,
      `${a.city}, ${a.stateOrRegion} ${a.postalCode}`,
      a.countryCode,
    ]) {
      if (line) out.push(`    ${line}`);
    }
  } else if (pii.kind === "purged")
    out.push(`  ship-to         purged at ${pii.at} under the retention policy`);
  else if (pii.kind === "none") out.push("  ship-to         Amazon did not release one for this order");
  else if (details.order.pii.status === "PURGED")
    out.push(`  ship-to         purged at ${details.order.pii.purgedAt ?? "?"}`);
  else if (details.order.pii.status === "NONE")
    out.push("  ship-to         Amazon did not release one for this order");
  else out.push("  ship-to         held; add --pii to view it (the view is audit-logged)");
  out.push("  timeline:");
  for (const t of details.order.timeline) {
    out.push(
      `    ${t.at}  ${t.event}${t.state && t.state !== t.event ? ` → ${t.state}` : ""}${t.reason ? ` (${t.reason})` : ""}${t.detail ? ` ${t.detail}` : ""}`,
    );
  }
  return out.join("\n");
}
