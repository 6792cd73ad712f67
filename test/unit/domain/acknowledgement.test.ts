import { suite } from "uvu";
import * as assert from "uvu/assert";
import { applyAcknowledgement } from "../../../src/domain/acknowledgement.js";
import { ackFor, sentOrder, T0 } from "./pipeline.js";

const ack = suite("applying an acknowledgement");

ack("a fully accepted PO moves to ACK_ACCEPTED", () => {
  const order = sentOrder();
  const outcome = applyAcknowledgement(order, ackFor(order), T0);
  assert.ok(outcome.kind === "applied");
  assert.is(outcome.order.state, "ACK_ACCEPTED");
  assert.is(outcome.order.attention, undefined);
});

ack("cancelled quantities give ACK_PARTIAL with the reason category for the administrator", () => {
  const order = sentOrder();
  const outcome = applyAcknowledgement(order, ackFor(order, {}, { BICGSM11BK: { cancelled: 1 } }), T0);
  assert.ok(outcome.kind === "applied");
  assert.is(outcome.order.state, "ACK_PARTIAL");
  assert.is(outcome.order.attention?.reason, "OUT_OF_STOCK");
});

ack("everything backordered gives ACK_BACKORDERED", () => {
  const order = sentOrder();
  const outcome = applyAcknowledgement(
    order,
    ackFor(order, {}, { UNV21200: { backordered: 3 }, BICGSM11BK: { backordered: 2 } }),
    T0,
  );
  assert.ok(outcome.kind === "applied" && outcome.order.state === "ACK_BACKORDERED");
});

ack("a rejection gives ACK_REJECTED with the reason", () => {
  const order = sentOrder();
  const lines = ackFor(order).lines.map((l) => ({
    ...l,
    accepted: 0,
    cancelled: l.ordered,
    lineStatus: "REJECTED",
  }));
  const outcome = applyAcknowledgement(
    order,
    { ...ackFor(order), status: "REJECTED", reasonCategory: "ADDRESS_ERROR", lines },
    T0,
  );
  assert.ok(outcome.kind === "applied");
  assert.is(outcome.order.state, "ACK_REJECTED");
  assert.is(outcome.order.attention?.reason, "ADDRESS_ERROR");
});

ack("quantities that do not add up are refused", () => {
  const order = sentOrder();
  const bad = ackFor(order);
  const lines = bad.lines.map((l, i) => (i === 0 ? { ...l, accepted: l.accepted + 1 } : l));
  const outcome = applyAcknowledgement(order, { ...bad, lines }, T0);
  assert.ok(outcome.kind === "invalid" && /is not ordered/.test(outcome.problem));
});

ack("a line that is not on the PO, or with another ordered quantity, is refused", () => {
  const order = sentOrder();
  const base = ackFor(order);
  const [l0] = base.lines;
  if (!l0) throw new Error("the test PO has lines");
  const stranger = { ...base, lines: [{ ...l0, itemNumber: "XYZ99999" }] };
  assert.equal(applyAcknowledgement(order, stranger, T0), {
    kind: "invalid",
    problem: "line XYZ99999 is not on the purchase order",
  });
  const more = { ...base, lines: [{ ...l0, ordered: l0.ordered + 1, accepted: l0.accepted + 1 }] };
  assert.ok(applyAcknowledgement(order, more, T0).kind === "invalid");
});

ack("a later ACK supersedes an earlier one only when newer", () => {
  const order = sentOrder();
  const first = applyAcknowledgement(order, ackFor(order, {}, { BICGSM11BK: { backordered: 2 } }), T0);
  assert.ok(first.kind === "applied");
  const older = applyAcknowledgement(
    first.order,
    ackFor(order, {
      ackDateTime: "2026-11-02T16:30:00Z",
      documentId: "11111111-1111-4111-8111-111111111111",
    }),
    T0,
  );
  assert.ok(older.kind === "ignored" && older.why === "STALE" && older.order.state === "ACK_PARTIAL");
  const newer = applyAcknowledgement(
    first.order,
    ackFor(order, {
      ackDateTime: "2026-11-02T18:00:00Z",
      documentId: "22222222-2222-4222-8222-222222222222",
    }),
    T0,
  );
  assert.ok(newer.kind === "applied" && newer.order.state === "ACK_ACCEPTED");
});

ack("DUPLICATE_PO for a PO already accepted is harmless", () => {
  const order = sentOrder();
  const accepted = applyAcknowledgement(order, ackFor(order), T0);
  assert.ok(accepted.kind === "applied");
  const dup = {
    ...ackFor(order),
    status: "REJECTED" as const,
    reasonCategory: "DUPLICATE_PO",
    ackDateTime: "2026-11-03T00:00:00Z",
    lines: [],
  };
  const outcome = applyAcknowledgement(accepted.order, dup, T0);
  assert.ok(
    outcome.kind === "ignored" && outcome.why === "DUPLICATE_PO" && outcome.order.state === "ACK_ACCEPTED",
  );
});

ack("an ACK for an order whose PO was never sent is refused", () => {
  const order = sentOrder();
  const { purchaseOrder: _po, ...unsent } = order;
  assert.ok(applyAcknowledgement(unsent, ackFor(order), T0).kind === "invalid");
});

ack.run();
