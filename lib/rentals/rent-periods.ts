// Calendar arithmetic for the invoice run and the overdue job. Days are "YYYY-MM-DD" strings in the
// tenant's timezone and periods "YYYY-MM": comparing them as strings orders them, and no Date ever
// carries a timezone into the arithmetic (each helper works on UTC midnights internally).

const DAY_MS = 86_400_000;

/** The calendar day of `at` in `timeZone` ("YYYY-MM-DD"). */
export function localDay(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/**
 * The instant at which the clocks of `timeZone` show `hour`:00 on `day` ("YYYY-MM-DD"). Hour 0 is
 * the same boundary as SQL's `day::timestamp AT TIME ZONE tz` (the dashboard's months): a payment
 * at 23:59 local time belongs to that day, one at 00:00 to the next.
 */
export function instantInZone(day: string, hour: number, timeZone: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d, hour);
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const offsetAt = (t: number) => {
    const p = Object.fromEntries(fmt.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    return Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!) - Math.floor(t / 1000) * 1000;
  };
  // twice: the offset at the result may differ from the one at the guess (a daylight-saving change)
  return new Date(guess - offsetAt(guess - offsetAt(guess)));
}

/** The period ("YYYY-MM") a day belongs to. */
export function periodOfDay(day: string): string {
  return day.slice(0, 7);
}

/** The period before `period` ("2026-01" → "2025-12"). */
export function previousPeriod(period: string): string {
  const [y, m] = period.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

export function dayToDate(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

export function dateToDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** `day` plus `n` calendar days (n may be negative). */
export function addDaysToDay(day: string, n: number): string {
  return dateToDay(new Date(dayToDate(day).getTime() + n * DAY_MS));
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((dayToDate(b).getTime() - dayToDate(a).getTime()) / DAY_MS);
}

/** The first day of the period after `period` ("2026-12" → "2027-01-01"). */
export function nextPeriodStart(period: string): string {
  const [y, m] = period.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
}

/** The first and last day of a period. */
export function periodBounds(period: string): { first: string; last: string } {
  const [y, m] = period.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { first: `${period}-01`, last: `${period}-${String(last).padStart(2, "0")}` };
}

/** A reminder offset as it appears in dedupe keys and the UI: -3 → "D-3", 1 → "D+1". */
export function offsetLabel(n: number): string {
  return n < 0 ? `D${n}` : `D+${n}`;
}

/** Late fee of an overdue invoice: a fixed amount, or basis points of its total (rounded half up). */
export function lateFeeAmount(rule: { type: "none" | "fixed" | "percent"; value: number }, invoiceTotal: number): number {
  if (rule.type === "fixed") return Math.max(0, rule.value);
  if (rule.type === "percent") return Math.max(0, Math.round((invoiceTotal * rule.value) / 10_000));
  return 0;
}

export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
