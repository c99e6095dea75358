import type { BillingIntervalName } from "@/lib/billing/plans";
import { addMonths } from "@/lib/dates";

// Subscription periods: whole calendar months (UTC) from the period's start, via lib/dates.ts's
// clamped addMonths.

export function periodEnd(start: Date, interval: BillingIntervalName): Date {
  return addMonths(start, interval === "month" ? 1 : 12);
}

/**
 * The end of the period that follows `current` (which ends where the next one starts), billed at
 * `nextInterval`. A whole calendar period keeps its start's day as the anchor: one that began on
 * 31 January and was clamped to 29 February goes on to 31 March, 30 April, 31 May — not to the
 * 29th for ever after. Any other period (a 14-day trial) anchors on its own end.
 */
export function nextPeriodEnd(current: { start: Date; end: Date; interval: BillingIntervalName }, nextInterval: BillingIntervalName): Date {
  const whole = periodEnd(current.start, current.interval).getTime() === current.end.getTime();
  const anchorDay = whole ? current.start.getUTCDate() : current.end.getUTCDate();
  return addMonths(current.end, nextInterval === "month" ? 1 : 12, anchorDay);
}

/**
 * The price difference for the rest of a period, in whole minor units, rounded up to the unit
 * so an upgrade is never billed below its cost. Never negative.
 */
export function proratedAmount(oldPrice: number, newPrice: number, periodStart: Date, periodEndAt: Date, now: Date): number {
  const total = periodEndAt.getTime() - periodStart.getTime();
  if (total <= 0) return 0;
  const remaining = Math.min(Math.max(periodEndAt.getTime() - now.getTime(), 0), total);
  const diff = newPrice - oldPrice;
  if (diff <= 0) return 0;
  return Math.ceil((diff * remaining) / total);
}

/** Days before the period ends at which the renewal invoice is issued. */
export const RENEWAL_LEAD_DAYS = 7;
/** Days before/after the due date on which a reminder for an open invoice goes out. */
export const REMINDER_OFFSETS_DAYS = [-3, 1, 3] as const;
