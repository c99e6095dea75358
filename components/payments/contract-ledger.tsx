"use client";
import { useQuery } from "@tanstack/react-query";
import type { RouterOutputs } from "@/lib/trpc/client";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { ReceivedAs } from "./received-as";

type Ledger = RouterOutputs["rentPayments"]["ledger"];
type Entry = Ledger["entries"][number];

/**
 * The statement of one contract: invoices (charges) and paid rent payments in time order with the
 * running balance, the totals, what is still outstanding and the credit kept for the next invoices.
 */
export function ContractLedger({ contractId, timeZone }: { contractId: string; timeZone?: string }) {
  const trpc = useTRPC();
  const { t, fmt } = useI18n();
  const ledger = useQuery(trpc.rentPayments.ledger.queryOptions({ contractId }));

  if (ledger.isPending) {
    return <div className="h-24 animate-pulse rounded-xl bg-slate-100" aria-busy="true" />;
  }
  if (ledger.isError) {
    return (
      <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
        {errorMessage(ledger.error, t("rentPayments.ledger.loadFailed"))}
      </p>
    );
  }
  const data = ledger.data;
  const money = (minor: number) => fmt.money(minor, data.currency);
  const date = (d: Date | string) => fmt.date(d, timeZone);
  const describe = (e: Entry) =>
    e.kind === "invoice"
      ? t("rentPayments.ledger.invoiceEntry", { number: e.number, period: fmt.month(e.period) })
      : t("rentPayments.ledger.paymentEntry", { method: t(`rentPayments.method.${e.method}`), number: e.invoiceNumber });
  const balanceText = (b: number) => (b < 0 ? `${money(-b)} ${t("rentPayments.ledger.inCredit")}` : money(b));
  const summary =
    data.balance > 0
      ? { label: t("rentPayments.ledger.owes"), value: money(data.balance), tone: "text-red-800" }
      : data.balance < 0
        ? { label: t("rentPayments.ledger.inCredit"), value: money(-data.balance), tone: "text-teal-800" }
        : { label: t("rentPayments.ledger.settled"), value: money(0), tone: "text-slate-900" };

  return (
    <section className="space-y-4" data-testid="contract-ledger" aria-labelledby={`ledger-${contractId}`}>
      <div>
        <h2 id={`ledger-${contractId}`} className="text-lg font-semibold text-slate-900">
          {t("rentPayments.ledger.title")}
        </h2>
        <p className="text-sm text-slate-600">{t("rentPayments.ledger.intro")}</p>
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {[
          { label: t("rentPayments.ledger.billed"), value: money(data.totalCharged), testId: "ledger-billed", tone: "text-slate-900" },
          { label: t("rentPayments.ledger.paid"), value: money(data.totalPaid), testId: "ledger-paid", tone: "text-slate-900" },
          { label: summary.label, value: summary.value, testId: "ledger-balance", tone: summary.tone },
          { label: t("rentPayments.ledger.credit"), value: money(data.credit), testId: "ledger-credit", tone: "text-slate-900" },
        ].map((c) => (
          <div key={c.testId} className="rounded-xl border border-slate-200 bg-white p-3">
            <dt className="text-xs text-slate-500">{c.label}</dt>
            <dd className={`text-lg font-semibold tabular-nums ${c.tone}`} data-testid={c.testId}>
              {c.value}
            </dd>
          </div>
        ))}
      </dl>
      {data.entries.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-500">{t("rentPayments.ledger.empty")}</p>
      ) : (
        <>
          <table className="hidden w-full border-collapse text-sm sm:table" data-testid="ledger-table">
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
                <th scope="col" className="py-2 pr-3 font-medium">
                  {t("rentPayments.ledger.date")}
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  {t("rentPayments.ledger.entry")}
                </th>
                <th scope="col" className="py-2 pr-3 text-right font-medium">
                  {t("rentPayments.ledger.charge")}
                </th>
                <th scope="col" className="py-2 pr-3 text-right font-medium">
                  {t("rentPayments.ledger.payment")}
                </th>
                <th scope="col" className="py-2 text-right font-medium">
                  {t("rentPayments.ledger.balance")}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((e) => (
                <tr key={`${e.kind}-${e.id}`} className="border-b border-slate-100" data-testid="ledger-row" data-kind={e.kind}>
                  <td className="py-2 pr-3 text-slate-600">{date(e.at)}</td>
                  <td className="py-2 pr-3 text-slate-900">
                    {e.kind === "invoice" ? (
                      <a href={`/invoices/${e.id}`} className="underline decoration-slate-300 hover:decoration-teal-700">
                        {describe(e)}
                      </a>
                    ) : (
                      <>
                        {describe(e)}
                        {e.reference ? <span className="block text-xs text-slate-500">{e.reference}</span> : null}
                      </>
                    )}
                  </td>
                  <td className="py-2 pr-3 text-right tabular-nums">{e.kind === "invoice" ? money(e.amount) : ""}</td>
                  <td className="py-2 pr-3 text-right tabular-nums text-teal-800">
                    {e.kind === "payment" ? (
                      <>
                        {money(e.amount)}
                        <ReceivedAs payment={e} />
                      </>
                    ) : (
                      ""
                    )}
                  </td>
                  <td className="py-2 text-right font-medium tabular-nums">{balanceText(e.balance)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul className="space-y-2 sm:hidden" data-testid="ledger-cards">
            {data.entries.map((e) => (
              <li key={`${e.kind}-${e.id}`} className="rounded-xl border border-slate-200 bg-white p-3">
                <div className="flex items-baseline justify-between gap-2">
                  <span className="text-sm font-medium text-slate-900">{describe(e)}</span>
                  <span className={`text-sm font-semibold tabular-nums ${e.kind === "payment" ? "text-teal-800" : "text-slate-900"}`}>
                    {e.kind === "payment" ? `− ${money(e.amount)}` : money(e.amount)}
                  </span>
                </div>
                {e.kind === "payment" ? <ReceivedAs payment={e} className="text-right" /> : null}
                <div className="mt-1 flex items-baseline justify-between gap-2 text-xs text-slate-500">
                  <span>{date(e.at)}</span>
                  <span>
                    {t("rentPayments.ledger.balance")}
                    {": "}
                    {balanceText(e.balance)}
                  </span>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      {data.outstanding > 0 ? (
        <p className="text-sm text-slate-700">
          {t("rentPayments.ledger.outstanding")}
          {": "}
          <span className="font-semibold tabular-nums" data-testid="ledger-outstanding">
            {money(data.outstanding)}
          </span>
        </p>
      ) : null}
    </section>
  );
}
