"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useCan } from "@/components/layout/permissions";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import type { BillingFormat, BillingOverview } from "./format";

const DAY = 86_400_000;

const BADGE: Record<BillingOverview["subscription"]["status"], string> = {
  trialing: "bg-sky-50 text-sky-800 ring-sky-200",
  active: "bg-teal-50 text-teal-800 ring-teal-200",
  past_due: "bg-amber-50 text-amber-900 ring-amber-300",
  suspended: "bg-red-50 text-red-800 ring-red-200",
  canceled: "bg-slate-100 text-slate-700 ring-slate-300",
};

/** The current plan, its status in words (trial days left, paid until, grace end) and a scheduled change. */
export function PlanStatus({ overview, f, now }: { overview: BillingOverview; f: BillingFormat; now: number }) {
  const { t } = f;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canManage = useCan()("billing.manage");
  const sub = overview.subscription;
  const keep = useMutation(
    trpc.billing.cancelScheduledChange.mutationOptions({
      onSuccess: () => {
        toast.success(t("billing.kept"));
        void queryClient.invalidateQueries({ queryKey: trpc.billing.pathKey() });
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );

  const currentPrice = overview.plans.find((p) => p.code === overview.plan.code)?.prices[sub.interval][
    sub.currency === "KHR" ? "KHR" : "USD"
  ];
  const detail = (() => {
    switch (sub.status) {
      case "trialing": {
        const end = sub.trialEndsAt ?? sub.currentPeriodEnd;
        const days = Math.ceil((new Date(end).getTime() - now) / DAY);
        return days > 0
          ? t("billing.statusDetail.trialing", { days, date: f.date(end) })
          : t("billing.statusDetail.trialEnded", { date: f.date(end) });
      }
      case "active":
        return currentPrice === 0
          ? t("billing.statusDetail.activeFree")
          : t("billing.statusDetail.active", { date: f.date(sub.currentPeriodEnd) });
      case "past_due":
        return sub.graceEndsAt
          ? t("billing.statusDetail.past_due", { date: f.date(sub.graceEndsAt) })
          : t("billing.statusDetail.past_dueNoDate");
      case "suspended":
        return sub.suspendedAt
          ? t("billing.statusDetail.suspended", { date: f.date(sub.suspendedAt) })
          : t("billing.statusDetail.suspendedNoDate");
      case "canceled":
        return t("billing.statusDetail.canceled");
    }
  })();

  return (
    <section className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="billing-current">
      <p className="text-sm font-medium text-slate-500">{t("billing.currentPlan")}</p>
      <div className="mt-1 flex flex-wrap items-center gap-3">
        <h2 className="text-2xl font-semibold text-slate-900" data-testid="current-plan-name">
          {overview.plan.name}
        </h2>
        <span
          data-testid="subscription-status"
          data-status={sub.status}
          className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ${BADGE[sub.status]}`}
        >
          {t(`billing.status.${sub.status}`)}
        </span>
      </div>
      <p className="mt-2 text-sm text-slate-700" data-testid="subscription-detail">
        {detail}
      </p>
      {currentPrice ? (
        <p className="mt-1 text-sm text-slate-500">
          {f.money(currentPrice, sub.currency)} {t(`billing.per.${sub.interval}`)}
          {" · "}
          {t("billing.billedEvery", { interval: f.interval(sub.interval), currency: sub.currency })}
        </p>
      ) : null}
      {sub.pendingPlan ? (
        <div
          className="mt-4 flex flex-col gap-3 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-950 sm:flex-row sm:items-center sm:justify-between"
          data-testid="scheduled-change"
        >
          <span>
            {t("billing.scheduled", {
              plan: sub.pendingPlan.name,
              interval: f.interval(sub.pendingPlan.interval),
              date: f.date(sub.currentPeriodEnd),
            })}
          </span>
          {canManage ? (
            <Button variant="secondary" disabled={keep.isPending} onClick={() => keep.mutate()}>
              {t("billing.keepCurrent")}
            </Button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
