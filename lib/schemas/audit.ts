import { z } from "zod";
import { optionalDay } from "./dates";
import { SLUG_PATTERN } from "@/lib/tenancy";

// Audit log filters, shared by the filter bar, the tRPC procedures and the CSV export route
// handlers (which read the same fields from the query string).

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A text field of a filter form: trimmed, "" means "no filter". */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "audit.tooLong")
    .optional()
    .transform((v) => (v ? v : undefined));

/** A calendar day (YYYY-MM-DD), read as a whole day in the tenant's timezone. */
const day = optionalDay("audit.invalidDate");

/** Keyset cursor: the last row's `createdAt` (ISO, UTC) and id, as `<iso>_<uuid>`. */
export const auditCursorSchema = z.string().refine((v) => parseAuditCursor(v) !== null, "audit.invalidCursor");

export interface AuditCursor {
  createdAt: Date;
  id: string;
}

export function encodeAuditCursor(row: AuditCursor): string {
  return `${row.createdAt.toISOString()}_${row.id}`;
}

export function parseAuditCursor(value: string): AuditCursor | null {
  const sep = value.lastIndexOf("_");
  if (sep < 0) return null;
  const iso = value.slice(0, sep);
  const id = value.slice(sep + 1);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(iso) || !UUID.test(id)) return null;
  const createdAt = new Date(iso);
  return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id: id.toLowerCase() };
}

export const AUDIT_SORTS = ["desc", "asc"] as const;

/** The filter fields every audit view has. */
const filterShape = {
  /** an email (contains, case-insensitive) or a user id (actor or impersonator) */
  actor: optionalText(200),
  /** exact action, or a prefix ending in "." (`membership.`) or "*" (`membership.role*`) */
  action: optionalText(100),
  targetType: optionalText(100),
  targetId: optionalText(200),
  from: day,
  to: day,
  /** free text over action, actor email, target type/id and metadata */
  q: optionalText(200),
  /** by time (createdAt), newest first by default */
  sort: z.enum(AUDIT_SORTS).default("desc"),
};

const adminShape = {
  /** a tenant by slug */
  tenant: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || SLUG_PATTERN.test(v), "audit.invalidTenant"),
  /** only platform events (no tenant) */
  platformOnly: z.boolean().default(false),
};

const pageShape = {
  cursor: auditCursorSchema.optional(),
  limit: z.number().int().min(1).max(100).default(50),
};

type RangeInput = { from?: string; to?: string };
function checkRange(value: RangeInput, ctx: z.RefinementCtx): void {
  if (value.from && value.to && value.from > value.to) ctx.addIssue({ code: "custom", path: ["to"], message: "audit.rangeOrder" });
}
function checkScope(value: { tenant?: string; platformOnly: boolean }, ctx: z.RefinementCtx): void {
  if (value.tenant && value.platformOnly) ctx.addIssue({ code: "custom", path: ["platformOnly"], message: "audit.tenantOrPlatform" });
}

/** Workspace: the tenant's own log. */
export const auditFiltersSchema = z.object(filterShape).superRefine(checkRange);
export const listAuditSchema = z.object({ ...filterShape, ...pageShape }).superRefine(checkRange);

/** Admin console: every tenant's log and platform events. */
export const adminAuditFiltersSchema = z
  .object({ ...filterShape, ...adminShape })
  .superRefine(checkRange)
  .superRefine(checkScope);
export const adminListAuditSchema = z
  .object({ ...filterShape, ...adminShape, ...pageShape })
  .superRefine(checkRange)
  .superRefine(checkScope);

export type AuditFilters = z.output<typeof auditFiltersSchema>;
export type AuditFiltersInput = z.input<typeof auditFiltersSchema>;
export type AdminAuditFilters = z.output<typeof adminAuditFiltersSchema>;
export type AdminAuditFiltersInput = z.input<typeof adminAuditFiltersSchema>;
export type ListAuditInput = z.input<typeof listAuditSchema>;
export type AdminListAuditInput = z.input<typeof adminListAuditSchema>;

const TEXT_KEYS = ["actor", "action", "targetType", "targetId", "from", "to", "q", "tenant"] as const;

/**
 * The query string of an export link → raw filter input (validate it with the schema).
 * Unknown parameters are ignored; `sort` and `platformOnly` are read as they are written below.
 */
export function filtersFromSearchParams(params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of TEXT_KEYS) {
    const value = params.get(key);
    if (value !== null) out[key] = value;
  }
  const sort = params.get("sort");
  if (sort !== null) out.sort = sort;
  const platformOnly = params.get("platformOnly");
  if (platformOnly !== null) out.platformOnly = platformOnly === "1" || platformOnly === "true";
  return out;
}

/** Filters → the query string of an export link (the inverse of filtersFromSearchParams). */
export function filtersToSearchParams(
  filters: Partial<Record<(typeof TEXT_KEYS)[number], string | undefined>> & {
    sort?: string;
    platformOnly?: boolean;
  },
): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of TEXT_KEYS) {
    const value = filters[key]?.trim();
    if (value) params.set(key, value);
  }
  if (filters.sort && filters.sort !== "desc") params.set("sort", filters.sort);
  if (filters.platformOnly) params.set("platformOnly", "1");
  return params;
}
