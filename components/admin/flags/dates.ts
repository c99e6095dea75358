import { addDays, dateToDay, dayIn, startOfDayIn } from "@/lib/dates";
import { ADMIN_BILLING_TIMEZONE } from "@/lib/schemas/billing";

// The console's expiry field is a calendar date; a flag expires at the start of that day in
// Phnom Penh (the platform's time zone), so the date shown is the date chosen.
const TIME_ZONE = ADMIN_BILLING_TIMEZONE;

/** `YYYY-MM-DD` from a date input → the instant it stands for (an invalid Date when empty or malformed). */
export function expiryFromDateInput(value: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(Number.NaN);
  const day = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(day.getTime()) ? day : startOfDayIn(dateToDay(day), TIME_ZONE);
}

/** An instant → the `YYYY-MM-DD` a date input shows for it. */
export function dateInputValue(date: Date): string {
  return dayIn(date, TIME_ZONE);
}

/** Today + `days`, as a date-input value (the form's default expiry). */
export function dateInputInDays(days: number, now = new Date()): string {
  return dateInputValue(addDays(now, days));
}
