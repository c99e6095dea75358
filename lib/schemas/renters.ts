import { z } from "zod";
import { PHONE_ERROR_KEYS, normalizeCambodianPhone } from "@/lib/rentals/phone";

// Renters: one set of schemas for the form, the procedures and the CSV import. The phone is
// typed any common Cambodian way and leaves the schema as E.164 (+855…).

export const RENTER_LOCALES = ["km", "en"] as const;
export type RenterLocale = (typeof RENTER_LOCALES)[number];

const text = (max: number) => z.string().trim().max(max, "renters.errors.tooLong");

/** A required Cambodian phone number → E.164. */
export const cambodianPhone = z.string().transform((raw, ctx) => {
  const r = normalizeCambodianPhone(raw);
  if (r.ok) return r.e164;
  ctx.addIssue({ code: "custom", message: PHONE_ERROR_KEYS[r.error] });
  return z.NEVER;
});

/** An optional phone: empty → null, otherwise a Cambodian number → E.164. */
export const optionalCambodianPhone = z
  .string()
  .nullish()
  .transform((raw, ctx) => {
    if (raw == null || raw.trim() === "") return null;
    const r = normalizeCambodianPhone(raw);
    if (r.ok) return r.e164;
    ctx.addIssue({ code: "custom", message: PHONE_ERROR_KEYS[r.error] });
    return z.NEVER;
  });

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "renters.errors.tooLong")
    .nullish()
    .transform((v) => (v ? v : null));

const email = z
  .string()
  .trim()
  .max(254, "renters.errors.tooLong")
  .nullish()
  .transform((v) => (v ? v.toLowerCase() : null))
  .refine((v) => v === null || z.email().safeParse(v).success, "validation.email");

/** "@handle", "handle", "t.me/handle" or a phone number (Telegram finds people by number too). */
const telegram = z
  .string()
  .trim()
  .max(64, "renters.errors.tooLong")
  .nullish()
  .transform((v) => {
    if (!v) return null;
    const handle = v.replace(/^(https?:\/\/)?(t\.me|telegram\.me)\//i, "").replace(/^@/, "");
    return /^\+?[\d\s-]+$/.test(handle) ? handle.replace(/[\s-]/g, "") : `@${handle}`;
  })
  .refine((v) => v === null || /^(@[A-Za-z0-9_]{5,32}|\+?\d{8,15})$/.test(v), "renters.errors.telegram");

const renterFields = z.object({
  nameKm: text(120).default(""),
  nameLatin: text(120).default(""),
  phone: cambodianPhone,
  email,
  telegram,
  emergencyName: optionalText(120),
  emergencyPhone: optionalCambodianPhone,
  notes: text(2000).default(""),
  locale: z.enum(RENTER_LOCALES).default("km"),
});

/** A renter needs a name in at least one script. */
function nameRequired(v: { nameKm: string; nameLatin: string }, ctx: z.RefinementCtx) {
  if (!v.nameKm && !v.nameLatin) {
    ctx.addIssue({ code: "custom", path: ["nameLatin"], message: "renters.errors.nameRequired" });
    ctx.addIssue({ code: "custom", path: ["nameKm"], message: "renters.errors.nameRequired" });
  }
}

export const renterInputSchema = renterFields.superRefine(nameRequired);
export type RenterInput = z.output<typeof renterInputSchema>;

export const createRenterSchema = renterInputSchema;
export const updateRenterSchema = renterFields.extend({ renterId: z.uuid() }).superRefine(nameRequired);
export const renterIdSchema = z.object({ renterId: z.uuid() });
export const setIdDocumentSchema = z.object({ renterId: z.uuid(), fileId: z.uuid().nullable() });

export const RENTER_SORTS = ["nameLatin", "nameKm", "createdAt"] as const;
export type RenterSort = (typeof RENTER_SORTS)[number];

export const listRentersSchema = z.object({
  /** a name in either script, an e-mail, or (part of) a phone number written any common way */
  search: z.string().trim().max(100).optional(),
  archived: z.boolean().default(false),
  sort: z
    .object({ id: z.enum(RENTER_SORTS).default("nameLatin"), desc: z.boolean().default(false) })
    .default({ id: "nameLatin", desc: false }),
  /** opaque keyset cursor (nextCursor of the previous page, same sort); a bad one is a VALIDATION error */
  cursor: z.string().max(1024, "errors.invalidCursor").optional(),
  limit: z.number().int().min(1).max(100).default(25),
});

export type ListRentersInput = z.input<typeof listRentersSchema>;
