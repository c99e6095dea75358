"use client";
import Link from "next/link";
import { useCan } from "@/components/layout/permissions";
import { payHref, pdfHref, type BillingFormat, type BillingOverview } from "./format";

/** Invoices waiting for payment, each with "Pay with KHQR". */
export function OpenInvoices({ overview, f }: { overview: BillingOverview; f: BillingFormat }) {
  const { t } = f;
  const canManage = useCan()("billing.manage");
  const invoices = overview.openInvoices;
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="open-invoices">
      <h2 className="mb-3 text-lg font-semibold text-slate-900">{t("billing.invoices.openTitle")}</h2>
      {invoices.length === 0 ? (
        <p className="text-sm text-slate-500">{t("billing.invoices.openEmpty")}</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {invoices.map((inv) => (
            <li
              key={inv.id}
              data-testid={`open-invoice-${inv.number}`}
              className="flex flex-col gap-3 py-3 first:pt-0 last:pb-0 sm:flex-row sm:items-center sm:justify-between"
            >
              <div className="min-w-0">
                <p className="font-medium text-slate-900">
                  {f.invoiceDescription(inv)}
                  <span className="ml-2 text-lg font-semibold">{f.money(inv.amount, inv.currency)}</span>
                </p>
                <p className="text-sm text-slate-600">
                  <a href={pdfHref(inv.id)} target="_blank" rel="noopener" className="font-mono text-teal-800 underline">
                    {inv.number}
                  </a>
                  {" · "}
                  {t("billing.invoices.due", { date: f.date(inv.dueAt) })}
                  {" · "}
                  {t("billing.invoices.periodRange", { from: f.date(inv.periodStart), to: f.date(inv.periodEnd) })}
                </p>
              </div>
              {canManage ? (
                overview.khqrAvailable ? (
                  <Link
                    href={payHref(inv.id)}
                    data-testid="pay-invoice"
                    className="inline-flex min-h-10 items-center justify-center gap-2 rounded-lg bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800"
                  >
                    {t("billing.invoices.payKhqr")}
                  </Link>
                ) : (
                  <p className="text-sm text-slate-500">{t("billing.invoices.khqrUnavailable")}</p>
                )
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
