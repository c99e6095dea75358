import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { getT } from "@/server/core/page-context";
import { requireRenter } from "@/server/portal/renter-session";
import { renterHome } from "@/server/portal/portal-queries";
import { PortalPage } from "./_components/portal-page";
import { PortalStatusBadge } from "./_components/status-badge";
import { PortalPayLink } from "./_components/pay-link";
import { portalFormat } from "./_components/server-format";

// /renter: the renter's home: what is still due per contract, the invoices to pay (each with its
// Pay button: the invoice's pay page and its KHQR), and the last receipt.
export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("portalPages.home.metaTitle") };
}

export default async function RenterHomePage() {
  const renter = await requireRenter();
  const t = await getT();
  const { fmt, timeZone } = await portalFormat();
  const home = await renterHome(renter);
  const card = "rounded-xl border border-slate-200 bg-white p-4";
  return (
    <PortalPage testId="renter-home">
      <h1 className="text-2xl font-semibold">{t("portalPages.home.title")}</h1>

      <section aria-labelledby="portal-balances" className="space-y-2">
        <h2 id="portal-balances" className="text-lg font-semibold">
          {t("portalPages.home.balances")}
        </h2>
        {home.balances.length === 0 ? (
          <p className="text-sm text-slate-600">{t("portalPages.home.noContracts")}</p>
        ) : (
          <ul className="grid gap-2 sm:grid-cols-2">
            {home.balances.map((b) => (
              <li key={b.contractId} className={card} data-testid="portal-balance">
                <div className="text-sm text-slate-600">
                  {t("portalPages.home.unitLine", { unit: b.unitCode, property: b.propertyName })}
                </div>
                <div className="mt-1 text-2xl font-semibold" data-testid="portal-balance-outstanding">
                  {b.outstanding > 0 ? fmt.money(b.outstanding, b.currency) : t("portalPages.home.settled")}
                </div>
                {b.outstanding > 0 ? <div className="text-sm text-slate-600">{t("portalPages.home.outstanding")}</div> : null}
                {b.credit > 0 ? (
                  <div className="mt-1 text-sm text-teal-800">
                    {t("portalPages.home.credit")}: {fmt.money(b.credit, b.currency)}
                  </div>
                ) : null}
                <Link
                  href="/renter/contracts"
                  className="mt-2 inline-block text-sm text-teal-800 hover:underline"
                  data-testid="portal-statement-link"
                >
                  {t("portalPages.home.statement")}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <HomeSection
        id="portal-open"
        title={t("portalPages.home.openInvoices")}
        all={{ href: "/renter/invoices", label: t("portalPages.home.allInvoices") }}
      >
        {home.openInvoices.length === 0 ? (
          <p className="text-sm text-slate-600">{t("portalPages.home.noOpenInvoices")}</p>
        ) : (
          <ul className="space-y-2">
            {home.openInvoices.map((inv) => (
              <li key={inv.id} className={`${card} flex flex-wrap items-center justify-between gap-3`} data-testid="portal-open-invoice">
                <div className="min-w-0">
                  <Link href={`/renter/invoices/${inv.id}`} className="font-medium text-teal-800 hover:underline">
                    {inv.number}
                  </Link>
                  <div className="text-sm text-slate-600">
                    {fmt.month(inv.period)} · {t("portalPages.invoices.dueDate")} {fmt.day(inv.dueDate)}
                  </div>
                  <div className="mt-1 flex items-center gap-2">
                    <span className="font-semibold">{fmt.money(inv.open, inv.currency)}</span>
                    <PortalStatusBadge status={inv.status} />
                  </div>
                </div>
                <PortalPayLink invoice={inv} t={t} testId="portal-pay" large />
              </li>
            ))}
          </ul>
        )}
      </HomeSection>

      <HomeSection
        id="portal-last-receipt"
        title={t("portalPages.home.lastReceipt")}
        all={{ href: "/renter/receipts", label: t("portalPages.home.allReceipts") }}
      >
        {home.lastReceipt ? (
          <div className={`${card} flex flex-wrap items-center justify-between gap-3`} data-testid="portal-last-receipt">
            <div className="min-w-0">
              <div className="font-medium">{home.lastReceipt.number}</div>
              <div className="text-sm text-slate-600">
                {t("portalPages.home.receiptLine", {
                  amount: fmt.money(home.lastReceipt.amount, home.lastReceipt.currency),
                  date: fmt.date(home.lastReceipt.paidAt, timeZone),
                  invoice: home.lastReceipt.invoiceNumber,
                })}
              </div>
            </div>
            <a
              href={home.lastReceipt.pdfUrl}
              aria-label={t("portalPages.receipts.downloadReceipt", { number: home.lastReceipt.number })}
              className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50"
            >
              {t("portalPages.receipts.download")}
            </a>
          </div>
        ) : (
          <p className="text-sm text-slate-600">{t("portalPages.home.noReceipts")}</p>
        )}
      </HomeSection>
    </PortalPage>
  );
}

/** A section of the home page: its heading with the link to the whole list beside it. */
function HomeSection({
  id,
  title,
  all,
  children,
}: {
  id: string;
  title: string;
  all: { href: string; label: string };
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <div className="flex items-baseline justify-between gap-2">
        <h2 id={id} className="text-lg font-semibold">
          {title}
        </h2>
        <Link href={all.href} className="text-sm text-teal-800 hover:underline">
          {all.label}
        </Link>
      </div>
      {children}
    </section>
  );
}
