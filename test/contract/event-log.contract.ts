import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { EventFields, EventLog } from "../../src/app/ports/event-log.port.js";
import { aShipTo } from "../support/order-mother.js";

export interface WrittenEvent {
  readonly level: string;
  readonly event: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** One event log over a fresh sink, with a way to read back what it wrote. */
export interface EventLogHarness {
  readonly log: EventLog;
  written(): WrittenEvent[];
  droppedFields(): number;
  dispose(): void;
}

/** Passes what the type system would refuse, as a careless caller (or `any`) could. */
const unchecked = (fields: Record<string, unknown>) => fields as EventFields;

/** The EventLog contract (event-log.port.ts): only allow-listed, sanitised fields are ever written. */
export function eventLogContract(label: string, make: () => EventLogHarness): void {
  const test = suite<{ h: EventLogHarness }>(`EventLog contract: ${label}`);
  test.before.each((ctx) => {
    ctx.h = make();
  });
  test.after.each((ctx) => ctx.h.dispose());

  test("fields outside EventFields are dropped and counted", async ({ h }) => {
    h.log.info(
      "order.imported",
      unchecked({ orderId: "113-4567890-1234567", buyerEmail: "x", city: "Boise" }),
    );
    await h.log.flush();
    const [written] = h.written();
    assert.equal(written?.fields, { orderId: "113-4567890-1234567" });
    assert.is(written?.event, "order.imported");
    assert.is(h.droppedFields(), 2);
  });

  test("an e-mail address or a phone number inside errorMessage is masked", async ({ h }) => {
    h.log.error("step.failed", {
      step: "import",
      errorMessage: "write to jane.doe@example.com or call (206) 555-0134",
    });
    await h.log.flush();
    const message = String(h.written()[0]?.fields.errorMessage);
    assert.not.ok(message.includes("jane.doe"), message);
    assert.not.ok(message.includes("555-0134"), message);
    assert.ok(message.includes("[MASKED]"));
  });

  test("an Amazon order id and a tracking number are not masked", async ({ h }) => {
    const errorMessage =
      "order 113-4567890-1234567 package 1 tracking 1Z999AA10123456784 in PO_123456_113-4567890-1234567.json";
    h.log.warn("package.rejected", { errorMessage, trackingNumber: "9400111899223197428490" });
    await h.log.flush();
    const [written] = h.written();
    assert.is(written?.fields.errorMessage, errorMessage);
    assert.is(written?.fields.trackingNumber, "9400111899223197428490");
  });

  test("a secret alone in a short field is masked as inside a message; plain codes pass unchanged", async ({
    h,
  }) => {
    h.log.warn("step.failed", {
      reason: "Atza|IwEBIExampleToken",
      errorName: "Bearer abcdefghij",
      errorCode: "+12065550134",
      code: "jane.doe@example.com",
      state: "SHIPPED_FULL",
      trackingNumber: "1Z999AA10123456784",
      orderId: "113-4567890-1234567",
    });
    await h.log.flush();
    const fields = h.written()[0]?.fields ?? {};
    for (const key of ["reason", "errorName", "errorCode", "code"]) assert.is(fields[key], "[MASKED]", key);
    assert.is(fields.state, "SHIPPED_FULL");
    assert.is(fields.trackingNumber, "1Z999AA10123456784");
    assert.is(fields.orderId, "113-4567890-1234567");
  });

  test("an event name that is not an identifier is replaced", async ({ h }) => {
    h.log.info("order for jane.doe@example.com");
    await h.log.flush();
    assert.is(h.written()[0]?.event, "invalid.event-name");
  });

  test("a ship-to passed by mistake never shows its values", async ({ h }) => {
    const shipTo = aShipTo();
    h.log.info("order.imported", unchecked({ orderId: shipTo, reason: `${shipTo}`, shipTo }));
    await h.log.flush();
    const text = JSON.stringify(h.written());
    const fields = shipTo.reveal();
    for (const value of [fields.name, fields.line1, fields.city, fields.postalCode]) {
      assert.not.ok(text.includes(value), `${value} leaked`);
    }
  });

  test("long strings are cut to 500 characters", async ({ h }) => {
    h.log.error("step.failed", { errorMessage: "x".repeat(2000) });
    await h.log.flush();
    assert.is(String(h.written()[0]?.fields.errorMessage).length, 500);
  });

  test.run();
}
