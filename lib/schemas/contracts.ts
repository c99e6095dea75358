import { z } from "zod";
import { LATE_FEE_TYPE_VALUES, type LateFeeType } from "@/lib/enums";
import { isCalendarDate } from "./dates";
import { CONTRACT_STATUSES, DEPOSIT_OUTCOMES, type ContractStatus } from "@/lib/rentals/contract-state";

// Contracts: one set of schemas for the forms and the procedures. Money is integer minor units
// (USD cents, KHR riel); the form converts what people type with `parseMoney`
// (lib/money.ts). Late fee "percent" is basis points (500 = 5 %).

export const CONTRACT_CURRENCIES = ["USD", "KHR"] as const;
export const LATE_FEE_TYPES = LATE_FEE_TYPE_VALUES;
export type ContractCurrency = (typeof CONTRACT_CURRENCIES)[number];
export type { LateFeeType };

const MAX_MONEY = 1_000_000_000;
const money = (message: string) => z.number().int(message).min(0, message).max(MAX_MONEY, message);
const day = (message: string) => z.string().trim().refine(isCalendarDate, message);

export const recurringChargeSchema = z.object({
  description: z.string().trim().min(1, "validation.required").max(120, "contracts.errors.tooLong"),
  amount: z
    .number()
    .int("contracts.errors.amountInvalid")
    .min(1, "contracts.errors.amountInvalid")
    .max(MAX_MONEY, "contracts.errors.amountInvalid"),
});

const termsShape = {
  startDate: day("contracts.errors.dateInvalid"),
  endDate: z
    .string()
    .trim()
    .nullable()
    .default(null)
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || isCalendarDate(v), "contracts.errors.dateInvalid"),
  rentAmount: z
    .number()
    .int("contracts.errors.amountInvalid")
    .min(1, "contracts.errors.rentRequired")
    .max(MAX_MONEY, "contracts.errors.amountInvalid"),
  currency: z.enum(CONTRACT_CURRENCIES, { message: "validation.required" }),
  depositAmount: money("contracts.errors.amountInvalid").default(0),
  billingDay: z.number().int("contracts.errors.billingDay").min(1, "contracts.errors.billingDay").max(28, "contracts.errors.billingDay"),
  dueDays: z.number().int("contracts.errors.dueDays").min(0, "contracts.errors.dueDays").max(60, "contracts.errors.dueDays").default(5),
  lateFeeType: z.enum(LATE_FEE_TYPES).default("none"),
  /** minor units (fixed) or basis points (percent) */
  lateFeeValue: money("contracts.errors.amountInvalid").default(0),
  lateFeeGraceDays: z
    .number()
    .int("contracts.errors.graceDays")
    .min(0, "contracts.errors.graceDays")
    .max(90, "contracts.errors.graceDays")
    .default(0),
  electricityRate: money("contracts.errors.amountInvalid").default(0),
  waterRate: money("contracts.errors.amountInvalid").default(0),
  recurringCharges: z.array(recurringChargeSchema).max(10, "contracts.errors.tooManyCharges").default([]),
  notes: z.string().trim().max(2000, "contracts.errors.tooLong").default(""),
};

type TermsCheck = { startDate: string; endDate: string | null; lateFeeType: LateFeeType; lateFeeValue: number };

function checkTerms(v: TermsCheck, ctx: z.RefinementCtx) {
  if (v.endDate && v.endDate < v.startDate) ctx.addIssue({ code: "custom", path: ["endDate"], message: "contracts.errors.endBeforeStart" });
  if (v.lateFeeType === "percent" && v.lateFeeValue > 10_000)
    ctx.addIssue({ code: "custom", path: ["lateFeeValue"], message: "contracts.errors.percentRange" });
  if (v.lateFeeType !== "none" && v.lateFeeValue === 0)
    ctx.addIssue({ code: "custom", path: ["lateFeeValue"], message: "contracts.errors.lateFeeRequired" });
}

export const contractTermsSchema = z.object(termsShape).superRefine(checkTerms);

export const createContractSchema = z
  .object({ unitId: z.uuid({ message: "validation.required" }), renterId: z.uuid({ message: "validation.required" }), ...termsShape })
  .superRefine(checkTerms);

export const updateContractSchema = z
  .object({
    contractId: z.uuid(),
    unitId: z.uuid({ message: "validation.required" }),
    renterId: z.uuid({ message: "validation.required" }),
    ...termsShape,
  })
  .superRefine(checkTerms);

export const contractIdSchema = z.object({ contractId: z.uuid() });

/** End (at the end of the term) or terminate (early) an active contract, recording what happened to the deposit. */
export const closeContractSchema = z.object({
  contractId: z.uuid(),
  /** the move-out day; becomes the contract's end date */
  date: day("contracts.errors.dateInvalid"),
  depositOutcome: z.enum(DEPOSIT_OUTCOMES, { message: "validation.required" }),
  /** minor units given back; only read for partially_returned */
  depositReturnedAmount: z.number().int("contracts.errors.amountInvalid").min(0, "contracts.errors.amountInvalid").nullable().default(null),
  reason: z.string().trim().max(500, "contracts.errors.tooLong").default(""),
});

export const attachScanSchema = z.object({ contractId: z.uuid(), fileId: z.uuid().nullable() });

export const CONTRACT_SORTS = ["startDate", "endDate", "rentAmount", "createdAt"] as const;
export type ContractSort = (typeof CONTRACT_SORTS)[number];
export const MAX_ENDING_WITHIN_DAYS = 366;

export const listContractsSchema = z.object({
  status: z.enum(CONTRACT_STATUSES).optional(),
  propertyId: z.uuid().optional(),
  renterId: z.uuid().optional(),
  unitId: z.uuid().optional(),
  /** active contracts whose end date is between today and today + n days (tenant timezone) */
  endingWithinDays: z.number().int().min(0).max(MAX_ENDING_WITHIN_DAYS).optional(),
  search: z.string().trim().max(100).optional(),
  sort: z
    .object({ id: z.enum(CONTRACT_SORTS).default("startDate"), desc: z.boolean().default(true) })
    .default({ id: "startDate", desc: true }),
  /** opaque keyset cursor (nextCursor of the previous page, same sort); a bad one is a VALIDATION error */
  cursor: z.string().max(1024, "errors.invalidCursor").optional(),
  limit: z.number().int().min(1).max(100).default(25),
});

export type ListContractsInput = z.input<typeof listContractsSchema>;

export const unitOptionsSchema = z.object({ propertyId: z.uuid().optional(), includeUnitId: z.uuid().optional() });
export const renterOptionsSchema = z.object({ search: z.string().trim().max(100).optional(), includeRenterId: z.uuid().optional() });

export interface ContractFilters {
  status?: ContractStatus;
  propertyId?: string;
  renterId?: string;
  unitId?: string;
  endingWithinDays?: number;
}

/** `/contracts?status=active&endingWithinDays=60&propertyId=…&renterId=…` → list filters (unknown values are ignored). */
export function contractFiltersFromSearchParams(params: URLSearchParams | Record<string, string | string[] | undefined>): ContractFilters {
  const get = (k: string) => {
    const v = params instanceof URLSearchParams ? params.get(k) : params[k];
    return Array.isArray(v) ? v[0] : (v ?? undefined);
  };
  const out: ContractFilters = {};
  const status = get("status");
  if (status && (CONTRACT_STATUSES as readonly string[]).includes(status)) out.status = status as ContractStatus;
  for (const k of ["propertyId", "renterId", "unitId"] as const) {
    const v = get(k);
    if (v && z.uuid().safeParse(v).success) out[k] = v;
  }
  const ending = get("endingWithinDays");
  if (ending && /^\d{1,3}$/.test(ending) && Number(ending) <= MAX_ENDING_WITHIN_DAYS) out.endingWithinDays = Number(ending);
  return out;
}

/** The filters as a query string (same keys), for links and for keeping the URL in step with the list. */
export function contractFiltersToSearchParams(f: ContractFilters): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}
