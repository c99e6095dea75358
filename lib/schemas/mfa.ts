// Two-factor authentication inputs, shared by the forms and the mfa procedures.
import { z } from "zod";

const withoutSpaces = (s: string) => s.replace(/\s+/g, "");

/** A 6-digit TOTP code; spaces (as some apps display "123 456") are ignored. */
export const totpCodeSchema = z
  .string()
  .max(20)
  .transform(withoutSpaces)
  .pipe(z.string().regex(/^\d{6}$/, { message: "mfa.validation.code" }));

/** A recovery code as issued (`abcd-2345`); case, spaces and the hyphen are forgiven. */
export const recoveryCodeSchema = z
  .string()
  .max(40)
  .transform((s) => withoutSpaces(s).toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9]{4}-?[a-z0-9]{4}$/, { message: "mfa.validation.recoveryCode" }));

/** The one-time enrolment link's token (`/admin/mfa?enrol=<token>`): 43 base64url characters. */
export const enrolmentTokenSchema = z.string().trim().min(1).max(200);

export const startEnrollmentSchema = z.object({ enrolmentToken: enrolmentTokenSchema });
export const confirmEnrollmentSchema = z.object({ code: totpCodeSchema, enrolmentToken: enrolmentTokenSchema });

/** The sign-in check takes either kind of code; the service tells them apart. */
export const verifyMfaSchema = z.object({
  code: z
    .string()
    .max(40)
    .transform(withoutSpaces)
    .pipe(z.string().regex(/^(\d{6}|[A-Za-z0-9]{4}-?[A-Za-z0-9]{4})$/, { message: "mfa.validation.codeOrRecovery" })),
});

export const regenerateRecoveryCodesSchema = z.object({ code: totpCodeSchema });

/** The forms' one code field: an authenticator code, or a recovery code (the sign-in check). */
export const totpCodeFormSchema = z.object({ code: totpCodeSchema });
export const recoveryCodeFormSchema = z.object({ code: recoveryCodeSchema });

export type VerifyMfaInput = z.input<typeof verifyMfaSchema>;
