"use client";
import { useI18n } from "@/lib/i18n/client";
import type { RentInvoiceStatusName } from "@/lib/rentals/invoice-state";

const STYLES: Record<RentInvoiceStatusName, string> = {
  draft: "bg-slate-100 text-slate-700",
  issued: "bg-sky-50 text-sky-800",
  partially_paid: "bg-amber-50 text-amber-800",
  paid: "bg-teal-50 text-teal-800",
  overdue: "bg-red-50 text-red-800",
  void: "bg-slate-100 text-slate-500 line-through",
};

export function InvoiceStatusBadge({ status, pastDue = false }: { status: RentInvoiceStatusName; pastDue?: boolean }) {
  const { t } = useI18n();
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${STYLES[status]}`} data-status={status}>
        {t(`invoices.statuses.${status}`)}
      </span>
      {pastDue && status !== "overdue" ? (
        <span className="inline-block rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-800">{t("invoices.pastDue")}</span>
      ) : null}
    </span>
  );
}
