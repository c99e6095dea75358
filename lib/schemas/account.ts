// The member's own account: shared by the account page's forms and the account procedures.
import { z } from "zod";
import { passwordSchema } from "./auth";

export const updateProfileSchema = z.object({
  name: z.string().trim().min(1, { message: "validation.required" }).max(100, { message: "account.profile.nameTooLong" }),
});

const passwordFields = {
  currentPassword: z.string().min(1, { message: "validation.required" }).max(200, { message: "validation.passwordTooLong" }),
  newPassword: passwordSchema,
};
const differs = (v: { currentPassword: string; newPassword: string }) => v.newPassword !== v.currentPassword;
const mustDiffer = { message: "account.password.mustDiffer", path: ["newPassword"] };

export const changePasswordSchema = z.object(passwordFields).refine(differs, mustDiffer);

/** The page's form adds a confirmation field; the server never sees it. */
export const changePasswordFormSchema = z
  .object({ ...passwordFields, confirmPassword: z.string() })
  .refine(differs, mustDiffer)
  .refine((v) => v.confirmPassword === v.newPassword, { message: "account.password.mismatch", path: ["confirmPassword"] });

export const setLocaleSchema = z.object({ locale: z.enum(["km", "en"]) });

export const revokeSessionSchema = z.object({ id: z.uuid() });

export type UpdateProfileInput = z.infer<typeof updateProfileSchema>;
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
export type SetLocaleInput = z.infer<typeof setLocaleSchema>;
