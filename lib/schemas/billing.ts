import { z } from "zod";
import { optionalDay } from "./dates";
import {
  PAYMENT_METHOD_VALUES,
  PAYMENT_STATUS_VALUES,
  SUBSCRIPTION_INVOICE_STATUS_VALUES,
  SUBSCRIPTION_STATUS_VALUES,
  WEBHOOK_STATUS_VALUES,
  type PaymentMethod,
} from "@/lib/enums";
import { BILLING_CURRENCIES, BILLING_INTERVALS, PLAN_FEATURES, PLAN_LIMITS } from "@/lib/billing/plans";

export const changePlanSchema = z.object({
  planCode: z.string().trim().min(1).max(40),
  interval: z.enum(BILLING_INTERVALS),
  currency: z.enum(BILLING_CURRENCIES).optional(),
});

export const invoiceIdSchema = z.object({ invoiceId: z.uuid() });
export const paymentIdSchema = z.object({ paymentId: z.uuid() });

export const listInvoicesSchema = z.object({
  cursor: z.uuid().optional(),
  limit: z.number().int().min(1).max(100).default(20),
});

// ── admin console ──

const minor = z
  .number({ message: "adminBilling.errors.price" })
  .int("adminBilling.errors.price")
  .min(0, "adminBilling.errors.price")
  .max(1_000_000_000, "adminBilling.errors.price");
const days = (max: number) =>
  z
    .number({ message: "adminBilling.errors.days" })
    .int("adminBilling.errors.days")
    .min(0, "adminBilling.errors.days")
    .max(max, "adminBilling.errors.days");
const limitValue = z
  .number({ message: "adminBilling.errors.limit" })
  .int("adminBilling.errors.limit")
  .min(0, "adminBilling.errors.limit")
  .max(10_000_000, "adminBilling.errors.limit")
  .nullable();

export const updatePlanSchema = z.object({
  planId: z.uuid(),
  name: z.string().trim().min(1, { message: "validation.required" }).max(60, { message: "adminBilling.errors.tooLong" }),
  priceMonthlyUsd: minor,
  priceYearlyUsd: minor,
  priceMonthlyKhr: minor,
  priceYearlyKhr: minor,
  trialDays: days(365),
  graceDays: days(90),
  isPublic: z.boolean(),
  features: z.array(z.enum(PLAN_FEATURES)).max(PLAN_FEATURES.length),
  /** null = unlimited */
  limits: z.object(Object.fromEntries(PLAN_LIMITS.map((k) => [k, limitValue])) as Record<(typeof PLAN_LIMITS)[number], typeof limitValue>),
});
export type UpdatePlanInput = z.input<typeof updatePlanSchema>;

/** The console's time zone: from/to days of the billing lists and exports are read in it. */
export const ADMIN_BILLING_TIMEZONE = "Asia/Phnom_Penh";

/** A text filter: trimmed, "" means none. */
const optionalSearch = z
  .string()
  .trim()
  .max(100, "adminBilling.errors.tooLong")
  .optional()
  .transform((v) => (v ? v : undefined));

/** A calendar day (YYYY-MM-DD) in ADMIN_BILLING_TIMEZONE; "" means none. */
const day = optionalDay("adminBilling.errors.date");

function checkRange(value: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  if (value.from && value.to && value.from > value.to) ctx.addIssue({ code: "custom", path: ["to"], message: "adminBilling.errors.range" });
}

const page = (limit: number) => ({
  /** opaque keyset cursor (the last row's sort key and id), checked by the list */
  cursor: z.string().max(1024).optional(),
  limit: z.number().int().min(1).max(100).default(limit),
});

export const SUBSCRIPTION_STATUS_FILTERS = SUBSCRIPTION_STATUS_VALUES;
export const INVOICE_STATUS_FILTERS = SUBSCRIPTION_INVOICE_STATUS_VALUES;
export const PAYMENT_STATUS_FILTERS = PAYMENT_STATUS_VALUES;
export const PAYMENT_METHOD_FILTERS = PAYMENT_METHOD_VALUES;
export const WEBHOOK_STATUS_FILTERS = WEBHOOK_STATUS_VALUES;
/** Providers that store their callbacks in the webhook inbox (the console's provider filter). */
export const WEBHOOK_PROVIDERS = ["bakong", "resend", "telegram"] as const;

export const BILLING_SORTS = ["desc", "asc"] as const;

export const adminSubscriptionsSchema = z.object({
  status: z.enum(SUBSCRIPTION_STATUS_FILTERS).optional(),
  /** by period end; the ones ending soonest first by default */
  sort: z.enum(BILLING_SORTS).default("asc"),
  /** tenant slug or name */
  search: optionalSearch,
  ...page(25),
});

const invoiceFilterShape = {
  status: z.enum(INVOICE_STATUS_FILTERS).optional(),
  /** invoice number, tenant slug or name */
  search: optionalSearch,
  /** issued on or after this day */
  from: day,
  /** issued on or before this day */
  to: day,
  /** by issue time, newest first by default */
  sort: z.enum(BILLING_SORTS).default("desc"),
};
export const adminInvoiceFiltersSchema = z.object(invoiceFilterShape).superRefine(checkRange);
export const adminInvoicesSchema = z.object({ ...invoiceFilterShape, ...page(25) }).superRefine(checkRange);
export type AdminInvoiceFilters = z.output<typeof adminInvoiceFiltersSchema>;

const paymentFilterShape = {
  status: z.enum(PAYMENT_STATUS_FILTERS).optional(),
  method: z.enum(PAYMENT_METHOD_FILTERS).optional(),
  /** only payments whose confirmation did not match (or that an admin must refund) */
  flagged: z.boolean().optional(),
  /** invoice number, tenant slug or name, KHQR md5, Bakong hash or a cash/transfer reference */
  search: optionalSearch,
  /** created on or after this day */
  from: day,
  /** created on or before this day */
  to: day,
  /** by creation time, newest first by default */
  sort: z.enum(BILLING_SORTS).default("desc"),
};
export const adminPaymentFiltersSchema = z.object(paymentFilterShape).superRefine(checkRange);
export const adminPaymentsSchema = z.object({ ...paymentFilterShape, ...page(25) }).superRefine(checkRange);
export type AdminPaymentFilters = z.output<typeof adminPaymentFiltersSchema>;

const FILTER_KEYS = ["status", "method", "search", "from", "to", "sort"] as const;

/** An export link's query string → raw filter input (validate it with the schema). */
export function billingFiltersFromSearchParams(params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value !== null && value !== "") out[key] = value;
  }
  const flagged = params.get("flagged");
  if (flagged !== null) out.flagged = flagged === "1" || flagged === "true";
  return out;
}

/** Filters → an export link's query string (the inverse of billingFiltersFromSearchParams). */
export function billingFiltersToSearchParams(
  filters: Partial<Record<(typeof FILTER_KEYS)[number], string | undefined>> & { flagged?: boolean },
): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key]?.trim();
    // newest first is the default order: left out, like any unset filter
    if (value && !(key === "sort" && value === "desc")) params.set(key, value);
  }
  if (filters.flagged) params.set("flagged", "1");
  return params;
}

export const markInvoicePaidSchema = z.object({
  invoiceId: z.uuid(),
  method: z.enum(["cash", "bank_transfer"] as const satisfies readonly PaymentMethod[], { message: "adminBilling.errors.method" }),
  reference: z.string().trim().min(2, { message: "adminBilling.errors.reference" }).max(200, { message: "adminBilling.errors.tooLong" }),
});

export const refundPaymentSchema = z.object({
  paymentId: z.uuid(),
  reason: z.string().trim().min(2, { message: "adminBilling.errors.reason" }).max(500, { message: "adminBilling.errors.tooLong" }),
});

export const webhookListSchema = z.object({
  provider: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((v) => (v ? v : undefined)),
  status: z.enum(WEBHOOK_STATUS_FILTERS).optional(),
  ...page(25),
});

export const webhookIdSchema = z.object({ webhookEventId: z.uuid() });
