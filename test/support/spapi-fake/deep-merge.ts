/** Objects become optional all the way down; arrays are replaced whole, so they keep their type. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | undefined }
    : T;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A copy of `base` with `changes` merged in: nested objects merge, arrays and scalars replace,
 * and a key given as `undefined` is removed (an order without a recipient, say).
 */
export function deepMerge<T>(base: T, changes: DeepPartial<NoInfer<T>>): T {
  const out: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes as Record<string, unknown>)) {
    if (value === undefined) delete out[key];
    else if (isPlainObject(value) && isPlainObject(out[key])) out[key] = deepMerge(out[key], value);
    else out[key] = structuredClone(value);
  }
  return out as T;
}
