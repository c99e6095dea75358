"use client";
import { useI18n } from "@/lib/i18n/client";
import type { UnitStatus } from "@/lib/schemas/properties";

const STYLES: Record<UnitStatus, string> = {
  vacant: "bg-amber-50 text-amber-800",
  occupied: "bg-teal-50 text-teal-800",
  maintenance: "bg-slate-100 text-slate-700",
};

export function UnitStatusBadge({ status }: { status: UnitStatus }) {
  const { t } = useI18n();
  return (
    <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${STYLES[status]}`} data-status={status}>
      {t(`properties.unit.statuses.${status}`)}
    </span>
  );
}
