import { getLocale, getT } from "@/server/core/page-context";
import type { PayPageData } from "@/components/payments/pay-page";
import { formatMoney } from "@/lib/money";

// USD and riel on the renter's pay page (docs/CURRENCY.md): the invoice's total in the other
// currency at the rate of its issue day, and the choice to pay what is due in the other currency
// at today's rate (a link: the server renders the QR in that currency, no JavaScript for it).
// Nothing without a rate: a rate is never made up.

export type PayInCurrency = "USD" | "KHR";

/** The currency the renter chose (`?pay=KHR`), when the invoice can be paid in it today. */
export function payInFrom(view: PayPageData, pay: string | string[] | undefined): PayInCurrency | null {
  const other = view.payInOther;
  return other && view.khqr && pay === other.currency ? other.currency : null;
}

const rate = (khrPerUsd: number) => new Intl.NumberFormat("en-US").format(khrPerUsd);

export async function PayCurrencyChoice({ view, payIn }: { view: PayPageData; payIn: PayInCurrency | null }) {
  const eq = view.equivalent;
  const other = view.khqr ? view.payInOther : null;
  if (!eq && !other) return null;
  const [t, locale] = await Promise.all([getT(), getLocale()]);
  const label = (c: string) => (c === "KHR" ? t("currency.pay.inRiel") : t("currency.pay.inDollars"));
  const option = (active: boolean) =>
    `flex min-h-11 items-center justify-center rounded-lg px-3 text-center font-medium ring-1 ${
      active ? "bg-teal-700 text-white ring-teal-700" : "bg-white text-teal-800 ring-slate-300 hover:bg-slate-50"
    }`;
  return (
    <section className="space-y-3 rounded-2xl bg-white p-4 text-sm shadow-sm ring-1 ring-slate-200" data-testid="pay-currency">
      {eq ? (
        <p className="text-slate-600 tabular-nums" data-testid="pay-equivalent">
          {t("currency.equivalent", { amount: formatMoney(eq.amount, eq.currency, locale), rate: rate(eq.khrPerUsd) })}
        </p>
      ) : null}
      {other ? (
        <>
          <nav className="grid grid-cols-2 gap-2" aria-label={t("currency.pay.choose")}>
            <a href="?" className={option(payIn === null)} aria-current={payIn === null ? "page" : undefined} data-testid="pay-in-invoice">
              {label(view.invoice.currency)}
            </a>
            <a
              href={`?pay=${other.currency}`}
              className={option(payIn !== null)}
              aria-current={payIn !== null ? "page" : undefined}
              data-testid="pay-in-other"
            >
              {label(other.currency)}
            </a>
          </nav>
          {payIn ? (
            <p className="text-slate-700 tabular-nums" data-testid="pay-in-other-note">
              {t(other.currency === "KHR" ? "currency.pay.rielNote" : "currency.pay.dollarNote", {
                amount: formatMoney(other.amount, other.currency, locale),
                rate: rate(other.khrPerUsd),
              })}
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
