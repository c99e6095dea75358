"use client";
import { useEntitlements } from "@/components/billing/upgrade-hint";
import { usageRatio } from "@/components/billing/usage-bars";
import { useI18n } from "@/lib/i18n/client";
import { useLogFormat } from "./format";

/** This month's messages against the plan's `messagesPerMonth` (the limit PlanGate enforces). */
export function MessageQuota({ timezone }: { timezone: string }) {
  const { t } = useI18n();
  const f = useLogFormat(timezone);
  const e = useEntitlements();
  if (!e) return null;
  const used = e.usage.messagesPerMonth;
  const max = e.limits.messagesPerMonth;
  const ratio = usageRatio(used, max);
  const state = max === null ? "ok" : ratio >= 1 ? "full" : ratio >= 0.8 ? "near" : "ok";
  const bar = state === "full" ? "bg-red-600" : state === "near" ? "bg-amber-500" : "bg-teal-600";
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="message-quota" data-state={state}>
      <div className="flex items-baseline justify-between gap-2 text-sm">
        <h2 className="font-medium text-slate-800">{t("messagesLog.quota.title")}</h2>
        <span className="shrink-0 tabular-nums text-slate-600" data-testid="message-quota-value">
          {max === null
            ? t("messagesLog.quota.unlimited", { used: f.number(used) })
            : t("messagesLog.quota.of", { used: f.number(used), max: f.number(max) })}
        </span>
      </div>
      <div
        className="mt-2 h-2 overflow-hidden rounded-full bg-slate-100"
        role="progressbar"
        aria-label={t("messagesLog.quota.title")}
        aria-valuemin={0}
        aria-valuemax={max ?? undefined}
        aria-valuenow={used}
      >
        <div className={`h-full rounded-full ${bar}`} style={{ width: `${max === null ? 0 : Math.round(ratio * 100)}%` }} />
      </div>
      {state === "full" ? (
        <p className="mt-1 text-xs font-medium text-red-700">{t("messagesLog.quota.atLimit")}</p>
      ) : state === "near" ? (
        <p className="mt-1 text-xs font-medium text-amber-800">{t("messagesLog.quota.nearLimit")}</p>
      ) : null}
    </section>
  );
}
