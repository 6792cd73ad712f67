import { suite } from "uvu";
import * as assert from "uvu/assert";
import { IntegrationError } from "../../src/app/errors.js";
import type { SupplierGateway } from "../../src/app/ports/supplier-gateway.port.js";

/** One gateway over a fresh, empty remote, with a view of the remote folders the port does not offer. */
export interface SupplierGatewayHarness {
  readonly gateway: SupplierGateway;
  /** Every name in Essendant's upload folder, leftover temporary files included. */
  outboundNames(): string[];
  outboundBytes(name: string): Uint8Array | undefined;
  dropInbound(name: string, bytes: Uint8Array): void;
  /** Essendant's folder gains a symlink named `name` (to a file outside the folder). */
  dropSymlink?(name: string): void;
  archivedNames(): string[];
  rejectedNames(): string[];
  dispose(): void;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array | undefined) => (data ? new TextDecoder().decode(data) : undefined);

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<IntegrationError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, IntegrationError);
    assert.is((error as IntegrationError).code, code);
    return error as IntegrationError;
  }
  throw new Error(`expected IntegrationError ${code}`);
}

/** The SupplierGateway contract (spec/essendant README, upload and download protocols). */
export function supplierGatewayContract(
  label: string,
  make: (maxInboundBytes: number) => SupplierGatewayHarness,
): void {
  const test = suite<{ h: SupplierGatewayHarness }>(`SupplierGateway contract: ${label}`);
  test.before.each((ctx) => {
    ctx.h = make(64);
  });
  test.after.each((ctx) => ctx.h.dispose());

  test("a sent file appears under its final name with the same bytes and no .tmp is left", async ({ h }) => {
    const session = await h.gateway.open();
    assert.equal(await session.send({ fileName: "PO_123456_A-1.json", bytes: bytes("{}\n") }), {
      kind: "sent",
    });
    await session.close();
    assert.equal(h.outboundNames(), ["PO_123456_A-1.json"]);
    assert.is(text(h.outboundBytes("PO_123456_A-1.json")), "{}\n");
  });

  test("re-sending the same bytes reports already-there", async ({ h }) => {
    const session = await h.gateway.open();
    await session.send({ fileName: "PO_1.json", bytes: bytes("same") });
    assert.equal(await session.send({ fileName: "PO_1.json", bytes: bytes("same") }), {
      kind: "already-there",
    });
    assert.equal(h.outboundNames(), ["PO_1.json"]);
  });

  test("a different file under an existing name is a conflict and the remote file is untouched", async ({
    h,
  }) => {
    const session = await h.gateway.open();
    await session.send({ fileName: "PO_1.json", bytes: bytes("first") });
    const error = await rejectsWith(
      session.send({ fileName: "PO_1.json", bytes: bytes("second, longer") }),
      "REMOTE_FILE_CONFLICT",
    );
    assert.is(error.retryable, false);
    assert.is(text(h.outboundBytes("PO_1.json")), "first");
    assert.equal(h.outboundNames(), ["PO_1.json"]);
  });

  test("a name that could leave the folder is refused", async ({ h }) => {
    const session = await h.gateway.open();
    await rejectsWith(session.send({ fileName: "../PO_1.json", bytes: bytes("x") }), "INVALID_FILE_NAME");
    await rejectsWith(session.send({ fileName: "..", bytes: bytes("x") }), "INVALID_FILE_NAME");
    await rejectsWith(session.fetch({ name: "a/b.json", size: 1 }), "INVALID_FILE_NAME");
  });

  test("listInbound skips dot, .tmp, .part and .filepart files and sorts by name", async ({ h }) => {
    for (const name of ["b.json", ".hidden", "c.json.tmp", "d.json.part", "e.json.filepart", "a.json"]) {
      h.dropInbound(name, bytes(name));
    }
    const session = await h.gateway.open();
    assert.equal(await session.listInbound(), [
      { name: "a.json", size: 6 },
      { name: "b.json", size: 6 },
    ]);
  });

  test("hostile names are listed as UNSAFE_NAME and rejected under a safe name, never as themselves", async ({
    h,
  }) => {
    const hostile = ["ACK\nforged.json", `ACK_${"x".repeat(200)}.json`, "ACK_..json", "ACK$(id).json"];
    for (const name of hostile) h.dropInbound(name, bytes("{}"));
    h.dropInbound("ACK_ok.json", bytes("{}"));
    const session = await h.gateway.open();
    const listed = await session.listInbound();
    assert.equal(
      listed
        .filter((f) => f.problem === "UNSAFE_NAME")
        .map((f) => f.name)
        .sort(),
      [...hostile].sort(),
    );
    assert.equal(
      listed.filter((f) => !f.problem).map((f) => f.name),
      ["ACK_ok.json"],
    );
    for (const file of listed.filter((f) => f.problem)) await session.reject(file);
    assert.equal(
      (await session.listInbound()).map((f) => f.name),
      ["ACK_ok.json"],
    );
    assert.is(h.rejectedNames().length, hostile.length);
    assert.ok(h.rejectedNames().every((n) => /^unsafe-name-[0-9a-f]{16}$/.test(n)));
  });

  test("a symlink is listed as NOT_A_REGULAR_FILE, never read, and can be rejected", async ({ h }) => {
    if (!h.dropSymlink) return;
    h.dropSymlink("ACK_link.json");
    const session = await h.gateway.open();
    const [link] = await session.listInbound();
    assert.equal(
      { name: link?.name, problem: link?.problem },
      { name: "ACK_link.json", problem: "NOT_A_REGULAR_FILE" },
    );
    if (!link) return;
    await rejectsWith(session.fetch(link), "INBOUND_NOT_A_FILE");
    await session.reject(link);
    assert.equal(await session.listInbound(), []);
  });

  test("fetch returns the file's bytes", async ({ h }) => {
    h.dropInbound("ACK_1.json", bytes('{"x":1}'));
    const session = await h.gateway.open();
    const [file] = await session.listInbound();
    assert.ok(file);
    assert.is(text(await session.fetch(file)), '{"x":1}');
  });

  test("archive and reject move files out of the listing, keeping both copies of a repeated name", async ({
    h,
  }) => {
    h.dropInbound("a.json", bytes("a"));
    h.dropInbound("b.json", bytes("b"));
    const session = await h.gateway.open();
    const [a, b] = await session.listInbound();
    assert.ok(a && b);
    await session.archive(a);
    await session.reject(b);
    assert.equal(await session.listInbound(), []);
    h.dropInbound("a.json", bytes("a again"));
    await session.archive({ name: "a.json", size: 7 });
    assert.equal(h.archivedNames(), ["a.json", "a.json.1"]);
    assert.equal(h.rejectedNames(), ["b.json"]);
  });

  test("fetching a file over the size limit throws INBOUND_TOO_LARGE, not retryable", async ({ h }) => {
    h.dropInbound("big.json", new Uint8Array(65));
    const session = await h.gateway.open();
    const [file] = await session.listInbound();
    assert.ok(file);
    const error = await rejectsWith(session.fetch(file), "INBOUND_TOO_LARGE");
    assert.is(error.retryable, false);
  });

  test.run();
}
