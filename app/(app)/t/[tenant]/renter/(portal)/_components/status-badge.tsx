"use client";
import { useI18n } from "@/lib/i18n/client";
import type { InvoiceStatus } from "./rows";

const STYLES: Record<InvoiceStatus, string> = {
  draft: "bg-slate-100 text-slate-700",
  issued: "bg-sky-50 text-sky-800",
  partially_paid: "bg-amber-50 text-amber-800",
  paid: "bg-teal-50 text-teal-800",
  overdue: "bg-red-50 text-red-800",
  void: "bg-slate-100 text-slate-500 line-through",
};

/** An invoice's status in the renter's wording (the pay page's). */
export function PortalStatusBadge({ status }: { status: InvoiceStatus }) {
  const { t } = useI18n();
  return (
    <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${STYLES[status]}`} data-status={status}>
      {t(`payPage.status.${status}`)}
    </span>
  );
}
