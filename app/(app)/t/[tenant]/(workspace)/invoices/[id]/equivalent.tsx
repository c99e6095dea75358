import Link from "next/link";
import { getLocale, getServerCaller, getT } from "@/server/core/page-context";
import { formatMoney } from "@/lib/money";

// The invoice's total in the other currency at the rate of its issue day (docs/CURRENCY.md), or,
// for staff, that no rate is set for that day (with the way to set one). A server component.
export async function InvoiceEquivalent({ invoiceId }: { invoiceId: string }) {
  const caller = await getServerCaller();
  const r = await caller.exchangeRates.invoiceEquivalent({ invoiceId }).catch(() => null);
  if (!r?.applicable) return null;
  const [t, locale] = await Promise.all([getT(), getLocale()]);
  const e = r.equivalent;
  return (
    <p className="mb-3 text-sm text-slate-600 tabular-nums" data-testid="invoice-equivalent">
      {e ? (
        t("currency.equivalent", {
          amount: formatMoney(e.amount, e.currency, locale),
          rate: new Intl.NumberFormat("en-US").format(e.khrPerUsd),
        })
      ) : (
        <>
          {t("currency.noRate", { day: r.day })}{" "}
          <Link href="/settings" className="text-teal-800 underline underline-offset-2">
            {t("currency.rates.title")}
          </Link>
        </>
      )}
    </p>
  );
}
