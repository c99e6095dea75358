// Dates, the one module: calendar days and months in a workspace's time zone, and the arithmetic
// on them. Two kinds of value, never mixed:
//
// - A day is "YYYY-MM-DD" and a period (month) "YYYY-MM", as a person in the workspace reads
//   them: comparing them as strings orders them, and the arithmetic below works on them as
//   plain calendar values (on UTC midnights internally), so no server or browser zone leaks in.
//   A DATE column is one of these at midnight UTC (dayToDate / dateToDay).
// - An instant is a Date. Crossing between the two always names the zone (the workspace's
//   `tenant.timezone`; the console's is Asia/Phnom_Penh): dayIn / monthIn / yearIn read the
//   wall calendar of an instant, instantInZone finds the instant of a wall-clock hour. The zone
//   rules come from @date-fns/tz (Intl's tz database), including daylight-saving zones.
import { TZDate } from "@date-fns/tz";

const DAY_MS = 86_400_000;

const pad2 = (n: number) => String(n).padStart(2, "0");

/** A period as written in URLs and inputs: "YYYY-MM" with a real month. */
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

// ── an instant, read in a time zone ──

function wall(at: Date, timeZone: string): TZDate {
  return new TZDate(at.getTime(), timeZone);
}

/** The calendar day of `at` in `timeZone`: 31 Mar 17:30 UTC is "2026-04-01" in Phnom Penh (UTC+7). */
export function dayIn(at: Date, timeZone: string): string {
  const d = wall(at, timeZone);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** Today's calendar day in `timeZone` (the default value of a date field, the invoice run's date). */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return dayIn(now, timeZone);
}

/** The period ("YYYY-MM") of `at` in `timeZone`. */
export function monthIn(at: Date, timeZone: string): string {
  const d = wall(at, timeZone);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}`;
}

/** The calendar year of `at` in `timeZone`: 31 Dec 23:30 in Phnom Penh still belongs to that year. */
export function yearIn(at: Date, timeZone: string): number {
  return wall(at, timeZone).getFullYear();
}

/**
 * The instant at which the clocks of `timeZone` show `hour`:00 on `day` ("YYYY-MM-DD"). Hour 0 is
 * the same boundary as SQL's `day::timestamp AT TIME ZONE tz` (the dashboard's months): a payment
 * at 23:59 local time belongs to that day, one at 00:00 to the next. An hour that a daylight-
 * saving change skips maps to the first instant after the gap.
 */
export function instantInZone(day: string, hour: number, timeZone: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, hour, timeZone).getTime());
}

/** 00:00 on `day` in `timeZone`: where a day (and, on the 1st, a month) of the lists and the dashboard starts. */
export function startOfDayIn(day: string, timeZone: string): Date {
  return instantInZone(day, 0, timeZone);
}

/** Noon of `day` in `timeZone`: a date-only payment stored at noon never slips into the next or previous day. */
export function noonIn(day: string, timeZone: string): Date {
  return instantInZone(day, 12, timeZone);
}

/** [start, end) of the calendar month containing `at`, in `timeZone`. */
export function monthBounds(at: Date, timeZone: string): { start: Date; end: Date } {
  const period = monthIn(at, timeZone);
  return { start: startOfDayIn(`${period}-01`, timeZone), end: startOfDayIn(nextPeriodStart(period), timeZone) };
}

// ── calendar days ("YYYY-MM-DD") ──

/** A day as the DATE value the database stores (midnight UTC). */
export function dayToDate(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

/** A DATE value (midnight UTC) as its day. */
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

// ── periods ("YYYY-MM") ──

/** The period a day belongs to. */
export function periodOfDay(day: string): string {
  return day.slice(0, 7);
}

/** `period` moved by `months` ("2026-01", -1 → "2025-12"; "2026-11", 3 → "2027-02"). */
export function shiftPeriod(period: string, months: number): string {
  const [y, m] = period.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + months, 1));
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}`;
}

/** The period before `period` ("2026-01" → "2025-12"). */
export function previousPeriod(period: string): string {
  return shiftPeriod(period, -1);
}

/** The `count` periods ending with `period`, oldest first. */
export function lastPeriods(period: string, count: number): string[] {
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(shiftPeriod(period, -i));
  return out;
}

/** The first day of the period after `period` ("2026-12" → "2027-01-01"). */
export function nextPeriodStart(period: string): string {
  return `${shiftPeriod(period, 1)}-01`;
}

/** The first and last day of a period ("2028-02" → 2028-02-01 … 2028-02-29). */
export function periodBounds(period: string): { first: string; last: string } {
  const [y, m] = period.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { first: `${period}-01`, last: `${period}-${pad2(last)}` };
}

// ── instants in UTC calendar months (subscription periods) ──

/** `at` plus `days` × 24 hours. */
export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/**
 * `months` calendar months (UTC) after `at`, on `day` of that month (default: `at`'s own day),
 * clamped to that month's last day, at the same time of day: 31 Jan + 1 month = 28/29 Feb, and
 * with day 31 a clamped 29 Feb goes on to 31 Mar.
 */
export function addMonths(at: Date, months: number, day: number = at.getUTCDate()): Date {
  const d = new Date(at.getTime());
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}
