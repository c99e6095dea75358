// The workspace's own cash and bank-transfer instructions (/settings → "How renters pay you"):
// shared by the settings form and workspaceSettings.updatePaymentInstructions. Each field is
// optional; an empty field is stored as null and not shown.
import { z } from "zod";

export const PAYMENT_INSTRUCTION_LIMITS = { bankName: 80, accountName: 80, accountNumber: 40, phone: 30 } as const;

/** digits with spaces or dashes between them (as banks print account numbers) */
export const ACCOUNT_NUMBER_PATTERN = /^[0-9](?:[0-9 -]*[0-9])?$/;
/** a phone number: an optional +, then digits with spaces or dashes, 6 to 15 digits */
export const PHONE_PATTERN = /^\+?[0-9](?:[0-9 -]*[0-9])?$/;

function optionalText(max: number, tooLong: string) {
  return z
    .string()
    .trim()
    .max(max, { message: tooLong })
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { message: "settings.payInstructions.errors.invalid" })
    .nullable()
    .transform((v) => (v ? v.replace(/\s+/g, " ") : null));
}

export const updatePaymentInstructionsSchema = z.object({
  bankName: optionalText(PAYMENT_INSTRUCTION_LIMITS.bankName, "settings.payInstructions.errors.tooLong"),
  accountName: optionalText(PAYMENT_INSTRUCTION_LIMITS.accountName, "settings.payInstructions.errors.tooLong"),
  accountNumber: optionalText(PAYMENT_INSTRUCTION_LIMITS.accountNumber, "settings.payInstructions.errors.tooLong").refine(
    (v) => v === null || ACCOUNT_NUMBER_PATTERN.test(v),
    { message: "settings.payInstructions.errors.accountNumber" },
  ),
  phone: optionalText(PAYMENT_INSTRUCTION_LIMITS.phone, "settings.payInstructions.errors.tooLong").refine(
    (v) => v === null || (PHONE_PATTERN.test(v) && (v.match(/[0-9]/g)?.length ?? 0) >= 6 && (v.match(/[0-9]/g)?.length ?? 0) <= 15),
    { message: "settings.payInstructions.errors.phone" },
  ),
});

export type UpdatePaymentInstructionsInput = z.input<typeof updatePaymentInstructionsSchema>;
export type PaymentInstructionsValues = z.output<typeof updatePaymentInstructionsSchema>;
