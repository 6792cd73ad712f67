import type { AmazonOrder, AmazonOrderItem } from "../../domain/amazon-order.js";
import { type AddressType, ShipTo } from "../../domain/ship-to.js";
import { addDays, utcSeconds } from "../../domain/time.js";
import {
  COMPANY_WORDS,
  type DemoSku,
  FIRST_NAMES,
  LAST_NAMES,
  LONG_STREETS,
  PAPER_PAIR,
  PLACES,
  SKUS,
  STREETS,
  UNITS,
  UNMAPPED_SKU,
} from "./sample-catalog.js";

/**
 * Demo order n, recreated identically by every process from (seed, n): the order id encodes n
 * (scrambled, with a seed-dependent check), so a confirmation can be matched to its order.
 */

const TWO_32 = 2 ** 32;

function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** mulberry32: small, fast and the same on every JavaScript runtime. */
function random(seed: number, n: number): () => number {
  let a = hash32(seed, n % TWO_32, Math.floor(n / TWO_32));
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / TWO_32;
  };
}

// Order id = prefix-[10 digits: n scrambled mod 10^10][4 check digits], split 3-7-7.
const MOD = 10n ** 10n;
const SCRAMBLE = 3_817_296_493n; // coprime to 10, hence invertible mod 10^10
const OFFSET = 4_102_958_617n;
const PREFIXES = ["111", "112", "113", "114"] as const;

function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [a, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}
const UNSCRAMBLE = inverse(SCRAMBLE, MOD);

const checkDigits = (seed: number, n: number) =>
  String(hash32(seed, n % TWO_32, Math.floor(n / TWO_32), 77) % 10_000);
const prefix = (seed: number, n: number) => PREFIXES[hash32(seed, n % TWO_32, 3) % PREFIXES.length] as string;

export function sampleOrderId(seed: number, n: number): string {
  const body =
    ((BigInt(n) * SCRAMBLE + OFFSET) % MOD).toString().padStart(10, "0") +
    checkDigits(seed, n).padStart(4, "0");
  return `${prefix(seed, n)}-${body.slice(0, 7)}-${body.slice(7)}`;
}

/** The index n of an order id this marketplace made with `seed`, or undefined for any other id. */
export function sampleOrderIndex(seed: number, orderId: string): number | undefined {
  const match = /^(\d{3})-(\d{7})-(\d{7})$/.exec(orderId);
  if (!match) return undefined;
  const body = `${match[2]}${match[3]}`;
  const n = Number(((((BigInt(body.slice(0, 10)) - OFFSET) % MOD) + MOD) * UNSCRAMBLE) % MOD);
  return sampleOrderId(seed, n) === orderId ? n : undefined;
}

/** Picked 75% / 15% / 10%. */
const SERVICE = [
  { level: "STANDARD", shipDays: 2, deliveryDays: 7 },
  { level: "SECOND_DAY", shipDays: 1, deliveryDays: 3 },
  { level: "NEXT_DAY", shipDays: 1, deliveryDays: 2 },
] as const;

export interface SampleOrderOptions {
  readonly seed: number;
  readonly intervalSeconds: number;
  readonly marketplaceId: string;
}

export function sampleOrder(n: number, options: SampleOrderOptions): AmazonOrder {
  const r = random(options.seed, n);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
  const created = new Date(n * options.intervalSeconds * 1000);

  const roll = r();
  const service = roll < 0.75 ? SERVICE[0] : roll < 0.9 ? SERVICE[1] : SERVICE[2];
  const easyShip = r() < 1 / 9;
  const itemCount = 1 + (r() < 0.45 ? 1 : 0) + (r() < 0.3 ? 1 : 0);
  const chosen: DemoSku[] = [];
  if (r() < 1 / 8) chosen.push(...PAPER_PAIR);
  if (r() < 1 / 13) chosen.push(UNMAPPED_SKU);
  while (chosen.length < itemCount) {
    const sku = pick(SKUS);
    if (!chosen.some((c) => c.sku === sku.sku)) chosen.push(sku);
  }
  const items: AmazonOrderItem[] = chosen.map((sku) => ({
    orderItemId: `${1_000_000 + Math.floor(r() * 9_000_000)}${String(Math.floor(r() * 10_000_000)).padStart(7, "0")}`,
    sellerSku: sku.sku,
    asin: sku.asin,
    quantityOrdered: r() < 0.7 ? 1 : 2 + Math.floor(r() * 2),
    unitPrice: sku.unitPrice,
  }));

  const last = pick(LAST_NAMES);
  const name = `${pick(FIRST_NAMES)} ${last}`;
  const long = r() < 1 / 10;
  const line1 = `${100 + Math.floor(r() * 9800)} ${long ? pick(LONG_STREETS) : pick(STREETS)}`;
  const addressType: AddressType = r() < 0.25 ? "COMMERCIAL" : "RESIDENTIAL";
  const unit = r() < 0.3 ? pick(UNITS) : undefined;
  const place = pick(PLACES);
  const shipTo = ShipTo.of({
    name,
    ...(addressType === "COMMERCIAL" ? { company: `${last} ${pick(COMPANY_WORDS)}` } : {}),
    line1,
    ...(unit ? { line2: unit } : {}),
    city: place.city,
    stateOrRegion: place.state,
    postalCode: place.zip,
    countryCode: "US",
    addressType,
  });

  return {
    facts: {
      orderId: sampleOrderId(options.seed, n),
      marketplaceId: options.marketplaceId,
      purchaseDate: utcSeconds(created),
      lastUpdatedTime: utcSeconds(created),
      status: "UNSHIPPED",
      fulfilledBy: "MERCHANT",
      serviceLevel: service.level,
      programs: easyShip ? ["AMAZON_EASY_SHIP"] : [],
      latestShipDate: utcSeconds(addDays(created, service.shipDays)),
      latestDeliveryDate: utcSeconds(addDays(created, service.deliveryDays)),
      items,
    },
    shipTo,
  };
}
