"use client";
import { useI18n } from "@/lib/i18n/client";
import type { ContractStatus } from "@/lib/rentals/contract-state";

const STYLES: Record<ContractStatus, string> = {
  draft: "bg-slate-100 text-slate-700",
  active: "bg-teal-50 text-teal-800",
  ended: "bg-indigo-50 text-indigo-800",
  terminated: "bg-red-50 text-red-800",
};

export function ContractStatusBadge({ status }: { status: ContractStatus }) {
  const { t } = useI18n();
  return (
    <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${STYLES[status]}`} data-status={status}>
      {t(`contracts.statuses.${status}`)}
    </span>
  );
}
