"use client";
import { useMemo } from "react";
import type { RouterOutputs } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n";

type Outputs = RouterOutputs;
export type BillingOverview = Outputs["billing"]["overview"];
export type InvoiceListItem = Outputs["billing"]["invoices"]["items"][number];
export type OpenInvoice = BillingOverview["openInvoices"][number];
export type PlanCardData = BillingOverview["plans"][number];
export type CheckoutData = Outputs["billing"]["checkout"];

/** Money, dates and invoice wording in the reader's language (dates in the workspace's time zone). */
export function useBillingFormat(timeZone: string) {
  const { t, locale, fmt } = useI18n();
  return useMemo(
    () => ({
      t,
      locale,
      money: (minor: number, currency: string) => fmt.money(minor, currency),
      number: (n: number) => fmt.number(n),
      date: (d: Date | string) => fmt.date(d, timeZone),
      interval: (i: string) => (i === "year" || i === "month" ? t(`billing.interval.${i}`) : i),
      invoiceDescription: (row: { kind: string; planName: string; interval: string }) =>
        t(`billing.invoices.kind.${row.kind}` as MessageKey, {
          plan: row.planName,
          interval: row.interval === "year" || row.interval === "month" ? t(`billing.interval.${row.interval}`) : row.interval,
        }),
      invoiceStatus: (s: string) => (s === "open" || s === "paid" || s === "void" ? t(`billing.invoices.statusName.${s}`) : s),
    }),
    [t, locale, fmt, timeZone],
  );
}

export type BillingFormat = ReturnType<typeof useBillingFormat>;

export function pdfHref(invoiceId: string, kind: "invoice" | "receipt" = "invoice"): string {
  return `/billing/invoices/${invoiceId}/pdf${kind === "receipt" ? "?kind=receipt" : ""}`;
}

export function payHref(invoiceId: string): string {
  return `/billing/pay/${invoiceId}`;
}
