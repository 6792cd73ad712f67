/**
 * Freezes a plain value and everything it holds (objects and arrays of JSON data), and returns it.
 * Domain values are immutable by type (`readonly` throughout); a store that keeps and shares the
 * orders it is given freezes them, so a holder that tried to change one would fail at once instead
 * of changing what the next reader gets.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    // Plain data: own enumerable keys only, so `for…in` needs no key array (it runs on every save).
    if (Array.isArray(value)) for (const item of value) deepFreeze(item);
    else for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
