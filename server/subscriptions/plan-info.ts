import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import { DEFAULT_PLANS, isPlanFeature, parsePlanLimits, type PlanFeature, type PlanLimits } from "@/lib/billing/plans";
import { isReadOnlyStatus, type SubscriptionStatusName } from "@/lib/billing/payment-state";
import { asEnumValue, SUBSCRIPTION_STATUS_VALUES } from "@/lib/enums";

/** What the tenant's subscription allows right now; part of every TenantContext. */
export interface PlanInfo {
  subscriptionId: string | null;
  status: SubscriptionStatusName;
  /** suspended or canceled: reads work, writes are refused except billing */
  readOnly: boolean;
  planId: string | null;
  code: string;
  name: string;
  tier: number;
  features: ReadonlySet<PlanFeature>;
  limits: PlanLimits;
  currentPeriodEnd: Date | null;
  trialEndsAt: Date | null;
  graceEndsAt: Date | null;
}

const FREE = DEFAULT_PLANS[0];

/** Reads the subscription in the caller's (tenant or platform) transaction. */
export async function loadPlanInfo(tx: DbTx, tenantId: string): Promise<PlanInfo> {
  const sub = await tx.subscription.findUnique({ where: { tenantId }, include: { plan: true } });
  if (!sub) {
    // a workspace without a subscription row (created before billing existed) gets the free plan
    const free = await tx.plan.findUnique({ where: { code: FREE.code } });
    return {
      subscriptionId: null,
      status: "active",
      readOnly: false,
      planId: free?.id ?? null,
      code: FREE.code,
      name: free?.name ?? FREE.name,
      tier: free?.tier ?? FREE.tier,
      features: new Set((free?.features ?? FREE.features).filter(isPlanFeature)),
      limits: free ? parsePlanLimits(free.limits) : { ...FREE.limits },
      currentPeriodEnd: null,
      trialEndsAt: null,
      graceEndsAt: null,
    };
  }
  return {
    subscriptionId: sub.id,
    status: asEnumValue(SUBSCRIPTION_STATUS_VALUES, sub.status),
    readOnly: isReadOnlyStatus(asEnumValue(SUBSCRIPTION_STATUS_VALUES, sub.status)),
    planId: sub.plan.id,
    code: sub.plan.code,
    name: sub.plan.name,
    tier: sub.plan.tier,
    features: new Set(sub.plan.features.filter(isPlanFeature)),
    limits: parsePlanLimits(sub.plan.limits),
    currentPeriodEnd: sub.currentPeriodEnd,
    trialEndsAt: sub.trialEndsAt,
    graceEndsAt: sub.graceEndsAt,
  };
}
