import type { RouterOutputs } from "@/lib/trpc/client";
import type { Locale, Translator } from "@/lib/i18n/config";
import type { Formatter } from "@/lib/i18n/format";

export type DashboardSummary = RouterOutputs["dashboard"]["summary"];
export type ChartSeries = DashboardSummary["chart"][number];

/**
 * The workspace home's translator and formatter (money, months, percentages in the reader's language
 * and digits: lib/i18n/format.ts), made on the server (server/core/reader-i18n.ts):
 * the home's figures and checklist are server components.
 */
export interface HomeI18n {
  locale: Locale;
  t: Translator;
  fmt: Formatter;
}

/** 1, 2 or 5 × 10ⁿ at or above `v` (so the chart's axis reads in round figures). */
export function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** One currency's chart with every word and figure already in the reader's language and digits. */
export interface ChartText {
  currency: string;
  locale: Locale;
  /** the axis' top (a round figure at or above every bar) and its labels at 0, ½ and the top */
  max: number;
  axis: [string, string, string];
  title: string;
  desc: string;
  billed: string;
  collected: string;
  showTable: string;
  month: string;
  months: {
    period: string;
    billed: number;
    collected: number;
    long: string;
    short: string;
    billedText: string;
    collectedText: string;
    /** the month's billed half: its figures, to that period's invoices */
    link: string;
    /** the collected half: to the payments received in it */
    collectedLink: string;
  }[];
}

/** The words and figures of one currency's chart (on the server, like the chart: ./billed-collected-chart.tsx). */
export function chartText({ t, fmt, locale }: HomeI18n, series: ChartSeries): ChartText {
  const { currency, months } = series;
  const max = niceCeil(Math.max(...months.flatMap((m) => [m.billed, m.collected]), 0));
  return {
    currency,
    locale,
    max,
    axis: [fmt.moneyCompact(0, currency), fmt.moneyCompact(max * 0.5, currency), fmt.moneyCompact(max, currency)],
    title: t("dashboard.chart.title", { currency }),
    desc: t("dashboard.chart.desc", { currency }),
    billed: t("dashboard.chart.billed"),
    collected: t("dashboard.chart.collected"),
    showTable: t("dashboard.chart.showTable"),
    month: t("dashboard.chart.month"),
    months: months.map((m) => ({
      period: m.period,
      billed: m.billed,
      collected: m.collected,
      long: fmt.month(m.period),
      short: fmt.monthShort(m.period),
      billedText: fmt.money(m.billed, currency),
      collectedText: fmt.money(m.collected, currency),
      link: t("dashboard.chart.monthLink", {
        month: fmt.month(m.period),
        billed: fmt.money(m.billed, currency),
        collected: fmt.money(m.collected, currency),
      }),
      collectedLink: t("dashboard.chart.collectedLink", { month: fmt.month(m.period), collected: fmt.money(m.collected, currency) }),
    })),
  };
}
