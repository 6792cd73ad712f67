/**
 * The order cursor of the sp-api plugin: an ISO 8601 instant, the `lastUpdatedAfter` of the next
 * poll before the overlap is subtracted. It is Amazon's own `lastUpdatedBefore` from the last page
 * of a poll, so Amazon's clock, not ours, decides where the next poll starts.
 */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Re-read this much before the cursor: clock skew between Amazon's hosts must not hide an update. */
export const CURSOR_OVERLAP_MS = 5 * 60_000;

/** The instant in a cursor, or undefined when it is not one of ours (e.g. left by another plugin). */
export function cursorInstant(cursor: string): number | undefined {
  if (!ISO_INSTANT.test(cursor)) return undefined;
  const at = Date.parse(cursor);
  return Number.isNaN(at) ? undefined : at;
}

/** An instant as Amazon writes it: whole seconds, UTC. */
export function amazonInstant(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, "Z");
}
