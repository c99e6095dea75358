// Money for people: integer minor units in, a localized string out (Intl, never floats in storage).
// USD is stored in cents and shown with 2 decimals; KHR (riel) has no minor unit and shows as an
// integer with the riel sign ៛.
import type { Locale } from "@/lib/i18n";

/** Digits after the decimal point of each currency's minor unit. */
const MINOR_DIGITS: Record<string, number> = { USD: 2, KHR: 0 };

function intlLocale(locale: Locale | string): string {
  return locale === "km" ? "km-KH" : "en-US";
}

/** `formatMoney(1900, "USD", "en")` → "$19.00"; `formatMoney(78000, "KHR", "en")` → "៛78,000". */
export function formatMoney(minor: number, currency: string, locale: Locale | string): string {
  const code = currency.toUpperCase();
  const digits = MINOR_DIGITS[code] ?? 2;
  const value = digits === 0 ? Math.round(minor) : minor / 10 ** digits;
  return new Intl.NumberFormat(intlLocale(locale), {
    style: "currency",
    currency: code,
    currencyDisplay: "narrowSymbol",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}
