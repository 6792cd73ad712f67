/**
 * Freezes a plain value and everything it holds (objects and arrays of JSON data), and returns it.
 * Domain values are immutable by type (`readonly` throughout); a store that keeps and shares the
 * orders it is given freezes them, so a holder that tried to change one would fail at once instead
 * of changing what the next reader gets.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
