// Workspace settings (/settings): shared by the settings form and workspaceSettings.update.
import { z } from "zod";

export const WORKSPACE_LOCALES = ["km", "en"] as const;

/** Limits of Tenant.rentReminderDays; the database CHECK (Tenant_reminder_days_check) says the same. */
export const REMINDER_DAY_MIN = -30;
export const REMINDER_DAY_MAX = 60;
export const MAX_REMINDER_DAYS = 6;

/** Bakong account ids are `name@bank` (e.g. `sokha_apartments@aclb`); KHQR allows at most 32 characters. */
export const BAKONG_ACCOUNT_ID_MAX = 32;
export const BAKONG_ACCOUNT_ID_PATTERN = /^[a-z0-9][a-z0-9._-]*@[a-z0-9]+$/;

/** One reminder: days relative to the due date (negative = before, 0 = on the due date, positive = after). */
export const reminderDaySchema = z
  .number({ message: "settings.errors.reminderDayNumber" })
  .int({ message: "settings.errors.reminderDayNumber" })
  .min(REMINDER_DAY_MIN, { message: "settings.errors.reminderDayRange" })
  .max(REMINDER_DAY_MAX, { message: "settings.errors.reminderDayRange" });

/** A Bakong account id, or "" / null for none (stored as null). */
export const bakongAccountIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(BAKONG_ACCOUNT_ID_MAX, { message: "settings.errors.bakongTooLong" })
  .refine((v) => v === "" || BAKONG_ACCOUNT_ID_PATTERN.test(v), { message: "settings.errors.bakongFormat" })
  .nullable()
  .transform((v) => (v ? v : null));

export const rentReminderDaysSchema = z
  .array(reminderDaySchema)
  .max(MAX_REMINDER_DAYS, { message: "settings.errors.reminderTooMany" })
  .refine((days) => new Set(days).size === days.length, { message: "settings.errors.reminderDuplicate" })
  // stored in order, so the reminders read (and run) from the earliest to the latest
  .transform((days) => [...days].sort((x, y) => x - y));

export const updateWorkspaceSettingsSchema = z.object({
  name: z.string().trim().min(1, { message: "validation.required" }).max(100, { message: "settings.errors.nameTooLong" }),
  locale: z.enum(WORKSPACE_LOCALES, { message: "settings.errors.locale" }),
  bakongAccountId: bakongAccountIdSchema,
  rentReminderDays: rentReminderDaysSchema,
});

export type UpdateWorkspaceSettingsInput = z.input<typeof updateWorkspaceSettingsSchema>;
export type WorkspaceSettingsValues = z.output<typeof updateWorkspaceSettingsSchema>;
