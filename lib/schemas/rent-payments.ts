import { z } from "zod";
import type { PaymentMethod, PaymentStatus } from "@/lib/enums";
import { PERIOD_PATTERN } from "@/lib/dates";
import { isCalendarDate } from "./dates";
import { listCursorSchema, RENT_CURRENCY_CODES } from "./rent-invoices";

// Rent payments recorded by staff, the contract ledger, the pay link, and the public pay page.
// Amounts are integer minor units (USD cents, KHR riel); the form converts what the user typed.

export const RENT_PAYMENT_METHODS = ["cash", "bank_transfer"] as const satisfies readonly PaymentMethod[];
export type RentPaymentMethod = (typeof RENT_PAYMENT_METHODS)[number];

/** The most one payment may be (minor units): 10 million dollars / riel ×100, far above any rent. */
export const MAX_RENT_PAYMENT = 1_000_000_000;

export const recordRentPaymentSchema = z
  .object({
    invoiceId: z.uuid(),
    method: z.enum(RENT_PAYMENT_METHODS, { message: "rentPayments.errors.method" }),
    amount: z
      .number({ message: "rentPayments.errors.amount" })
      .int("rentPayments.errors.amount")
      .min(1, "rentPayments.errors.amount")
      .max(MAX_RENT_PAYMENT, "rentPayments.errors.amount"),
    reference: z.string().trim().max(100, "rentPayments.errors.referenceLength").default(""),
    /** the day the money was received, in the workspace's timezone */
    paidOn: z.string().trim().refine(isCalendarDate, "rentPayments.errors.paidOn"),
    /**
     * received in the invoice's other currency (docs/CURRENCY.md): `amount` is then in minor units of
     * this currency, converted at `khrPerUsd` (default: the rate of `paidOn`)
     */
    receivedCurrency: z.enum(["USD", "KHR"]).optional(),
    khrPerUsd: z
      .number()
      .int("currency.errors.rateRange")
      .min(1000, "currency.errors.rateRange")
      .max(100_000, "currency.errors.rateRange")
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.method === "bank_transfer" && v.reference === "") {
      ctx.addIssue({ code: "custom", path: ["reference"], message: "rentPayments.errors.referenceRequired" });
    }
  });
export type RecordRentPaymentInput = z.input<typeof recordRentPaymentSchema>;

export const rentInvoiceIdSchema = z.object({ invoiceId: z.uuid() });
export const contractLedgerSchema = z.object({ contractId: z.uuid() });

// ── public pay page ──

/** A pay token as newPayToken makes it (anything else is the same 404 as an unknown token). */
export const payTokenSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });
export const payTokenPaymentSchema = payTokenSchema.extend({ paymentId: z.uuid() });

// ── the payments list (/payments) ──

/** Every Payment status a rent payment can have; the list shows one at a time (paid by default, like the dashboard). */
export const RENT_PAYMENT_STATUSES = ["paid", "pending", "failed", "expired", "refunded"] as const satisfies readonly PaymentStatus[];
export type RentPaymentStatus = (typeof RENT_PAYMENT_STATUSES)[number];
/** Every way rent arrives: recorded by staff (cash, bank transfer) or paid by the renter (KHQR). */
export const RENT_PAYMENT_LIST_METHODS = ["cash", "bank_transfer", "khqr"] as const satisfies readonly PaymentMethod[];
export type RentPaymentListMethod = (typeof RENT_PAYMENT_LIST_METHODS)[number];
export const RENT_PAYMENT_SORTS = ["paidAt", "amount"] as const;

const period = z.string().regex(PERIOD_PATTERN, "rentPayments.list.errors.period");
const day = z.string().refine(isCalendarDate, "rentPayments.list.errors.day");

/**
 * `/payments` and `rentPayments.list`: `period` (YYYY-MM) and `from`/`to` (YYYY-MM-DD, both
 * inclusive) are days of the workspace's calendar, read on paidAt (on createdAt for payments that
 * were never paid: pending, failed, expired).
 */
export const listRentPaymentsSchema = z.object({
  status: z.enum(RENT_PAYMENT_STATUSES).default("paid"),
  method: z.enum(RENT_PAYMENT_LIST_METHODS).optional(),
  currency: z.enum(RENT_CURRENCY_CODES).optional(),
  propertyId: z.uuid().optional(),
  period: period.optional(),
  from: day.optional(),
  to: day.optional(),
  search: z.string().trim().max(100).optional(),
  sort: z
    .object({ id: z.enum(RENT_PAYMENT_SORTS).default("paidAt"), desc: z.boolean().default(true) })
    .default({ id: "paidAt", desc: true }),
  /** the opaque nextCursor of the previous page (server/core/keyset.ts; a bare payment id, the previous format, still works) */
  cursor: listCursorSchema.optional(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type ListRentPaymentsInput = z.input<typeof listRentPaymentsSchema>;

export interface PaymentFilters {
  status?: RentPaymentStatus;
  method?: RentPaymentListMethod;
  currency?: (typeof RENT_CURRENCY_CODES)[number];
  propertyId?: string;
  period?: string;
  from?: string;
  to?: string;
}
export const PAYMENT_FILTER_KEYS = ["status", "method", "currency", "propertyId", "period", "from", "to"] as const;

/** `/payments?status=&method=&currency=&propertyId=&period=&from=&to=` → list filters (unknown values are ignored, not errors). */
export function paymentFiltersFromSearchParams(params: URLSearchParams | Record<string, string | string[] | undefined>): PaymentFilters {
  const get = (k: string) => {
    const v = params instanceof URLSearchParams ? params.get(k) : params[k];
    return Array.isArray(v) ? v[0] : (v ?? undefined);
  };
  const oneOf = <T extends string>(values: readonly T[], v: string | undefined): T | undefined =>
    v !== undefined && (values as readonly string[]).includes(v) ? (v as T) : undefined;
  const status = oneOf(RENT_PAYMENT_STATUSES, get("status"));
  const method = oneOf(RENT_PAYMENT_LIST_METHODS, get("method"));
  const currency = oneOf(RENT_CURRENCY_CODES, get("currency")?.toUpperCase());
  const propertyId = get("propertyId");
  const p = get("period");
  const from = get("from");
  const to = get("to");
  return {
    ...(status ? { status } : {}),
    ...(method ? { method } : {}),
    ...(currency ? { currency } : {}),
    ...(propertyId && z.uuid().safeParse(propertyId).success ? { propertyId } : {}),
    ...(p && PERIOD_PATTERN.test(p) ? { period: p } : {}),
    ...(from && isCalendarDate(from) ? { from } : {}),
    ...(to && isCalendarDate(to) ? { to } : {}),
  };
}
