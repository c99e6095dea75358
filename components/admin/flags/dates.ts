// The console's expiry field is a calendar date; a flag expires at the start of that day in
// Phnom Penh (the platform's time zone), so the date shown is the date chosen.
const TIME_ZONE = "Asia/Phnom_Penh";
const OFFSET = "+07:00";

/** `YYYY-MM-DD` from a date input → the instant it stands for (an invalid Date when empty or malformed). */
export function expiryFromDateInput(value: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00${OFFSET}`) : new Date(Number.NaN);
}

/** An instant → the `YYYY-MM-DD` a date input shows for it. */
export function dateInputValue(date: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

/** Today + `days`, as a date-input value (the form's default expiry). */
export function dateInputInDays(days: number, now = new Date()): string {
  return dateInputValue(new Date(now.getTime() + days * 86_400_000));
}
