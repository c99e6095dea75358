"use client";
import { useMemo } from "react";
import type { RouterOutputs } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";

export type DashboardSummary = RouterOutputs["dashboard"]["summary"];
export type ChartSeries = DashboardSummary["chart"][number];

/** Money, months and percentages in the reader's language and digits (lib/i18n/format.ts). */
export function useDashboardFormat() {
  const { t, locale, fmt } = useI18n();
  return useMemo(
    () => ({
      t,
      locale,
      money: (minor: number, currency: string) => fmt.money(minor, currency),
      /** short money for chart axes ("$1.2K", "1.2 ពាន់$") */
      compactMoney: (minor: number, currency: string) => fmt.moneyCompact(minor, currency),
      percent: (rate: number) => fmt.percent(rate),
      number: (n: number) => fmt.number(n),
      /** "April 2026" */
      monthLong: (period: string) => fmt.month(period),
      /** "Apr" */
      monthShort: (period: string) => fmt.monthShort(period),
      /** a calendar day (YYYY-MM-DD), shown as such whatever the reader's zone */
      day: (d: string) => fmt.day(d),
    }),
    [t, locale, fmt],
  );
}
