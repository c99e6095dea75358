import { z } from "zod";
import { SLUG_PATTERN } from "@/lib/tenancy";
import { MESSAGE_STATUS_VALUES, type MessageStatus } from "@/lib/enums";
import { encodeAuditCursor, parseAuditCursor, type AuditCursor } from "./audit";

// The message log (workspace and console) and the suppression list: filters, paging, actions.

export const MESSAGE_STATUSES = MESSAGE_STATUS_VALUES;
export type MessageStatusName = MessageStatus;

/** A message in one of these may be sent again by hand. */
export const RETRYABLE_STATUSES: readonly MessageStatusName[] = ["failed", "bounced"];

export function isRetryable(status: string): boolean {
  return (RETRYABLE_STATUSES as readonly string[]).includes(status);
}

/** A text field of a filter form: trimmed, "" means "no filter". */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "messagesLog.errors.tooLong")
    .optional()
    .transform((v) => (v ? v : undefined));

/** Keyset cursor: the last row's `createdAt` (ISO, UTC) and id, as `<iso>_<uuid>`. */
export const logCursorSchema = z.string().refine((v) => parseAuditCursor(v) !== null, "messagesLog.errors.invalidCursor");
export type LogCursor = AuditCursor;
export const encodeLogCursor = encodeAuditCursor;
export const parseLogCursor = parseAuditCursor;

const pageShape = {
  cursor: logCursorSchema.optional(),
  limit: z.number().int().min(1).max(100).default(25),
};

const filterShape = {
  status: z.enum(MESSAGE_STATUSES).optional(),
  /** a message key (`team.invitation`), or a prefix ending in "." (`billing.`) */
  key: optionalText(100),
  /** part of the recipient's address */
  search: optionalText(254),
};

export const listMessagesSchema = z.object({ ...filterShape, ...pageShape });

export const adminListMessagesSchema = z.object({
  ...filterShape,
  /** a workspace by slug */
  tenant: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || SLUG_PATTERN.test(v), "messagesLog.errors.invalidTenant"),
  ...pageShape,
});

export const messageIdSchema = z.object({ messageId: z.uuid() });
export const suppressionIdSchema = z.object({ suppressionId: z.uuid() });

export const listSuppressionsSchema = z.object({ search: optionalText(254), ...pageShape });

export const suppressAddressSchema = z.object({
  address: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: "validation.email" }))
    .pipe(z.string().max(254, "messagesLog.errors.tooLong")),
});

export type ListMessagesInput = z.input<typeof listMessagesSchema>;
export type AdminListMessagesInput = z.input<typeof adminListMessagesSchema>;
