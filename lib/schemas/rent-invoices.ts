import { z } from "zod";
import { RENT_INVOICE_STATUSES, type RentInvoiceStatusName } from "@/lib/rentals/invoice-state";
import { PERIOD_PATTERN } from "@/lib/dates";

// Rent invoices (/invoices, /invoices/<id>, /invoices/run): one set of schemas for the pages and the
// procedures. The list filters also come from the URL (dashboard links): see invoiceFiltersFromSearchParams.

export const RENT_CURRENCY_CODES = ["USD", "KHR"] as const;
export const RENT_INVOICE_SORTS = ["issuedAt", "dueDate", "number", "total", "period"] as const;

const period = z.string().regex(PERIOD_PATTERN, "invoices.errors.period");

/** A list's keyset cursor as the client sends it back: opaque; the service decodes and validates it (errors.invalidCursor). */
export const listCursorSchema = z.string().min(1, "errors.invalidCursor").max(1024, "errors.invalidCursor");

export const listRentInvoicesSchema = z.object({
  status: z.enum(RENT_INVOICE_STATUSES).optional(),
  propertyId: z.uuid().optional(),
  contractId: z.uuid().optional(),
  period: period.optional(),
  currency: z.enum(RENT_CURRENCY_CODES).optional(),
  search: z.string().trim().max(100).optional(),
  sort: z
    .object({ id: z.enum(RENT_INVOICE_SORTS).default("issuedAt"), desc: z.boolean().default(true) })
    .default({ id: "issuedAt", desc: true }),
  /** the opaque nextCursor of the previous page (server/core/keyset.ts; a bare invoice id, the previous format, still works) */
  cursor: listCursorSchema.optional(),
  limit: z.number().int().min(1).max(100).default(25),
});

export const rentInvoiceRefSchema = z.object({ invoiceId: z.uuid() });
export const rentContractRefSchema = z.object({ contractId: z.uuid() });

export const voidRentInvoiceSchema = z.object({
  invoiceId: z.uuid(),
  reason: z.string().trim().min(1, "validation.required").max(300, "invoices.errors.tooLong"),
});

export const startInvoiceRunSchema = z.object({ propertyId: z.uuid({ message: "validation.required" }) });
export const invoiceRunRefSchema = z.object({ runId: z.uuid() });
export const listInvoiceRunsSchema = z.object({ propertyId: z.uuid().optional(), limit: z.number().int().min(1).max(50).default(10) });

export const addRentChargeSchema = z.object({
  contractId: z.uuid(),
  description: z.string().trim().min(1, "validation.required").max(200, "invoices.errors.tooLong"),
  /** minor units of the contract's currency */
  amount: z.number().int("invoices.errors.amount").min(1, "invoices.errors.amount").max(1_000_000_000, "invoices.errors.amount"),
});

export type ListRentInvoicesInput = z.input<typeof listRentInvoicesSchema>;

export interface InvoiceFilters {
  status?: RentInvoiceStatusName;
  propertyId?: string;
  period?: string;
  currency?: (typeof RENT_CURRENCY_CODES)[number];
}

/** `/invoices?status=&propertyId=&period=&currency=` → list filters (unknown values are ignored, not errors). */
export function invoiceFiltersFromSearchParams(params: URLSearchParams | Record<string, string | string[] | undefined>): InvoiceFilters {
  const get = (k: string) => {
    const v = params instanceof URLSearchParams ? params.get(k) : params[k];
    return Array.isArray(v) ? v[0] : (v ?? undefined);
  };
  const status = get("status");
  const propertyId = get("propertyId");
  const p = get("period");
  const currency = get("currency")?.toUpperCase();
  return {
    ...(status && (RENT_INVOICE_STATUSES as readonly string[]).includes(status) ? { status: status as RentInvoiceStatusName } : {}),
    ...(propertyId && z.uuid().safeParse(propertyId).success ? { propertyId } : {}),
    ...(p && PERIOD_PATTERN.test(p) ? { period: p } : {}),
    ...(currency && (RENT_CURRENCY_CODES as readonly string[]).includes(currency)
      ? { currency: currency as InvoiceFilters["currency"] }
      : {}),
  };
}
