import type { Metadata } from "next";
import Link from "next/link";
import { getT } from "@/server/core/page-context";
import { requireRenter } from "@/server/portal/renter-session";
import { renterLedgers } from "@/server/portal/portal-queries";
import { PortalPage } from "../_components/portal-page";
import { portalFormat } from "../_components/server-format";

// /renter/contracts: the renter's contracts, each with its statement (every issued invoice as a
// charge, every payment, the running balance: server/payments/contract-ledger.ts).
export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("portalPages.contracts.title") };
}

export default async function RenterContractsPage() {
  const renter = await requireRenter();
  const t = await getT();
  const { fmt, timeZone } = await portalFormat();
  const ledgers = await renterLedgers(renter);
  const card = "rounded-xl border border-slate-200 bg-white";
  return (
    <PortalPage testId="renter-contracts">
      <div>
        <h1 className="text-2xl font-semibold">{t("portalPages.contracts.title")}</h1>
        <p className="text-sm text-slate-600">{t("portalPages.contracts.intro")}</p>
      </div>
      {ledgers.length === 0 ? <p className="text-sm text-slate-600">{t("portalPages.contracts.noContracts")}</p> : null}
      {ledgers.map(({ contract, ledger }) => {
        const money = (minor: number) => fmt.money(minor, ledger.currency);
        // newest first on the page (the statement is computed oldest first)
        const entries = [...ledger.entries].reverse();
        return (
          <section
            key={contract.id}
            className={`${card} space-y-3 p-4`}
            aria-labelledby={`contract-${contract.id}`}
            data-testid="portal-contract"
          >
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div>
                <h2 id={`contract-${contract.id}`} className="text-lg font-semibold">
                  {t("portalPages.contracts.unitLine", { unit: contract.unitCode, property: contract.propertyName })}
                </h2>
                <p className="text-sm text-slate-600">
                  {contract.endDate
                    ? t("portalPages.contracts.fromTo", { start: fmt.day(contract.startDate), end: fmt.day(contract.endDate) })
                    : t("portalPages.contracts.from", { start: fmt.day(contract.startDate) })}
                </p>
              </div>
              <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">
                {t(`portalPages.contracts.status.${contract.status}`)}
              </span>
            </div>
            <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
              <div>
                <dt className="text-slate-600">{t("portalPages.contracts.rent")}</dt>
                <dd className="font-medium">{money(contract.rentAmount)}</dd>
              </div>
              <div>
                <dt className="text-slate-600">{t("portalPages.contracts.deposit")}</dt>
                <dd>{money(contract.depositAmount)}</dd>
              </div>
              <div>
                <dt className="text-slate-600">{t("portalPages.contracts.outstanding")}</dt>
                <dd className="font-semibold" data-testid="portal-contract-outstanding">
                  {money(ledger.outstanding)}
                </dd>
              </div>
              <div>
                <dt className="text-slate-600">{t("portalPages.contracts.credit")}</dt>
                <dd>{money(ledger.credit)}</dd>
              </div>
            </dl>

            <h3 className="font-semibold">{t("portalPages.contracts.ledger")}</h3>
            {entries.length === 0 ? (
              <p className="text-sm text-slate-600">{t("portalPages.contracts.noEntries")}</p>
            ) : (
              <>
                {/* a table from 640 px up */}
                <table className="hidden w-full text-sm sm:table" data-testid="portal-ledger">
                  <thead>
                    <tr className="border-b border-slate-200 text-left text-slate-600">
                      <th className="py-1.5 pr-2 font-medium">{t("portalPages.contracts.date")}</th>
                      <th className="py-1.5 pr-2 font-medium">{t("portalPages.contracts.entry")}</th>
                      <th className="py-1.5 pr-2 text-right font-medium">{t("portalPages.contracts.charged")}</th>
                      <th className="py-1.5 pr-2 text-right font-medium">{t("portalPages.contracts.paid")}</th>
                      <th className="py-1.5 text-right font-medium">{t("portalPages.contracts.balance")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {entries.map((e) => (
                      <tr key={`${e.kind}-${e.id}`} className="border-b border-slate-100">
                        <td className="py-1.5 pr-2 whitespace-nowrap">{fmt.date(e.at, timeZone)}</td>
                        <td className="py-1.5 pr-2">
                          {e.kind === "invoice" ? (
                            <Link href={`/renter/invoices/${e.id}`} className="text-teal-800 hover:underline">
                              {t("portalPages.contracts.invoiceEntry", { number: e.number, period: fmt.month(e.period) })}
                            </Link>
                          ) : (
                            t("portalPages.contracts.paymentEntry", {
                              number: e.invoiceNumber,
                              method: t(`invoices.pdf.methods.${e.method}`),
                            })
                          )}
                        </td>
                        <td className="py-1.5 pr-2 text-right">{e.kind === "invoice" ? money(e.amount) : ""}</td>
                        <td className="py-1.5 pr-2 text-right">{e.kind === "payment" ? money(e.amount) : ""}</td>
                        <td className="py-1.5 text-right font-medium">{money(e.balance)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {/* one card per entry on a phone */}
                <ul className="space-y-1.5 sm:hidden" data-testid="portal-ledger-cards">
                  {entries.map((e) => (
                    <li key={`${e.kind}-${e.id}`} className="rounded-lg bg-slate-50 px-3 py-2 text-sm">
                      <div className="flex items-start justify-between gap-2">
                        <span className="min-w-0">
                          {e.kind === "invoice"
                            ? t("portalPages.contracts.invoiceEntry", { number: e.number, period: fmt.month(e.period) })
                            : t("portalPages.contracts.paymentEntry", {
                                number: e.invoiceNumber,
                                method: t(`invoices.pdf.methods.${e.method}`),
                              })}
                        </span>
                        <span className={`shrink-0 font-medium ${e.kind === "payment" ? "text-teal-800" : ""}`}>
                          {e.kind === "payment" ? "−" : "+"}
                          {money(e.amount)}
                        </span>
                      </div>
                      <div className="mt-0.5 flex justify-between text-xs text-slate-600">
                        <span>{fmt.date(e.at, timeZone)}</span>
                        <span>
                          {t("portalPages.contracts.balance")}: {money(e.balance)}
                        </span>
                      </div>
                    </li>
                  ))}
                </ul>
              </>
            )}
            <p className="text-sm text-slate-600">
              {t("portalPages.contracts.totalCharged")}: {money(ledger.totalCharged)} · {t("portalPages.contracts.totalPaid")}:{" "}
              {money(ledger.totalPaid)}
            </p>
          </section>
        );
      })}
    </PortalPage>
  );
}
