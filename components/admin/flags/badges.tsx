"use client";
import { useI18n } from "@/lib/i18n/client";

/** On/Off, for a flag's default and for an override. */
export function StateBadge({ on }: { on: boolean }) {
  const { t } = useI18n();
  return (
    <span
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${on ? "bg-teal-50 text-teal-800" : "bg-slate-100 text-slate-600"}`}
    >
      {t(on ? "flags.on" : "flags.off")}
    </span>
  );
}

/** The red mark of a flag past its expiry: due for removal (it still evaluates as configured). */
export function ExpiredBadge() {
  const { t } = useI18n();
  return (
    <span data-testid="flag-expired" className="inline-block rounded-full bg-red-100 px-2 py-0.5 text-xs font-semibold text-red-800">
      {t("flags.expired")}
    </span>
  );
}

/** The expiry date, with the red badge once it has passed. */
export function Expiry({ expiresAt, isExpired }: { expiresAt: Date; isExpired: boolean }) {
  const { formatDate } = useI18n();
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <span className={isExpired ? "font-medium text-red-800" : undefined}>{formatDate(expiresAt)}</span>
      {isExpired ? <ExpiredBadge /> : null}
    </span>
  );
}
