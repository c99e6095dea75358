// What choosing a plan would do. One function for BillingService.changePlan (which acts on it)
// and the billing page (which labels the buttons with it), so the two never disagree.
import { planPrice, type BillingCurrency, type BillingIntervalName, type PlanPrices } from "./plans";
import type { SubscriptionStatusName } from "./payment-state";

export type PlanChangeAction =
  /** this is the plan they have (and nothing is scheduled away from it) */
  | "current"
  /** a smaller plan / other interval, taking effect at the period end */
  | "schedule"
  /** a lapsed workspace moving to the free plan: at once, no invoice */
  | "switch_now"
  /** a bigger plan during a paid period: prorated invoice, effective when paid */
  | "upgrade"
  /** a paid plan from trial, free or a lapsed subscription: full-period invoice, period starts when paid */
  | "buy";

export interface PlanChoiceState {
  status: SubscriptionStatusName;
  interval: BillingIntervalName;
  currency: BillingCurrency;
  current: PlanPrices & { code: string; tier: number };
}

export function isLapsed(status: SubscriptionStatusName): boolean {
  return status === "past_due" || status === "suspended" || status === "canceled";
}

export function decidePlanChange(
  state: PlanChoiceState,
  target: PlanPrices & { code: string; tier: number },
  interval: BillingIntervalName,
  currency: BillingCurrency,
): PlanChangeAction {
  const paidPeriod = state.status === "active" && planPrice(state.current, state.interval, state.currency) > 0;
  const sameChoice = target.code === state.current.code && interval === state.interval;
  const toFree = planPrice(target, interval, currency) === 0;
  const lapsed = isLapsed(state.status);
  if (sameChoice && (state.status === "active" || (toFree && !lapsed && state.status !== "trialing"))) return "current";
  if (toFree) return lapsed ? "switch_now" : "schedule";
  if (lapsed) return "buy";
  if (target.tier < state.current.tier) return "schedule";
  if (paidPeriod && target.tier === state.current.tier && interval !== state.interval) return "schedule";
  if (paidPeriod && target.tier > state.current.tier && interval === state.interval && currency === state.currency) return "upgrade";
  return "buy";
}
