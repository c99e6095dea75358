import { z } from "zod";
import { PROPERTY_TYPE_VALUES, UNIT_STATUS_VALUES, type PropertyType, type UnitStatus } from "@/lib/enums";

// Properties and units: one set of schemas for the forms and the procedures. Money is integer
// minor units (USD cents, KHR riel); the forms convert what people type with `parseMoney` (lib/money.ts).

export const PROPERTY_TYPES = PROPERTY_TYPE_VALUES;
export const UNIT_STATUSES = UNIT_STATUS_VALUES;
/** Statuses staff set by hand; `occupied` comes from contract activation only. */
export const MANUAL_UNIT_STATUSES = ["vacant", "maintenance"] as const satisfies readonly UnitStatus[];
export const RENT_CURRENCIES = ["USD", "KHR"] as const;
export const MAX_PHOTOS_PER_PROPERTY = 12;

export type { PropertyType, UnitStatus };
export type RentCurrency = (typeof RENT_CURRENCIES)[number];

const name = z.string().trim().min(1, "validation.required").max(120, "properties.errors.tooLong");
const text = (max: number) => z.string().trim().max(max, "properties.errors.tooLong");

export const propertyInputSchema = z.object({
  name,
  address: text(300).default(""),
  type: z.enum(PROPERTY_TYPES, { message: "validation.required" }),
  notes: text(2000).default(""),
});

export const createPropertySchema = propertyInputSchema;
export const propertyIdSchema = z.object({ propertyId: z.uuid() });
export const updatePropertySchema = propertyInputSchema.extend({ propertyId: z.uuid() });

const sortDir = { desc: z.boolean().default(false) };
/** A list's opaque keyset cursor: its content is checked by the list (a bad one is a VALIDATION error, errors.invalidCursor). */
const listCursor = z.string().max(1024, "errors.invalidCursor").optional();

export const listPropertiesSchema = z.object({
  search: z.string().trim().max(100).optional(),
  type: z.enum(PROPERTY_TYPES).optional(),
  archived: z.boolean().default(false),
  sort: z.object({ id: z.enum(["name", "createdAt"]).default("name"), ...sortDir }).default({ id: "name", desc: false }),
  /** opaque keyset cursor (nextCursor of the previous page, same sort) */
  cursor: listCursor,
  limit: z.number().int().min(1).max(100).default(25),
});

export const addPhotoSchema = z.object({ propertyId: z.uuid(), fileId: z.uuid() });
export const photoIdSchema = z.object({ photoId: z.uuid() });

const unitCode = z.string().trim().min(1, "validation.required").max(40, "properties.errors.tooLong");

export const unitInputSchema = z.object({
  code: unitCode,
  floor: z.number().int().min(-5, "properties.errors.floorRange").max(200, "properties.errors.floorRange").nullable().default(null),
  sizeSqm: z.number().positive("properties.errors.positive").max(100_000, "properties.errors.positive").nullable().default(null),
  /** minor units of `currency` */
  baseRent: z
    .number()
    .int("properties.errors.rentInvalid")
    .min(0, "properties.errors.rentInvalid")
    .max(1_000_000_000, "properties.errors.rentInvalid"),
  currency: z.enum(RENT_CURRENCIES).default("USD"),
  status: z.enum(MANUAL_UNIT_STATUSES).default("vacant"),
});

export const createUnitSchema = unitInputSchema.extend({ propertyId: z.uuid({ message: "validation.required" }) });
export const unitIdSchema = z.object({ unitId: z.uuid() });
export const updateUnitSchema = unitInputSchema.extend({ unitId: z.uuid() });

export const UNIT_SORTS = ["code", "baseRent", "status", "createdAt"] as const;

export const listUnitsSchema = z.object({
  propertyId: z.uuid().optional(),
  status: z.enum(UNIT_STATUSES).optional(),
  search: z.string().trim().max(100).optional(),
  archived: z.boolean().default(false),
  sort: z.object({ id: z.enum(UNIT_SORTS).default("code"), ...sortDir }).default({ id: "code", desc: false }),
  /** opaque keyset cursor (nextCursor of the previous page, same sort) */
  cursor: listCursor,
  limit: z.number().int().min(1).max(200).default(50),
});

export type ListPropertiesInput = z.input<typeof listPropertiesSchema>;
export type ListUnitsInput = z.input<typeof listUnitsSchema>;

/** `/units?status=vacant&propertyId=…&archived=1` → the list filters (unknown values are ignored, not errors). */
export function unitFiltersFromSearchParams(params: URLSearchParams | Record<string, string | string[] | undefined>): {
  status?: UnitStatus;
  propertyId?: string;
  archived?: true;
} {
  const get = (k: string) => {
    const v = params instanceof URLSearchParams ? params.get(k) : params[k];
    return Array.isArray(v) ? v[0] : (v ?? undefined);
  };
  const status = get("status");
  const propertyId = get("propertyId");
  return {
    ...(status && (UNIT_STATUSES as readonly string[]).includes(status) ? { status: status as UnitStatus } : {}),
    ...(propertyId && z.uuid().safeParse(propertyId).success ? { propertyId } : {}),
    ...(get("archived") === "1" ? { archived: true as const } : {}),
  };
}
