import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import { dayIn } from "@/lib/dates";
import { formatMoney } from "@/lib/money";
import type { Translator } from "@/lib/i18n";
import { equivalent, otherCurrency, type RateCurrency } from "./conversion";
import { rateOn } from "./rate-of-day";

// The other currency's value of an invoice, for every place that shows one (invoice page, pay
// page, PDF, renter portal): a USD invoice in riel and a KHR invoice in dollars, at the rate of the
// invoice's issue day in the workspace's time zone (docs/CURRENCY.md). No rate on or before that
// day: null, and nothing is shown (staff see "no exchange rate set"); a rate is never made up.

export interface InvoiceEquivalent {
  /** the amount in `currency`, minor units, rounded half up (display only) */
  amount: number;
  currency: RateCurrency;
  khrPerUsd: number;
  /** the workspace-local day whose rate was used: the invoice's issue day */
  day: string;
  /** the day the rate took effect (on or before `day`) */
  effectiveDate: string;
}

/**
 * `amount` (minor units of `currency`) in the other currency at the rate of the workspace-local day
 * of `at`; null when the currency has no other (neither USD nor KHR) or no rate is set.
 */
export async function equivalentAt(
  tx: DbTx,
  args: { tenantId: string; amount: number; currency: string; at: Date; timeZone: string },
): Promise<InvoiceEquivalent | null> {
  const other = otherCurrency(args.currency);
  if (!other) return null;
  const day = dayIn(args.at, args.timeZone);
  const rate = await rateOn(tx, args.tenantId, day);
  if (!rate) return null;
  const e = equivalent(args.amount, args.currency as RateCurrency, rate.khrPerUsd);
  return { amount: e.amount, currency: e.currency, khrPerUsd: rate.khrPerUsd, day, effectiveDate: rate.effectiveDate };
}

/** "≈ ៛410,041 at 4,100 riel per dollar": the line shown under an invoice total, in the reader's language. */
export function formatEquivalent(e: Pick<InvoiceEquivalent, "amount" | "currency" | "khrPerUsd">, locale: string, t: Translator): string {
  return t("currency.equivalent", { amount: formatMoney(e.amount, e.currency, locale), rate: formatRate(e.khrPerUsd) });
}

/** 4100 → "4,100" (Latin digits, as money is shown in both languages). */
export function formatRate(khrPerUsd: number): string {
  return new Intl.NumberFormat("en-US").format(khrPerUsd);
}
