"use client";
import { PLAN_LIMITS, type PlanLimit } from "@/lib/billing/plans";
import type { BillingFormat, BillingOverview } from "./format";

/** Share of a limit in use, 0…1; a zero limit counts as full. */
export function usageRatio(used: number, max: number | null): number {
  if (max === null) return 0;
  if (max <= 0) return 1;
  return Math.min(1, used / max);
}

function tone(ratio: number, max: number | null): "ok" | "near" | "full" {
  if (max === null) return "ok";
  if (ratio >= 1) return "full";
  if (ratio >= 0.8) return "near";
  return "ok";
}

const BAR: Record<ReturnType<typeof tone>, string> = { ok: "bg-teal-600", near: "bg-amber-500", full: "bg-red-600" };

/** One bar per plan limit: used / max (or unlimited), amber from 80 %, red at 100 %. */
export function UsageBars({ overview, f }: { overview: BillingOverview; f: BillingFormat }) {
  const { t } = f;
  const nf = { format: f.number };
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="usage">
      <h2 className="mb-4 text-lg font-semibold text-slate-900">{t("billing.usage.title")}</h2>
      <ul className="grid gap-4 sm:grid-cols-2">
        {PLAN_LIMITS.map((limit: PlanLimit) => {
          const used = overview.usage[limit];
          const max = overview.plan.limits[limit];
          const ratio = usageRatio(used, max);
          const state = tone(ratio, max);
          return (
            <li key={limit} data-testid={`usage-${limit}`} data-state={state}>
              <div className="flex items-baseline justify-between gap-2 text-sm">
                <span className="font-medium text-slate-800">{t(`billing.limits.${limit}`)}</span>
                <span className="shrink-0 tabular-nums text-slate-600" data-testid={`usage-${limit}-value`}>
                  {max === null
                    ? t("billing.usage.unlimited", { used: nf.format(used) })
                    : t("billing.usage.of", { used: nf.format(used), max: nf.format(max) })}
                </span>
              </div>
              <div
                className="mt-1.5 h-2 overflow-hidden rounded-full bg-slate-100"
                role="progressbar"
                aria-label={t(`billing.limits.${limit}`)}
                aria-valuemin={0}
                aria-valuemax={max ?? undefined}
                aria-valuenow={used}
              >
                <div className={`h-full rounded-full ${BAR[state]}`} style={{ width: `${max === null ? 0 : Math.round(ratio * 100)}%` }} />
              </div>
              {state === "full" ? (
                <p className="mt-1 text-xs font-medium text-red-700">{t("billing.usage.atLimit")}</p>
              ) : state === "near" ? (
                <p className="mt-1 text-xs font-medium text-amber-800">{t("billing.usage.nearLimit")}</p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
