import Link from "next/link";
import type { HomeI18n } from "@/components/dashboard/format";
import type { SubscriptionStatusName } from "@/lib/billing/payment-state";

/**
 * On every workspace page while the subscription needs paying: past due (pay before the grace
 * end) or suspended/canceled (read-only until paid). Members who cannot open Billing are told
 * whom to ask. A server component in the reader's language and digits (the shell's words are the
 * server's: issue 17).
 */
export function SubscriptionBanner({
  status,
  graceEndsAt,
  timeZone,
  canOpenBilling,
  i18n: { t, fmt },
}: {
  status: SubscriptionStatusName;
  graceEndsAt: Date | null;
  timeZone: string;
  canOpenBilling: boolean;
  i18n: HomeI18n;
}) {
  if (status !== "past_due" && status !== "suspended" && status !== "canceled") return null;
  const severe = status !== "past_due";
  const message =
    status === "past_due"
      ? graceEndsAt
        ? t("billing.banner.pastDue", { date: fmt.date(graceEndsAt, timeZone) })
        : t("billing.banner.pastDueNoDate")
      : status === "suspended"
        ? t("billing.banner.readOnly")
        : t("billing.banner.canceled");
  return (
    <div
      role="status"
      data-testid="subscription-banner"
      data-status={status}
      className={`mb-4 flex flex-col gap-3 rounded-xl border px-4 py-3 text-sm sm:flex-row sm:items-center sm:justify-between ${
        severe ? "border-red-200 bg-red-50 text-red-900" : "border-amber-300 bg-amber-50 text-amber-950"
      }`}
    >
      <span className="font-medium">{message}</span>
      {canOpenBilling ? (
        <Link
          href="/billing"
          prefetch={false}
          className={`inline-flex min-h-9 shrink-0 items-center justify-center rounded-lg px-3 py-1.5 font-semibold text-white ${
            severe ? "bg-red-700 hover:bg-red-800" : "bg-amber-700 hover:bg-amber-800"
          }`}
        >
          {t("billing.banner.openBilling")}
        </Link>
      ) : (
        <span className="text-xs">{t("billing.banner.askOwner")}</span>
      )}
    </div>
  );
}
