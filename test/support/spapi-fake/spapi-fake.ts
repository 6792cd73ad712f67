import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { confirmShipment } from "./confirm-shipment.js";
import { FAULT_REPLIES, FaultQueue, type SpApiFault } from "./faults.js";
import { LwaAuthority, type LwaCredentials } from "./lwa.js";
import { OrderBook } from "./order-book.js";
import { getOrder } from "./order-views.js";
import type { SpApiOrder } from "./orders.js";
import { errorReply, type FakeReply, formatRate, invalidInput, notFound, QUOTA_EXCEEDED } from "./replies.js";
import { type Route, route } from "./router.js";
import { isoTime, SearchOrders } from "./search-orders.js";
import { type RecordedRequest, SpApiFakeState } from "./state.js";
import { type TestCa, testCa } from "./test-ca.js";
import { amazonBuckets, type RateLimit, type ThrottledOperation } from "./token-buckets.js";

/** The app credentials the fake accepts unless told otherwise (invented, not secret). */
export const FAKE_LWA_CREDENTIALS: LwaCredentials = {
  clientId: "amzn1.application-oa2-client.5c0ffee0d15ea5e0a11ce0b0b0c0ffee",
  clientSecret: "amzn1.oa2-cs.v1.fake0secret0for0tests0only0000000000000000000000000000000000000000",
  refreshToken: "Atzr|IwEBIFakeRefreshTokenForTheSpApiFakeOnly-0000000000000000000000000000",
};

export interface SpApiFakeOptions extends Partial<LwaCredentials> {
  /** expires_in of issued access tokens, in seconds of the fake's clock (default 3600). */
  readonly tokenExpiresInSeconds?: number;
  /** Multiplies every bucket's refill rate (default 1: Amazon's rates; 1000 turns 0.0056/s into 5.6/s). */
  readonly speedFactor?: number;
  /** Replaces Amazon's rate/burst for some operations (before speedFactor). */
  readonly rateLimits?: Partial<Record<ThrottledOperation, RateLimit>>;
  /** The fake's clock: token expiry, the 2-minute rule, paginationToken age, updateOrder times. */
  readonly now?: () => Date;
  /** The buckets' monotonic clock in ms (default performance.now()); separate so a fixed `now` still refills. */
  readonly bucketClockMs?: () => number;
  /** Orders present from the start. */
  readonly orders?: readonly SpApiOrder[];
  /** Certificate to serve (default: testCa(), generated once per process). */
  readonly tls?: TestCa;
}

export interface SpApiFake {
  /** Listening on 127.0.0.1. */
  readonly port: number;
  /** The CA that signed the fake's certificate: the `caFile` a client config points at. */
  readonly caFile: string;
  readonly ca: string;
  readonly state: SpApiFakeState;
  /** Destroys every open socket (hanging requests included) and stops the server. */
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const RATE_HEADER_STATUSES = new Set([200, 204, 400, 404, 429]);

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Starts the fake on 127.0.0.1 on a free port; every host name arrives there through a loopback agent. */
export async function startSpApiFake(options: SpApiFakeOptions = {}): Promise<SpApiFake> {
  const tls = options.tls ?? testCa();
  const nowMs = () => (options.now ? options.now().getTime() : Date.now());
  const credentials: LwaCredentials = {
    clientId: options.clientId ?? FAKE_LWA_CREDENTIALS.clientId,
    clientSecret: options.clientSecret ?? FAKE_LWA_CREDENTIALS.clientSecret,
    refreshToken: options.refreshToken ?? FAKE_LWA_CREDENTIALS.refreshToken,
  };
  const book = new OrderBook();
  const lwa = new LwaAuthority(credentials, options.tokenExpiresInSeconds ?? 3600, nowMs);
  const faults = new FaultQueue();
  const state = new SpApiFakeState(book, lwa, faults, nowMs);
  state.addOrders(options.orders ?? []);
  const buckets = amazonBuckets(
    options.speedFactor ?? 1,
    options.bucketClockMs ?? (() => performance.now()),
    options.rateLimits,
  );
  const search = new SearchOrders(book);

  /** The real answer: access token, then the bucket, then the operation. */
  function answer(found: Route, req: IncomingMessage, body: string): FakeReply {
    const op = found.operation;
    if (op === "lwaToken") return lwa.grant(String(req.headers["content-type"] ?? ""), body);
    const header = req.headers["x-amz-access-token"];
    const refused = lwa.refuse(Array.isArray(header) ? header[0] : header);
    if (refused) return refused;
    if (!buckets[op].take()) return QUOTA_EXCEEDED;
    const url = new URL(req.url ?? "/", "https://fake.invalid");
    if (op === "searchOrders") return search.handle(url.searchParams, nowMs());
    if (op === "getOrder") return getOrder(book, found.orderId ?? "", url.searchParams);
    if (!String(req.headers["content-type"] ?? "").startsWith("application/json"))
      return errorReply(415, "UnsupportedMediaType", "The request must have Content-Type application/json");
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return invalidInput("The request body is not valid JSON");
    }
    return confirmShipment(book, found.orderId ?? "", parsed, isoTime(nowMs()));
  }

  function send(
    res: ServerResponse,
    record: RecordedRequest | undefined,
    reply: FakeReply,
    cut = false,
  ): void {
    const op = record?.operation;
    const headers: Record<string, string> = { "x-amzn-RequestId": record?.requestId ?? randomUUID() };
    if (op && op !== "lwaToken" && reply.rateHeader !== false && RATE_HEADER_STATUSES.has(reply.status))
      headers["x-amzn-RateLimit-Limit"] = formatRate(buckets[op].limit.rate);
    let text = reply.body === undefined ? "" : JSON.stringify(reply.body);
    let status = reply.status;
    if (cut) {
      text = (text || '{"accepted":true}').slice(0, Math.max(1, Math.floor((text || "{}").length / 2)));
      status = 200;
    }
    if (text !== "") headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(text));
    if (record) record.status = status;
    if (op && status === 429) state.count(op, "throttled");
    res.writeHead(status, headers);
    res.end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "https://fake.invalid");
    const found = route(String(req.headers.host ?? ""), req.method ?? "", url.pathname);
    if (!found) return send(res, undefined, notFound("Resource not found"));
    const record: RecordedRequest = {
      requestId: randomUUID(),
      operation: found.operation,
      host: String(req.headers.host ?? ""),
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      rawQuery: url.search.replace(/^\?/, ""),
      headers: req.headers,
      body: body ?? "",
      at: isoTime(nowMs()),
    };
    state.requests.push(record);
    state.count(found.operation, "requests");
    if (body === undefined)
      return send(res, record, errorReply(413, "RequestEntityTooLarge", "The request is too large"));
    const fault: SpApiFault | undefined = faults.take(found.operation);
    if (fault) {
      record.fault = fault;
      state.count(found.operation, "faults");
      if (fault === "connection-reset") return void req.socket.destroy();
      if (fault === "hang") return;
      const fixed = FAULT_REPLIES[fault];
      if (fixed) return send(res, record, fixed);
    }
    send(res, record, answer(found, req, body), fault === "truncated-json");
  }

  const sockets = new Set<Socket>();
  const server = https.createServer({ key: tls.key, cert: tls.cert, minVersion: "TLSv1.2" }, (req, res) => {
    handle(req, res).catch((error: Error) => {
      state.fakeErrors.push(error);
      if (!res.headersSent) send(res, undefined, errorReply(500, "InternalFailure", "fake error"));
    });
  });
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  server.on("connection", track);
  server.on("secureConnection", track);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    port,
    caFile: tls.caFile,
    ca: tls.ca,
    state,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
