// Feature flags: shared by the console forms (inline errors) and the admin.flags procedures.
// Messages are i18n keys; see docs/FEATURE_FLAGS.md for the strategy (few, owned, expiring).
import { z } from "zod";

/** The flags the code evaluates. Removing a flag starts by deleting its entry here (the compiler then lists every use). */
export const FLAGS = {
  dashboardWhatsNew: "dashboard-whats-new",
} as const;

export const FLAG_KEY_PATTERN = /^[a-z][a-z0-9-]{2,49}$/;

export const flagKeySchema = z.string().trim().regex(FLAG_KEY_PATTERN, { message: "flags.validation.key" });

const descriptionSchema = z
  .string()
  .trim()
  .min(1, { message: "validation.required" })
  .max(500, { message: "flags.validation.descriptionTooLong" });

/** A person or a team (an email, a name, "@billing-team"): someone to ask, and to remove it. */
const ownerSchema = z.string().trim().min(1, { message: "validation.required" }).max(100, { message: "flags.validation.ownerTooLong" });

const expiresAtSchema = z.date({ message: "flags.validation.expiresAt" });

export const createFlagSchema = z.object({
  key: flagKeySchema,
  description: descriptionSchema,
  owner: ownerSchema,
  // a new flag starts with a deadline ahead of it; the service checks again with its own clock
  expiresAt: expiresAtSchema.refine((d) => d.getTime() > Date.now(), { message: "flags.validation.expiryPast" }),
  defaultEnabled: z.boolean().default(false),
});

/**
 * The key is immutable (it is the name the code uses); it only identifies the flag. The expiry
 * may be moved to any date, including the past, so a flag can be marked as overdue for removal.
 */
export const updateFlagSchema = z.object({
  key: flagKeySchema,
  description: descriptionSchema,
  owner: ownerSchema,
  expiresAt: expiresAtSchema,
  defaultEnabled: z.boolean(),
});

export const flagKeyInputSchema = z.object({ key: flagKeySchema });

export const FLAG_SORT_COLUMNS = ["key", "owner", "defaultEnabled", "expiresAt", "overrides"] as const;
export type FlagSortColumn = (typeof FLAG_SORT_COLUMNS)[number];

export const listFlagsSchema = z.object({
  status: z.enum(["all", "active", "expired"]).default("all"),
  // soonest expiry first: expired flags (the ones to remove) lead the list
  sort: z.object({ id: z.enum(FLAG_SORT_COLUMNS), desc: z.boolean() }).default({ id: "expiresAt", desc: false }),
});

/** A tenant named by its address (slug) or its id. */
const tenantRefSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, { message: "validation.required" })
  .max(100, { message: "flags.validation.tenant" });

/** `enabled: null` clears the override: the tenant follows the flag's default again. */
export const setOverrideSchema = z.object({
  key: flagKeySchema,
  tenant: tenantRefSchema,
  enabled: z.boolean().nullable(),
});

export const clearOverrideSchema = z.object({
  key: flagKeySchema,
  tenant: tenantRefSchema,
});

export type CreateFlagInput = z.input<typeof createFlagSchema>;
export type UpdateFlagInput = z.input<typeof updateFlagSchema>;
export type ListFlagsInput = z.input<typeof listFlagsSchema>;
export type SetOverrideInput = z.input<typeof setOverrideSchema>;
