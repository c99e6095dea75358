"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useCan } from "@/components/layout/permissions";
import { toast } from "@/components/ui/toast";
import { confirmAction } from "@/components/ui/confirm";
import { Button } from "@/components/ui/button";
import { PLAN_LIMITS, type BillingCurrency, type BillingIntervalName, type PlanLimit } from "@/lib/billing/plans";
import type { MessageKey } from "@/lib/i18n";
import { decidePlanChange, isLapsed } from "@/lib/billing/plan-change";
import { payHref, type BillingFormat, type BillingOverview, type PlanCardData } from "./format";

export type PlanAction = "current" | "scheduled" | "upgrade" | "buy" | "switch";

/**
 * What choosing `target` at `interval` would do: the same decision BillingService.changePlan acts on
 * (lib/billing/plan-change.ts), plus "scheduled" when that change is already pending.
 */
export function planAction(
  overview: BillingOverview,
  target: PlanCardData,
  interval: BillingIntervalName,
  currency: BillingCurrency,
): PlanAction {
  const sub = overview.subscription;
  if (sub.pendingPlan && sub.pendingPlan.code === target.code && sub.pendingPlan.interval === interval) return "scheduled";
  // the current plan's own prices (it may be a plan no longer offered publicly)
  const flat = (p: Pick<PlanCardData, "prices">) => ({
    priceMonthlyUsd: p.prices.month.USD,
    priceYearlyUsd: p.prices.year.USD,
    priceMonthlyKhr: p.prices.month.KHR,
    priceYearlyKhr: p.prices.year.KHR,
  });
  const action = decidePlanChange(
    {
      status: sub.status,
      interval: sub.interval,
      currency: sub.currency === "KHR" ? "KHR" : "USD",
      current: { code: overview.plan.code, tier: overview.plan.tier, ...flat(overview.plan) },
    },
    { code: target.code, tier: target.tier, ...flat(target) },
    interval,
    currency,
  );
  if (action === "schedule" || action === "switch_now") return "switch";
  // a bigger plan reads "Upgrade" whether it is prorated or a full purchase (from a trial)
  return action === "current" ? "current" : target.tier > overview.plan.tier ? "upgrade" : "buy";
}

const ACTION_LABEL: Record<Exclude<PlanAction, "scheduled">, MessageKey> = {
  current: "billing.plans.current",
  upgrade: "billing.plans.upgrade",
  buy: "billing.plans.buy",
  switch: "billing.plans.switchAtPeriodEnd",
};

function Check() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="mt-0.5 h-4 w-4 shrink-0 text-teal-700">
      <path d="M4 10.5l4 4 8-9" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

function limitText(f: BillingFormat, limit: PlanLimit, max: number | null): string {
  if (max === null) {
    const key = `billing.limitsShort.unlimited${limit.charAt(0).toUpperCase()}${limit.slice(1)}` as MessageKey;
    return f.t(key);
  }
  return f.t(`billing.limitsShort.${limit}`, { max: f.number(max) });
}

/** The public plans with a monthly/yearly and USD/KHR toggle and one action per card. */
export function PlanCards({ overview, f }: { overview: BillingOverview; f: BillingFormat }) {
  const { t } = f;
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canManage = useCan()("billing.manage");
  const sub = overview.subscription;
  const [interval, setBillingInterval] = useState<BillingIntervalName>(sub.interval);
  const [currency, setCurrency] = useState<BillingCurrency>(sub.currency === "KHR" ? "KHR" : "USD");
  const [busyPlan, setBusyPlan] = useState<string | null>(null);

  const change = useMutation(
    trpc.billing.changePlan.mutationOptions({
      onSuccess: (result, input) => {
        void queryClient.invalidateQueries({ queryKey: trpc.billing.pathKey() });
        if (result.kind === "invoice") {
          toast.success(t("billing.plans.invoiceToast"));
          router.push(payHref(result.invoiceId));
        } else if (result.kind === "switched") {
          const plan = overview.plans.find((p) => p.code === input.planCode);
          toast.success(t("billing.plans.switchedToast", { plan: plan?.name ?? input.planCode }));
          router.refresh();
        } else if (result.kind === "scheduled") {
          const plan = overview.plans.find((p) => p.code === input.planCode);
          toast.success(t("billing.plans.scheduledToast", { plan: plan?.name ?? input.planCode, date: f.date(result.effectiveAt) }));
        } else {
          toast.success(t("billing.kept"));
        }
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
      onSettled: () => setBusyPlan(null),
    }),
  );

  async function choose(plan: PlanCardData, action: PlanAction) {
    if (action === "switch") {
      const ok = await confirmAction({
        title: t("billing.plans.confirmDowngradeTitle", { plan: plan.name }),
        text: t("billing.plans.confirmDowngradeText", {
          plan: plan.name,
          current: overview.plan.name,
          date: f.date(isLapsed(sub.status) ? new Date() : sub.currentPeriodEnd),
        }),
        confirmText: t("billing.plans.confirmDowngrade"),
        cancelText: t("common.cancel"),
        danger: true,
      });
      if (!ok) return;
    }
    setBusyPlan(plan.code);
    change.mutate({ planCode: plan.code, interval, currency });
  }

  const toggle = (active: boolean) =>
    `min-h-9 rounded-md px-3 py-1.5 text-sm font-medium transition ${active ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900"}`;

  return (
    <section className="space-y-4" data-testid="plans">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-lg font-semibold text-slate-900">{t("billing.plans.title")}</h2>
        <div className="flex flex-wrap gap-2">
          <div role="group" aria-label={t("billing.plans.billing")} className="inline-flex rounded-lg bg-slate-100 p-1">
            {(["month", "year"] as const).map((i) => (
              <button
                key={i}
                type="button"
                aria-pressed={interval === i}
                className={toggle(interval === i)}
                onClick={() => setBillingInterval(i)}
              >
                {t(i === "month" ? "billing.plans.monthly" : "billing.plans.yearly")}
              </button>
            ))}
          </div>
          <div role="group" aria-label={t("billing.plans.currency")} className="inline-flex rounded-lg bg-slate-100 p-1">
            {(["USD", "KHR"] as const).map((c) => (
              <button key={c} type="button" aria-pressed={currency === c} className={toggle(currency === c)} onClick={() => setCurrency(c)}>
                {t(c === "USD" ? "billing.plans.usd" : "billing.plans.khr")}
              </button>
            ))}
          </div>
        </div>
      </div>
      {!canManage ? <p className="text-sm text-slate-500">{t("billing.plans.noPermission")}</p> : null}
      <ul className="grid gap-4 md:grid-cols-3">
        {overview.plans.map((plan) => {
          const action = planAction(overview, plan, interval, currency);
          const price = plan.prices[interval][currency];
          const isCurrent = plan.code === overview.plan.code;
          const savePercent =
            interval === "year" && plan.prices.month[currency] > 0
              ? Math.round((1 - plan.prices.year[currency] / (plan.prices.month[currency] * 12)) * 100)
              : 0;
          return (
            <li
              key={plan.code}
              data-testid={`plan-card-${plan.code}`}
              className={`flex flex-col rounded-xl border bg-white p-5 shadow-sm ${isCurrent ? "border-teal-600 ring-1 ring-teal-600" : "border-slate-200"}`}
            >
              <div className="flex items-center justify-between gap-2">
                <h3 className="text-lg font-semibold text-slate-900">{plan.name}</h3>
                {isCurrent ? (
                  <span className="rounded-full bg-teal-50 px-2 py-0.5 text-xs font-medium text-teal-800">
                    {t("billing.plans.current")}
                  </span>
                ) : null}
              </div>
              <p className="mt-2 text-2xl font-bold text-slate-900" data-testid={`plan-price-${plan.code}`}>
                {price === 0 ? t("billing.plans.free") : f.money(price, currency)}
                {price > 0 ? <span className="ml-1 text-sm font-normal text-slate-500">{t(`billing.per.${interval}`)}</span> : null}
              </p>
              <div className="mt-1 min-h-5 text-xs text-slate-500">
                {savePercent > 0 ? (
                  <span className="font-medium text-teal-700">{t("billing.plans.save", { percent: savePercent })}</span>
                ) : null}
                {plan.trialDays > 0 && sub.status === "trialing" && isCurrent ? (
                  <span className="ml-2">{t("billing.plans.trialDays", { days: plan.trialDays })}</span>
                ) : null}
              </div>
              <ul className="mt-4 flex-1 space-y-1.5 text-sm text-slate-700">
                {PLAN_LIMITS.map((limit) => (
                  <li key={limit} className="flex gap-2">
                    <Check />
                    {limitText(f, limit, plan.limits[limit])}
                  </li>
                ))}
                {plan.features.map((feature) => (
                  <li key={feature} className="flex gap-2">
                    <Check />
                    {t(`billing.features.${feature}` as MessageKey)}
                  </li>
                ))}
              </ul>
              <div className="mt-5">
                {action === "scheduled" ? (
                  <p className="rounded-lg bg-amber-50 px-3 py-2 text-center text-sm font-medium text-amber-900">
                    {t("billing.plans.scheduledBadge", { date: f.date(sub.currentPeriodEnd) })}
                  </p>
                ) : (
                  <Button
                    className="w-full"
                    variant={action === "upgrade" || action === "buy" ? "primary" : "secondary"}
                    disabled={action === "current" || !canManage || change.isPending}
                    data-testid={`plan-action-${plan.code}`}
                    data-action={action}
                    onClick={() => void choose(plan, action)}
                  >
                    {busyPlan === plan.code ? t("auth.working") : t(ACTION_LABEL[action])}
                  </Button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
