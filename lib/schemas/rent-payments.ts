import { z } from "zod";
import { isCalendarDate } from "./dates";

// Rent payments recorded by staff, the contract ledger, the pay link, and the public pay page.
// Amounts are integer minor units (USD cents, KHR riel); the form converts what the user typed.

export const RENT_PAYMENT_METHODS = ["cash", "bank_transfer"] as const;
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

/**
 * "12.50" → 1250 (USD) / "78000" → 78000 (KHR); null when it is not an amount in that currency
 * (negative, too many decimals, not a number).
 */
export function parseMinorAmount(text: string, currency: string): number | null {
  const digits = currency.toUpperCase() === "KHR" ? 0 : 2;
  const cleaned = text.trim().replace(/[,\s]/g, "");
  const pattern = digits === 0 ? /^\d+$/ : /^\d+(\.\d{1,2})?$/;
  if (!pattern.test(cleaned)) return null;
  const [whole, frac = ""] = cleaned.split(".");
  const minor = Number(whole) * 10 ** digits + Number(frac.padEnd(digits, "0") || "0");
  return Number.isSafeInteger(minor) ? minor : null;
}

/** 1250 → "12.50" (USD), 78000 → "78000" (KHR): the value an amount field starts with. */
export function minorToInput(minor: number, currency: string): string {
  return currency.toUpperCase() === "KHR" ? String(minor) : (minor / 100).toFixed(2);
}
