import type { OrderStore } from "../ports/order-store.port.js";

/**
 * Records per batch: each commit waits for an fsync and writes every page the batch touched, so a
 * step that recorded every outcome in its own transaction would spend most of its time there (on
 * the store benchmark's disk, 1,000 rather than 250 saves about 5 %; a batch of 1,000 orders is
 * still a transaction of a few hundred milliseconds). A crash loses at most the outcomes of the
 * last batch, which every caller can find again (a re-sent PO is found on the server, a re-read file
 * is a duplicate, a re-confirmed package is an edit at Amazon).
 */
export const BATCH = 1000;

/** `items` in consecutive slices of at most `size`. */
export function* inBatches<T>(items: readonly T[], size = BATCH): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** When a batch is committed: at `size` outcomes, or once its first has waited `maxWaitMs`. */
export interface BatchLimits {
  readonly size: number;
  /** Bounds a commit's length where outcomes arrive slowly (each is a call to a rate-limited API). */
  readonly maxWaitMs?: number;
}

/**
 * Outcomes held until the batch is full (see BatchLimits, checked as each comes) or `flush()`, then
 * written in one transaction, in the order they came; `done` runs for each only once that transaction
 * committed. When it throws, nothing of the batch is recorded, the batch is dropped and the error goes
 * to the caller. Waiting is measured on the monotonic clock, not the wall clock.
 */
export class CommitBatch<T, R> {
  #items: T[] = [];
  #weight = 0;
  #firstAt = 0;

  constructor(
    private readonly store: OrderStore,
    private readonly write: (item: T) => R,
    private readonly done: (item: T, written: R) => void,
    private readonly limits: BatchLimits = { size: BATCH },
  ) {}

  /** Holds `item`, counting as `weight` outcomes, and commits the batch once it is full. */
  add(item: T, weight = 1): void {
    const now = performance.now();
    if (this.#items.length === 0) this.#firstAt = now;
    this.#items.push(item);
    this.#weight += weight;
    const { size, maxWaitMs } = this.limits;
    if (this.#weight >= size || (maxWaitMs !== undefined && now - this.#firstAt >= maxWaitMs)) this.flush();
  }

  /** Commits what is waiting, if anything. */
  flush(): void {
    if (this.#items.length === 0) return;
    const items = this.#items;
    this.#items = [];
    this.#weight = 0;
    const written = this.store.transaction(() => items.map((item) => this.write(item)));
    for (const [i, item] of items.entries()) this.done(item, written[i] as R);
  }
}
