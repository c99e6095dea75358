// USD ↔ KHR arithmetic, the one place (docs/CURRENCY.md). Pure and exact: amounts are integer
// minor units (USD cents, whole riel), a rate is whole riel per US dollar, and every division is an
// integer division in BigInt with its rounding named here. No float ever decides a unit.
//
// - quote: what to ask in the other currency for an open amount, rounded UP (riel to the next
//   100, as Cambodian cashiers and KHQR amounts do; dollars to the next cent): the payer never pays
//   less than the open amount is worth.
// - credited: what a payment received in the other currency is worth in the invoice's currency.
//   Paying the quote credits exactly the open amount: the up-to-100-riel (or sub-cent) rounding is
//   absorbed, never turned into credit. Anything received beyond the quote is converted rounding
//   DOWN and becomes credit as any overpayment does. Less than the quote is converted rounding
//   DOWN too, and never more than the open amount. So a payment never invents a unit of the
//   invoice's currency, and loses at most the rounding band (< 100 riel, or < 1 cent) to it.
// - equivalent: the other currency's value for display only, rounded half up.

export type RateCurrency = "USD" | "KHR";

/** The rate's bounds (also a CHECK constraint on ExchangeRate and Payment): whole riel per dollar. */
export const MIN_KHR_PER_USD = 1000;
export const MAX_KHR_PER_USD = 100_000;
/** Riel amounts asked in the other currency are multiples of this. */
export const RIEL_ROUNDING = 100;

export function otherCurrency(currency: string): RateCurrency | null {
  if (currency === "USD") return "KHR";
  if (currency === "KHR") return "USD";
  return null;
}

function check(minor: number, rate: number): void {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`amount must be a non-negative integer, got ${minor}`);
  if (!Number.isSafeInteger(rate) || rate < MIN_KHR_PER_USD || rate > MAX_KHR_PER_USD)
    throw new RangeError(`rate must be whole riel per dollar in ${MIN_KHR_PER_USD}..${MAX_KHR_PER_USD}, got ${rate}`);
}

const floorDiv = (a: bigint, b: bigint): bigint => a / b; // both non-negative
const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;
const roundDiv = (a: bigint, b: bigint): bigint => (2n * a + b) / (2n * b); // half up

function num(v: bigint): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError("amount out of range");
  return n;
}

/**
 * The amount to ask in `payIn` for `open` minor units of `currency` at `rate`: riel rounded up to
 * the next 100, cents rounded up to the next cent. `quote(10001, "USD", 4100)` → 410,100 riel.
 */
export function quote(open: number, currency: RateCurrency, rate: number): number {
  check(open, rate);
  const a = BigInt(open);
  const r = BigInt(rate);
  if (currency === "USD") {
    const riel = ceilDiv(a * r, 100n);
    return num(ceilDiv(riel, BigInt(RIEL_ROUNDING)) * BigInt(RIEL_ROUNDING));
  }
  return num(ceilDiv(a * 100n, r)); // KHR invoice → cents
}

/** `received` minor units of the other currency in `invoiceCurrency`, rounded down (never invents a unit). */
export function convertDown(received: number, invoiceCurrency: RateCurrency, rate: number): number {
  check(received, rate);
  const a = BigInt(received);
  const r = BigInt(rate);
  // USD invoice: riel → cents; KHR invoice: cents → riel
  return num(invoiceCurrency === "USD" ? floorDiv(a * 100n, r) : floorDiv(a * r, 100n));
}

/**
 * What `received` (minor units of the other currency) is worth on an invoice in `invoiceCurrency`
 * with `open` minor units still due, at `rate`. See the rule at the top of this file.
 */
export function credited(received: number, invoiceCurrency: RateCurrency, open: number, rate: number): number {
  check(received, rate);
  check(open, rate);
  const q = quote(open, invoiceCurrency, rate);
  if (received >= q) return open + convertDown(received - q, invoiceCurrency, rate);
  return Math.min(open, convertDown(received, invoiceCurrency, rate));
}

/** For display: `amount` of `currency` in the other currency at `rate`, rounded half up. */
export function equivalent(amount: number, currency: RateCurrency, rate: number): { amount: number; currency: RateCurrency } {
  const negative = amount < 0;
  const abs = Math.abs(amount);
  check(abs, rate);
  const a = BigInt(abs);
  const r = BigInt(rate);
  const v = num(currency === "USD" ? roundDiv(a * r, 100n) : roundDiv(a * 100n, r));
  return { amount: negative ? -v : v, currency: currency === "USD" ? "KHR" : "USD" };
}
