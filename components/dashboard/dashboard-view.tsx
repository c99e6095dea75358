import Link from "next/link";
import type { ReactNode } from "react";
import { chartText, type DashboardSummary, type HomeI18n } from "./format";
import { BilledCollectedChart } from "./billed-collected-chart";
import { timeZoneLabel } from "@/lib/time-zone-label";

const UNIT_STATUSES = ["occupied", "vacant", "maintenance"] as const;
const linkCls = "rounded text-teal-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-teal-700";

function Figure({ title, children, testId }: { title: ReactNode; children: ReactNode; testId: string }) {
  return (
    <section className="flex flex-col gap-2 rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid={testId}>
      <h2 className="text-sm font-medium text-slate-600">{title}</h2>
      {children}
    </section>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return <p className="text-sm text-slate-500">{children}</p>;
}

/**
 * The workspace home figures: a server component, translated and formatted on the server in the
 * reader's language and digits (issue 17, fast on phones: the browser hydrates no translator here);
 * the charts are drawn by the server too (HTML and CSS, no script). The page renders it again when the tab is shown
 * again (./refresh-on-return.tsx), so a payment recorded in another tab shows on return. Its links
 * (and the checklist's) are not prefetched: a phone that opens the home would otherwise ask the server
 * for a dozen list pages right after load and process them while it hydrates (issue 17); a tap still
 * navigates in the page.
 */
export function DashboardView({ summary: s, i18n }: { summary: DashboardSummary; i18n: HomeI18n }) {
  const { t, fmt, locale } = i18n;
  const f = {
    money: (minor: number, currency: string) => fmt.money(minor, currency),
    percent: (rate: number) => fmt.percent(rate),
    number: (n: number) => fmt.number(n),
    /** "April 2026" */
    monthLong: (period: string) => fmt.month(period),
    /** a calendar day (YYYY-MM-DD), shown as such whatever the reader's zone */
    day: (d: string) => fmt.day(d),
  };
  const month = f.monthLong(s.period);
  const invoicesOf = (currency: string) => `/invoices?period=${s.period}&currency=${currency}`;
  // the payments list with the same month and currency: its total is this figure
  const paymentsOf = (currency: string) => `/payments?period=${s.period}&currency=${currency}`;

  return (
    <div className="space-y-4" data-testid="dashboard-figures">
      <div>
        <h2 className="text-lg font-semibold text-slate-900">{t("dashboard.title")}</h2>
        <p className="text-sm text-slate-500">{t("dashboard.intro", { month, timezone: timeZoneLabel(s.timezone, locale) })}</p>
      </div>

      <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
        <Figure title={t("dashboard.occupancy.title")} testId="dash-occupancy">
          {s.occupancy.total === 0 ? (
            <Empty>{t("dashboard.occupancy.noUnits")}</Empty>
          ) : (
            <>
              <Link
                prefetch={false}
                href="/units?status=occupied"
                className={`${linkCls} text-3xl font-semibold tabular-nums`}
                data-testid="dash-occupancy-rate"
              >
                {f.percent(s.occupancy.rate)}
              </Link>
              <p className="text-sm text-slate-700" data-testid="dash-occupancy-summary">
                {t("dashboard.occupancy.summary", { occupied: f.number(s.occupancy.occupied), total: f.number(s.occupancy.total) })}
              </p>
              <div
                className="h-2 w-full overflow-hidden rounded-full bg-slate-100"
                role="progressbar"
                aria-label={t("dashboard.occupancy.title")}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={s.occupancy.rate}
                aria-valuetext={f.percent(s.occupancy.rate)}
              >
                <div className="h-full rounded-full bg-teal-700" style={{ width: `${s.occupancy.rate}%` }} />
              </div>
              <ul className="flex flex-wrap gap-x-3 gap-y-1 text-sm">
                {UNIT_STATUSES.map((status) => (
                  <li key={status}>
                    <Link
                      prefetch={false}
                      href={`/units?status=${status}`}
                      className={linkCls}
                      aria-label={t("dashboard.occupancy.openUnits", { status: t(`dashboard.occupancy.status.${status}`) })}
                      data-testid={`dash-units-${status}`}
                    >
                      {t(`dashboard.occupancy.${status}`, { count: f.number(s.occupancy[status]) })}
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Figure>

        <Figure title={t("dashboard.rentDue.title")} testId="dash-rent-due">
          {s.rentDue.length === 0 ? (
            <Empty>{t("dashboard.rentDue.none", { month })}</Empty>
          ) : (
            <ul className="space-y-2">
              {s.rentDue.map((r) => (
                <li key={r.currency}>
                  <Link
                    prefetch={false}
                    href={invoicesOf(r.currency)}
                    className={`${linkCls} text-2xl font-semibold tabular-nums`}
                    aria-label={`${f.money(r.billed, r.currency)} — ${t("dashboard.rentDue.open", { currency: r.currency, month })}`}
                    data-testid={`dash-rent-due-${r.currency}`}
                  >
                    {f.money(r.billed, r.currency)}
                  </Link>
                  <p className="text-sm text-slate-600">
                    {t("dashboard.rentDue.invoices", { count: r.count })}
                    {" · "}
                    <span data-testid={`dash-outstanding-${r.currency}`}>
                      {t("dashboard.rentDue.outstanding", { amount: f.money(r.outstanding, r.currency) })}
                    </span>
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Figure>

        <Figure title={t("dashboard.collected.title")} testId="dash-collected">
          {s.collected.length === 0 ? (
            <Empty>{t("dashboard.collected.none")}</Empty>
          ) : (
            <ul className="space-y-2">
              {s.collected.map((c) => (
                <li key={c.currency}>
                  <Link
                    prefetch={false}
                    href={paymentsOf(c.currency)}
                    className={`${linkCls} text-2xl font-semibold tabular-nums`}
                    aria-label={`${f.money(c.amount, c.currency)} — ${t("dashboard.collected.open", { currency: c.currency, month })}`}
                    data-testid={`dash-collected-${c.currency}`}
                  >
                    {f.money(c.amount, c.currency)}
                  </Link>
                  <p className="text-sm text-slate-600">{t("dashboard.collected.payments", { count: c.count })}</p>
                </li>
              ))}
            </ul>
          )}
        </Figure>

        <Figure title={t("dashboard.overdue.title")} testId="dash-overdue">
          {s.overdue.length === 0 ? (
            <Empty>
              <Link prefetch={false} href="/invoices?status=overdue" className={linkCls}>
                {t("dashboard.overdue.none")}
              </Link>
            </Empty>
          ) : (
            <ul className="space-y-2">
              {s.overdue.map((o) => (
                <li key={o.currency}>
                  <Link
                    prefetch={false}
                    href={`/invoices?status=overdue&currency=${o.currency}`}
                    className={`${linkCls} text-2xl font-semibold tabular-nums text-red-800`}
                    aria-label={`${f.money(o.amount, o.currency)} — ${t("dashboard.overdue.open", { currency: o.currency })}`}
                    data-testid={`dash-overdue-${o.currency}`}
                  >
                    {f.money(o.amount, o.currency)}
                  </Link>
                  <p className="text-sm text-slate-600" data-testid={`dash-overdue-count-${o.currency}`}>
                    {t("dashboard.overdue.invoices", { count: o.count })}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Figure>
      </div>

      <div className="grid gap-3 lg:grid-cols-3">
        <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm lg:col-span-2" data-testid="dash-chart">
          {s.chart.length === 0 ? (
            <Empty>{t("dashboard.chart.empty")}</Empty>
          ) : (
            <div className="space-y-6">
              {s.chart.map((series) => (
                <BilledCollectedChart key={series.currency} text={chartText(i18n, series)} />
              ))}
            </div>
          )}
        </section>

        <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="dash-ending">
          <div className="mb-2 flex items-baseline justify-between gap-2">
            <h2 className="text-sm font-medium text-slate-600">{t("dashboard.ending.title", { days: f.number(s.ending.withinDays) })}</h2>
            <Link
              prefetch={false}
              href={`/contracts?status=active&endingWithinDays=${s.ending.withinDays}`}
              className={`${linkCls} shrink-0 text-sm`}
              data-testid="dash-ending-all"
            >
              {t("dashboard.ending.viewAll")}
            </Link>
          </div>
          {s.ending.count === 0 ? (
            <Empty>{t("dashboard.ending.none", { days: f.number(s.ending.withinDays) })}</Empty>
          ) : (
            <>
              <Link
                prefetch={false}
                href={`/contracts?status=active&endingWithinDays=${s.ending.withinDays}`}
                className={`${linkCls} text-2xl font-semibold tabular-nums`}
                data-testid="dash-ending-count"
              >
                {t("dashboard.ending.count", { count: s.ending.count })}
              </Link>
              <ul className="mt-2 divide-y divide-slate-100">
                {s.ending.items.map((c) => (
                  <li key={c.contractId} className="py-2">
                    <Link prefetch={false} href={`/contracts/${c.contractId}`} className={`${linkCls} block`}>
                      <span className="block font-medium text-slate-900">
                        {[c.renterNameKm, c.renterNameLatin].filter(Boolean).join(" · ")}
                      </span>
                      <span className="block text-sm text-slate-600">
                        {t("dashboard.ending.unit", { property: c.propertyName, unit: c.unitCode })}
                        {" · "}
                        {t("dashboard.ending.endsOn", { date: f.day(c.endDate) })}
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>
    </div>
  );
}
