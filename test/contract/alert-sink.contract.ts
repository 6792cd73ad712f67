import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { AlertSink } from "../../src/app/ports/alert-sink.port.js";
import type { Clock } from "../../src/app/ports/clock.port.js";

export interface OpenedSink {
  readonly sink: AlertSink;
  /** Opens the sink again on the same data, when the sink is durable. */
  readonly reopen?: () => AlertSink;
  cleanup(): void;
}

/** A clock the test moves by hand. */
class ManualClock implements Clock {
  #at: Date;
  constructor(at: string) {
    this.#at = new Date(at);
  }
  now(): Date {
    return new Date(this.#at);
  }
  set(at: string): void {
    this.#at = new Date(at);
  }
}

const T0 = "2026-11-05T03:15:00.000Z";
const T1 = "2026-11-05T03:20:00.000Z";
const T2 = "2026-11-05T03:25:00.000Z";
const ORDER_A = "113-4200001-0007919";
const ORDER_B = "113-4200002-0015838";

/** The AlertSink contract: the same behaviour from the in-memory fake and from every real sink. */
export function alertSinkContract(name: string, open: (clock: Clock) => OpenedSink): void {
  const test = suite(`AlertSink contract: ${name}`);

  function withSink(name: string, body: (opened: OpenedSink, clock: ManualClock) => void): void {
    test(name, () => {
      const clock = new ManualClock(T0);
      const opened = open(clock);
      try {
        body(opened, clock);
      } finally {
        opened.cleanup();
      }
    });
  }

  withSink("nothing is active at first", ({ sink }) => {
    assert.equal(sink.active(), []);
  });

  withSink("a raised alert is active with its fields, the time and a count of one", ({ sink }) => {
    sink.raise({
      code: "ORDER_NEEDS_ATTENTION",
      severity: "warning",
      message: "fix the SKU map",
      orderId: ORDER_A,
    });
    sink.raise({
      code: "INBOUND_REJECTED",
      severity: "critical",
      message: "not JSON",
      fileName: "ACK_7.json",
    });
    // Raised at the same instant: the later raise counts as the newer.
    assert.equal(sink.active(), [
      {
        code: "INBOUND_REJECTED",
        severity: "critical",
        message: "not JSON",
        fileName: "ACK_7.json",
        raisedAt: T0,
        count: 1,
      },
      {
        code: "ORDER_NEEDS_ATTENTION",
        severity: "warning",
        message: "fix the SKU map",
        orderId: ORDER_A,
        raisedAt: T0,
        count: 1,
      },
    ]);
  });

  withSink(
    "raising an active alert again counts it and refreshes its message, keeping when it began",
    ({ sink }, clock) => {
      sink.raise({ code: "SFTP_DOWN", severity: "warning", message: "connection refused" });
      clock.set(T1);
      sink.raise({ code: "SFTP_DOWN", severity: "critical", message: "host key mismatch" });
      assert.equal(sink.active(), [
        { code: "SFTP_DOWN", severity: "critical", message: "host key mismatch", raisedAt: T0, count: 2 },
      ]);
    },
  );

  withSink("the same code for another order is another alert", ({ sink }) => {
    sink.raise({ code: "ORDER_NEEDS_ATTENTION", severity: "warning", message: "m", orderId: ORDER_A });
    sink.raise({ code: "ORDER_NEEDS_ATTENTION", severity: "warning", message: "m", orderId: ORDER_B });
    sink.raise({ code: "ORDER_NEEDS_ATTENTION", severity: "warning", message: "m", orderId: ORDER_A });
    const active = sink.active();
    assert.is(active.length, 2);
    assert.equal(
      active.map((a) => [a.orderId, a.count]),
      [
        [ORDER_B, 1],
        [ORDER_A, 2],
      ],
    );
  });

  withSink("active lists the newest first", ({ sink }, clock) => {
    sink.raise({ code: "A", severity: "warning", message: "a" });
    clock.set(T1);
    sink.raise({ code: "B", severity: "warning", message: "b" });
    clock.set(T2);
    sink.raise({ code: "C", severity: "warning", message: "c" });
    assert.equal(
      sink.active().map((a) => a.code),
      ["C", "B", "A"],
    );
  });

  withSink("resolving with an order clears only that order's alert", ({ sink }) => {
    sink.raise({ code: "ORDER_NEEDS_ATTENTION", severity: "warning", message: "m", orderId: ORDER_A });
    sink.raise({ code: "ORDER_NEEDS_ATTENTION", severity: "warning", message: "m", orderId: ORDER_B });
    sink.raise({ code: "INBOUND_REJECTED", severity: "warning", message: "m", fileName: "ACK_7.json" });
    sink.resolve("ORDER_NEEDS_ATTENTION", { orderId: ORDER_A });
    sink.resolve("INBOUND_REJECTED", { fileName: "ACK_8.json" });
    assert.equal(
      sink.active().map((a) => a.orderId ?? a.fileName),
      ["ACK_7.json", ORDER_B],
    );
    sink.resolve("INBOUND_REJECTED", { fileName: "ACK_7.json" });
    assert.equal(
      sink.active().map((a) => a.orderId ?? a.fileName),
      [ORDER_B],
    );
  });

  withSink("resolving a code without an order or file clears every alert with that code", ({ sink }) => {
    sink.raise({ code: "SFTP_DOWN", severity: "critical", message: "m" });
    sink.raise({ code: "ORDER_NEEDS_ATTENTION", severity: "warning", message: "m", orderId: ORDER_A });
    sink.raise({ code: "ORDER_NEEDS_ATTENTION", severity: "warning", message: "m", orderId: ORDER_B });
    sink.resolve("ORDER_NEEDS_ATTENTION");
    assert.equal(
      sink.active().map((a) => a.code),
      ["SFTP_DOWN"],
    );
    sink.resolve("SFTP_DOWN", {});
    assert.equal(sink.active(), []);
  });

  withSink("resolving an alert that is not active changes nothing", ({ sink }) => {
    sink.raise({ code: "SFTP_DOWN", severity: "critical", message: "m" });
    sink.resolve("NOT_RAISED");
    sink.resolve("SFTP_DOWN", { orderId: ORDER_A });
    assert.is(sink.active().length, 1);
  });

  withSink("an alert raised after it was resolved starts over", ({ sink }, clock) => {
    sink.raise({ code: "SFTP_DOWN", severity: "critical", message: "m" });
    sink.raise({ code: "SFTP_DOWN", severity: "critical", message: "m" });
    sink.resolve("SFTP_DOWN");
    clock.set(T2);
    sink.raise({ code: "SFTP_DOWN", severity: "warning", message: "again" });
    assert.equal(sink.active(), [
      { code: "SFTP_DOWN", severity: "warning", message: "again", raisedAt: T2, count: 1 },
    ]);
  });

  withSink("active alerts survive reopening", ({ sink, reopen }) => {
    if (!reopen) return;
    sink.raise({ code: "SFTP_DOWN", severity: "critical", message: "m" });
    sink.raise({ code: "SFTP_DOWN", severity: "critical", message: "m" });
    sink.raise({ code: "GONE", severity: "warning", message: "m" });
    sink.resolve("GONE");
    assert.equal(reopen().active(), [
      { code: "SFTP_DOWN", severity: "critical", message: "m", raisedAt: T0, count: 2 },
    ]);
  });

  test.run();
}
