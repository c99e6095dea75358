// Money, the one module: amounts are stored and computed as integer minor units of a currency and
// become decimals only at the edges (what a person sees or types, a spreadsheet, Bakong's API).
//
// - USD is stored in cents (2 digits). KHR is stored in whole riel (0 digits): the riel's sen has
//   not circulated for decades, so 78000 stored is ៛78,000, never divided by 100.
// - Display, decided once for the whole product (workspace, console, e-mails, PDFs): the narrow
//   symbol ("$19.00", "៛78,000" in English; "19.00$", "78,000៛" in Khmer, the order CLDR gives
//   km-KH) with Latin digits in both languages, as the main screens have always shown them.
// - No float ever reaches storage: parsing goes from the typed text's digits straight to an
//   integer, and conversion from a number (Bakong sends major units) refuses sub-unit noise.

/** Digits after the decimal point of each currency's minor unit. */
export const MINOR_DIGITS = { USD: 2, KHR: 0 } as const;

export type Currency = keyof typeof MINOR_DIGITS;

/** The locales money is shown in ("km" or "en"; anything else reads as English). */
type MoneyLocale = "km" | "en" | (string & {});

/** Digits of `currency`'s minor unit (case-insensitive); 2 for a currency we do not know. */
export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency.trim().toUpperCase() as Currency] ?? 2;
}

function intlLocale(locale: MoneyLocale): string {
  return locale === "km" ? "km-KH" : "en-US";
}

/** Minor units → major units as a number, for display arithmetic only (4905 USD → 49.05, 78000 KHR → 78000). */
export function toMajor(minor: number, currency: string): number {
  const digits = minorDigits(currency);
  return digits === 0 ? minor : minor / 10 ** digits;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * `formatMoney(1900, "USD", "en")` → "$19.00"; `formatMoney(78000, "KHR", "en")` → "៛78,000";
 * `formatMoney(78000, "KHR", "km")` → "78,000៛". Negative amounts keep their sign ("-$5.00").
 */
export function formatMoney(minor: number, currency: string, locale: MoneyLocale): string {
  const code = currency.trim().toUpperCase();
  const digits = minorDigits(code);
  const value = digits === 0 ? Math.round(minor) : minor / 10 ** digits;
  try {
    // building an Intl formatter costs far more than formatting (a run formats thousands): one per locale and currency
    const key = `${intlLocale(locale)}|${code}`;
    let f = moneyFormats.get(key);
    if (!f) {
      f = new Intl.NumberFormat(intlLocale(locale), {
        style: "currency",
        currency: code,
        currencyDisplay: "narrowSymbol",
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      if (moneyFormats.size < 64) moneyFormats.set(key, f);
    }
    return f.format(value);
  } catch {
    // not an ISO 4217 code: the amount and the code as written, never an exception in a view
    return `${value.toFixed(digits)} ${code}`;
  }
}

/** Short money for chart axes: `formatMoneyCompact(123450, "USD", "en")` → "$1.2K", 400000 KHR → "៛400K". */
export function formatMoneyCompact(minor: number, currency: string, locale: MoneyLocale): string {
  const code = currency.trim().toUpperCase();
  try {
    return new Intl.NumberFormat(intlLocale(locale), {
      style: "currency",
      currency: code,
      currencyDisplay: "narrowSymbol",
      notation: "compact",
      minimumFractionDigits: 0,
      maximumFractionDigits: 1,
    }).format(toMajor(minor, code));
  } catch {
    return formatMoney(minor, code, locale);
  }
}

/**
 * Minor units → a plain decimal with the currency's digits and no grouping: the value an amount
 * field starts with, a spreadsheet cell, Bakong's USD amount (4900 USD → "49.00", 200000 KHR →
 * "200000", -150 USD → "-1.50"). Exact: no floating-point division.
 */
export function minorToDecimal(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`minor units must be a safe integer (got ${String(minor)})`);
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? "-" : "";
  const abs = String(Math.abs(minor)).padStart(digits + 1, "0");
  return `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/**
 * A plain non-negative decimal ("10.00", "10", "40000") → minor units, or null. Trailing zeros
 * beyond the currency's digits are accepted ("10.000" USD → 1000), other extra digits are not.
 * For machine-written amounts (a KHQR's tag 54); what a person types goes through parseMoney.
 */
export function decimalToMinor(value: string, currency: string): number | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) return null;
  const digits = minorDigits(currency);
  const frac = (m[2] ?? "").replace(/0+$/, "");
  if (frac.length > digits) return null;
  const minor = Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, "0") || "0");
  return Number.isSafeInteger(minor) ? minor : null;
}

/**
 * What a person types → minor units, or null when it is not an amount in that currency:
 * "120", "120.5", "$1,200.25" (USD) → 12000, 12050, 120025; "600,000" or "៛ 600 000" (KHR) →
 * 600000. Spaces, commas, underscores and the $ / ៛ signs are ignored. Refused: negatives,
 * more decimals than the currency has (riel has none: "1.5" KHR is null), anything else that
 * is not a number, and amounts above `max` (minor units) when given.
 */
export function parseMoney(text: string, currency: string, opts: { max?: number } = {}): number | null {
  const cleaned = text.replace(/[\s,_$៛]/g, "");
  const digits = minorDigits(currency);
  const pattern = digits === 0 ? /^\d+$/ : new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`);
  if (!pattern.test(cleaned)) return null;
  const [whole = "", fraction = ""] = cleaned.split(".");
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  if (!Number.isSafeInteger(minor)) return null;
  return opts.max !== undefined && minor > opts.max ? null : minor;
}

/**
 * A major-unit number from an API (Bakong sends USD dollars, KHR riel) → integer minor units:
 * USD 12.5 → 1250 (rounding only float noise, refusing more than 2 decimals), KHR 40000 → 40000
 * (must already be whole). Throws RangeError for anything else: an unknown currency, a negative
 * number, NaN, a sub-cent USD amount, fractional riel.
 */
export function majorToMinor(amount: number, currency: string): number {
  if (typeof amount !== "number" || !Number.isFinite(amount) || amount < 0)
    throw new RangeError(`amount must be a non-negative finite number (got ${String(amount)})`);
  const cur = typeof currency === "string" ? currency.trim().toUpperCase() : "";
  if (cur === "USD") {
    const cents = Math.round(amount * 100);
    if (Math.abs(amount * 100 - cents) > 1e-6) throw new RangeError(`USD amount ${amount} has more than 2 decimals`);
    if (!Number.isSafeInteger(cents)) throw new RangeError(`USD amount ${amount} is out of range`);
    return cents;
  }
  if (cur === "KHR") {
    if (!Number.isSafeInteger(amount)) throw new RangeError(`KHR amount ${amount} must be an integer number of riel`);
    return amount;
  }
  throw new RangeError(`unsupported currency ${String(currency)}`);
}
