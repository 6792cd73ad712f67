import { inject, injectable } from "inversify";
import type { FulfillmentOrder } from "../../domain/fulfillment-order.js";
import { ORDER_STATES, type OrderState } from "../../domain/lifecycle.js";
import { type ActiveAlert, AlertSink } from "../ports/alert-sink.port.js";
import { Clock } from "../ports/clock.port.js";
import { type JobRun, OrderStore } from "../ports/order-store.port.js";
import { type EncryptedVolumeStatus, EncryptedVolumesQuery } from "./encrypted-volumes.query.js";

export interface StatusReport {
  readonly at: string;
  readonly counts: Readonly<Record<OrderState, number>>;
  readonly held: readonly {
    readonly orderId: string;
    readonly reason: string;
    readonly detail?: string;
    readonly since: string;
  }[];
  readonly needsAttention: readonly {
    readonly orderId: string;
    readonly state: OrderState;
    readonly reason: string;
  }[];
  /** Age in seconds of the oldest order waiting at each step, or null when nothing waits. */
  readonly oldestPendingSeconds: Readonly<Record<"submit" | "supplier" | "confirm", number | null>>;
  readonly lastRuns: readonly JobRun[];
  readonly alerts: readonly ActiveAlert[];
  /** Whether dataDir, logDir and backupDir are on a dm-crypt (LUKS) volume, and whether that is required. */
  readonly encryptedVolume: EncryptedVolumeStatus;
}

function since(order: FulfillmentOrder): string {
  return order.timeline[order.timeline.length - 1]?.at ?? order.facts.purchaseDate;
}

/** What `status` shows: counts per state, what waits and why, the last run of each job, active alerts. No PII. */
@injectable()
export class StatusQuery {
  constructor(
    @inject(OrderStore) private readonly store: OrderStore,
    @inject(AlertSink) private readonly alerts: AlertSink,
    @inject(Clock) private readonly clock: Clock,
    @inject(EncryptedVolumesQuery) private readonly volumes: EncryptedVolumesQuery,
  ) {}

  execute(): StatusReport {
    const now = this.clock.now();
    const raw = this.store.countsByState();
    const counts = Object.fromEntries(ORDER_STATES.map((s) => [s, raw[s] ?? 0])) as Record<
      OrderState,
      number
    >;
    const age = (times: (string | undefined)[]): number | null => {
      const known = times.filter((t): t is string => t !== undefined).sort();
      return known[0] ? Math.max(0, Math.round((now.getTime() - new Date(known[0]).getTime()) / 1000)) : null;
    };
    const attention = this.store.inStates(["NEEDS_ATTENTION", "ACK_REJECTED"]);
    return {
      at: now.toISOString(),
      counts,
      held: this.store.inStates(["HELD"]).map((o) => ({
        orderId: o.facts.orderId,
        reason: o.holdReason ?? "UNKNOWN",
        ...(o.holdDetail ? { detail: o.holdDetail } : {}),
        since: since(o),
      })),
      needsAttention: attention.map((o) => ({
        orderId: o.facts.orderId,
        state: o.state,
        reason: o.attention?.reason ?? o.state,
      })),
      oldestPendingSeconds: {
        submit: age(this.store.inStates(["NEW", "PO_READY"]).map((o) => o.facts.purchaseDate)),
        supplier: age(
          this.store
            .inStates(["PO_SENT", "ACK_ACCEPTED", "ACK_PARTIAL", "ACK_BACKORDERED", "SHIPPED_PARTIAL"])
            .map((o) => o.purchaseOrder?.sentAt),
        ),
        confirm: age(
          this.store
            .withPendingPackages()
            .flatMap((o) => o.packages.filter((p) => p.status === "PENDING").map((p) => p.shipDate)),
        ),
      },
      lastRuns: this.store.lastJobRuns(),
      alerts: this.alerts.active(),
      encryptedVolume: this.volumes.execute(),
    };
  }
}
