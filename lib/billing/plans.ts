// Plan features and limits: one vocabulary for the PlanGate service (backend) and the UI.
import { BILLING_INTERVAL_VALUES, type BillingInterval } from "@/lib/enums";

export const PLAN_FEATURES = ["khqr_rent_collection", "custom_roles", "audit_export", "custom_templates"] as const;
export type PlanFeature = (typeof PLAN_FEATURES)[number];

export const PLAN_LIMITS = ["properties", "units", "members", "messagesPerMonth", "storageMb"] as const;
export type PlanLimit = (typeof PLAN_LIMITS)[number];

/** null = unlimited */
export type PlanLimits = Record<PlanLimit, number | null>;

export const BILLING_CURRENCIES = ["USD", "KHR"] as const;
export type BillingCurrency = (typeof BILLING_CURRENCIES)[number];
export const BILLING_INTERVALS = BILLING_INTERVAL_VALUES;
export type BillingIntervalName = BillingInterval;

export function isPlanFeature(value: string): value is PlanFeature {
  return (PLAN_FEATURES as readonly string[]).includes(value);
}

/** Reads the JSON column defensively: a missing key means 0 (nothing allowed), never "unlimited" by accident. */
export function parsePlanLimits(value: unknown): PlanLimits {
  const source = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  const out = {} as PlanLimits;
  for (const key of PLAN_LIMITS) {
    const v = source[key];
    out[key] = v === null ? null : typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : 0;
  }
  return out;
}

export interface PlanPrices {
  priceMonthlyUsd: number;
  priceYearlyUsd: number;
  priceMonthlyKhr: number;
  priceYearlyKhr: number;
}

export function planPrice(plan: PlanPrices, interval: BillingIntervalName, currency: BillingCurrency): number {
  if (currency === "USD") return interval === "month" ? plan.priceMonthlyUsd : plan.priceYearlyUsd;
  return interval === "month" ? plan.priceMonthlyKhr : plan.priceYearlyKhr;
}

/** The seeded catalog (prisma seed and tests); admins edit prices and limits in /admin/plans afterwards. */
export const DEFAULT_PLANS = [
  {
    code: "free",
    name: "Free",
    tier: 0,
    priceMonthlyUsd: 0,
    priceYearlyUsd: 0,
    priceMonthlyKhr: 0,
    priceYearlyKhr: 0,
    trialDays: 0,
    graceDays: 7,
    features: [] as PlanFeature[],
    limits: { properties: 1, units: 5, members: 2, messagesPerMonth: 50, storageMb: 50 } satisfies PlanLimits,
  },
  {
    code: "starter",
    name: "Starter",
    tier: 1,
    priceMonthlyUsd: 1900,
    priceYearlyUsd: 19000,
    priceMonthlyKhr: 78000,
    priceYearlyKhr: 780000,
    trialDays: 14,
    graceDays: 7,
    features: ["khqr_rent_collection", "audit_export"] as PlanFeature[],
    limits: { properties: 5, units: 60, members: 5, messagesPerMonth: 1000, storageMb: 1024 } satisfies PlanLimits,
  },
  {
    code: "pro",
    name: "Pro",
    tier: 2,
    priceMonthlyUsd: 4900,
    priceYearlyUsd: 49000,
    priceMonthlyKhr: 200000,
    priceYearlyKhr: 2000000,
    trialDays: 14,
    graceDays: 7,
    features: ["khqr_rent_collection", "custom_roles", "audit_export", "custom_templates"] as PlanFeature[],
    limits: { properties: null, units: 500, members: 25, messagesPerMonth: 10000, storageMb: 10240 } satisfies PlanLimits,
  },
] as const;

/** The plan a new workspace trials. */
export const TRIAL_PLAN_CODE = "starter";
