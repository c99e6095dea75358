import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getScope, getT } from "@/server/core/page-context";
import { requireRenter } from "@/server/portal/renter-session";
import { renterInvoice } from "@/server/portal/portal-queries";
import { lineDescription } from "@/lib/i18n/invoice-lines";
import { PortalPage } from "../../_components/portal-page";
import { PortalStatusBadge } from "../../_components/status-badge";
import { portalFormat } from "../../_components/server-format";

// /renter/invoices/<id>: one of the renter's invoices: its lines, status, PDF, its payments with
// their receipts, and "Pay by KHQR" (the invoice's pay page, the same KHQR flow as the pay link).
// Any id that is not the renter's (another renter's, a draft, unknown) is the same 404.
export const dynamic = "force-dynamic";

// one read per request for the metadata and the page (the renter scope is the same cached object)
const invoiceOf = cache(renterInvoice);

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const renter = await requireRenter();
  const invoice = await invoiceOf(renter, (await params).id);
  return { title: invoice ? (await getT())("portalPages.invoice.metaTitle", { number: invoice.number }) : undefined };
}

export default async function RenterInvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const renter = await requireRenter();
  const invoice = await invoiceOf(renter, (await params).id);
  if (!invoice) notFound();
  const t = await getT();
  const { fmt, timeZone } = await portalFormat();
  const scope = await getScope();
  const workspace = scope?.kind === "tenant" ? scope.tenant.name : "";
  const locale = fmt.locale;
  const money = (minor: number) => fmt.money(minor, invoice.currency);
  const card = "rounded-xl border border-slate-200 bg-white p-4";
  return (
    <PortalPage testId="renter-invoice">
      <Link href="/renter/invoices" className="text-sm text-teal-800 hover:underline">
        {t("portalPages.invoice.back")}
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">{t("portalPages.invoice.title", { number: invoice.number })}</h1>
          <p className="text-sm text-slate-600">
            {fmt.month(invoice.period)} · {t("portalPages.invoice.unit")} {invoice.unitCode} · {invoice.propertyName}
          </p>
        </div>
        <PortalStatusBadge status={invoice.status} />
      </div>

      <section className={`${card} space-y-3`} aria-labelledby="portal-invoice-pay">
        <h2 id="portal-invoice-pay" className="sr-only">
          {t("portalPages.invoice.open")}
        </h2>
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-600">{t("portalPages.invoice.issued")}</dt>
          <dd>{fmt.date(invoice.issuedAt, timeZone)}</dd>
          <dt className="text-slate-600">{t("portalPages.invoice.dueDate")}</dt>
          <dd>{fmt.day(invoice.dueDate)}</dd>
          <dt className="text-slate-600">{t("portalPages.invoice.total")}</dt>
          <dd className="font-medium">{money(invoice.total)}</dd>
          <dt className="text-slate-600">{t("portalPages.invoice.paid")}</dt>
          <dd>{money(invoice.amountPaid)}</dd>
          {invoice.creditApplied > 0 ? (
            <>
              <dt className="text-slate-600">{t("portalPages.invoice.creditApplied")}</dt>
              <dd>{money(invoice.creditApplied)}</dd>
            </>
          ) : null}
          {invoice.open > 0 ? (
            <>
              <dt className="font-medium">{t("portalPages.invoice.open")}</dt>
              <dd className="text-lg font-semibold" data-testid="portal-invoice-open">
                {money(invoice.open)}
              </dd>
            </>
          ) : null}
        </dl>
        {invoice.status === "paid" && invoice.paidAt ? (
          <p className="text-sm text-teal-800">{t("portalPages.invoice.paidOn", { date: fmt.date(invoice.paidAt, timeZone) })}</p>
        ) : null}
        <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
          {invoice.payUrl ? (
            <a
              href={invoice.payUrl}
              className="rounded-lg bg-teal-700 px-4 py-2.5 text-center font-medium text-white hover:bg-teal-800"
              data-testid="portal-invoice-pay-khqr"
            >
              {t("portalPages.invoice.payKhqr")}
            </a>
          ) : null}
          <a
            href={invoice.pdfUrl}
            className="rounded-lg border border-slate-300 px-4 py-2.5 text-center text-slate-800 hover:bg-slate-50"
            data-testid="portal-invoice-download"
          >
            {t("portalPages.invoice.downloadPdf")}
          </a>
        </div>
        {invoice.payUrl ? <p className="text-xs text-slate-500">{t("portalPages.invoice.payHelp")}</p> : null}
        {invoice.open > 0 && !invoice.payUrl ? (
          <p className="text-sm text-slate-700">{t("portalPages.invoice.payUnavailable", { workspace, number: invoice.number })}</p>
        ) : null}
      </section>

      <section className="space-y-2" aria-labelledby="portal-invoice-lines">
        <h2 id="portal-invoice-lines" className="text-lg font-semibold">
          {t("portalPages.invoice.lines")}
        </h2>
        <ul className={`${card} divide-y divide-slate-100 p-0`} data-testid="portal-invoice-lines">
          {invoice.lines.map((line) => (
            <li key={line.id} className="flex items-start justify-between gap-3 px-4 py-2 text-sm">
              <span className="min-w-0">{lineDescription(line, invoice.period, locale)}</span>
              <span className="shrink-0 font-medium">{money(line.amount)}</span>
            </li>
          ))}
          <li className="flex items-start justify-between gap-3 px-4 py-2 text-sm font-semibold">
            <span>{t("portalPages.invoice.total")}</span>
            <span>{money(invoice.total)}</span>
          </li>
        </ul>
      </section>

      <section className="space-y-2" aria-labelledby="portal-invoice-receipts">
        <h2 id="portal-invoice-receipts" className="text-lg font-semibold">
          {t("portalPages.invoice.receipts")}
        </h2>
        {invoice.receipts.length === 0 ? (
          <p className="text-sm text-slate-600">{t("portalPages.invoice.noReceipts")}</p>
        ) : (
          <ul className="space-y-2">
            {invoice.receipts.map((r) => (
              <li key={r.id} className={`${card} flex flex-wrap items-center justify-between gap-2 text-sm`}>
                <span>
                  <span className="font-medium">{r.number}</span> · {fmt.date(r.paidAt, timeZone)} · {t(`invoices.pdf.methods.${r.method}`)}
                </span>
                <span className="flex items-center gap-3">
                  <span className="text-right font-medium">
                    {fmt.money(r.amount, r.currency)}
                    {r.receivedAmount !== null && r.receivedCurrency && r.khrPerUsd ? (
                      <span className="block text-xs font-normal text-slate-500" data-testid="payment-received">
                        {t("currency.receivedAt", {
                          amount: fmt.money(r.receivedAmount, r.receivedCurrency),
                          rate: fmt.number(r.khrPerUsd),
                        })}
                      </span>
                    ) : null}
                  </span>
                  <a
                    href={r.pdfUrl}
                    aria-label={t("portalPages.receipts.downloadReceipt", { number: r.number })}
                    className="rounded-lg border border-slate-300 px-3 py-1 text-slate-700 hover:bg-slate-50"
                  >
                    {t("portalPages.receipts.download")}
                  </a>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </PortalPage>
  );
}
