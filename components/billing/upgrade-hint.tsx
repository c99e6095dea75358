"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { useCan } from "@/components/layout/permissions";
import type { PlanFeature, PlanLimit } from "@/lib/billing/plans";

/** The plan's answers (the same PlanGate the server enforces), for disabling actions in the UI. */
export function useEntitlements() {
  const trpc = useTRPC();
  const { data } = useQuery(trpc.billing.entitlements.queryOptions(undefined, { staleTime: 30_000 }));
  return data;
}

export type Entitlements = NonNullable<ReturnType<typeof useEntitlements>>;

export function atLimit(e: Entitlements | undefined, limit: PlanLimit): boolean {
  const max = e?.limits[limit];
  return e !== undefined && max !== null && max !== undefined && e.usage[limit] >= max;
}

export function lacks(e: Entitlements | undefined, feature: PlanFeature): boolean {
  return e !== undefined && !e.features.includes(feature);
}

/** "Members: 5 of 5 on your Starter plan. Upgrade to Pro" — shown next to a disabled action. */
export function UpgradeHint({ entitlements, limit, feature }: { entitlements: Entitlements; limit?: PlanLimit; feature?: PlanFeature }) {
  const { t } = useI18n();
  const can = useCan();
  const key = (limit ?? feature)!;
  const upgradeTo = entitlements.upgradeFor[key] ?? null;
  const text = limit
    ? t("billing.gate.limitReached", {
        limit: t(`billing.limits.${limit}`),
        used: entitlements.usage[limit],
        max: entitlements.limits[limit] ?? 0,
        plan: entitlements.plan.name,
      })
    : t("billing.gate.featureMissing", { feature: t(`billing.features.${feature!}`), plan: entitlements.plan.name });
  return (
    <p className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid={`upgrade-hint-${key}`}>
      {text}{" "}
      {can("billing.view") ? (
        <Link href="/billing" className="font-medium text-amber-950 underline underline-offset-2">
          {upgradeTo ? t("billing.gate.upgradeTo", { plan: upgradeTo }) : t("billing.gate.seePlans")}
        </Link>
      ) : (
        t("billing.gate.askOwner")
      )}
    </p>
  );
}
