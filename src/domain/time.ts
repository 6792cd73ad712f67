const DAY_MS = 86_400_000;

/** An instant as `YYYY-MM-DDTHH:MM:SSZ`, the form Essendant's UtcDateTime and Amazon expect. */
export function utcSeconds(value: string | Date): string {
  const date = typeof value === "string" ? new Date(value) : value;
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function addDays(value: string | Date, days: number): Date {
  const date = typeof value === "string" ? new Date(value) : value;
  return new Date(date.getTime() + days * DAY_MS);
}
