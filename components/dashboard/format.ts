"use client";
import { useMemo } from "react";
import type { RouterOutputs } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { formatMoney, formatMoneyCompact } from "@/lib/money";

export type DashboardSummary = RouterOutputs["dashboard"]["summary"];
export type ChartSeries = DashboardSummary["chart"][number];

/** Money, months and percentages in the reader's language. */
export function useDashboardFormat() {
  const { t, locale, formatDate } = useI18n();
  return useMemo(() => {
    const intl = locale === "km" ? "km-KH" : "en-GB";
    const monthDate = (period: string) => {
      const [y, m] = period.split("-").map(Number) as [number, number];
      return new Date(Date.UTC(y, m - 1, 1));
    };
    return {
      t,
      locale,
      money: (minor: number, currency: string) => formatMoney(minor, currency, locale),
      /** short money for chart axes ("$1.2K", "៛400K") */
      compactMoney: (minor: number, currency: string) => formatMoneyCompact(minor, currency, locale),
      percent: (rate: number) => new Intl.NumberFormat(intl, { style: "percent", maximumFractionDigits: 1 }).format(rate / 100),
      number: (n: number) => new Intl.NumberFormat(intl).format(n),
      /** "April 2026" */
      monthLong: (period: string) =>
        new Intl.DateTimeFormat(intl, { month: "long", year: "numeric", timeZone: "UTC" }).format(monthDate(period)),
      /** "Apr" */
      monthShort: (period: string) => new Intl.DateTimeFormat(intl, { month: "short", timeZone: "UTC" }).format(monthDate(period)),
      /** a calendar day (YYYY-MM-DD), shown as such whatever the reader's zone */
      day: (d: string) => formatDate(`${d}T00:00:00Z`, "UTC"),
    };
  }, [t, locale, formatDate]);
}
