// Shared by the forms (client-side validation) and the route handlers (server-side).
import { z } from "zod";
import { slugSchema } from "@/lib/tenancy";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "validation.email" }))
  .pipe(z.string().max(254));

export const passwordSchema = z
  .string()
  .min(10, { message: "validation.passwordTooShort" })
  .max(200, { message: "validation.passwordTooLong" });

export const loginSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, { message: "validation.required" }).max(200),
});

export const signupSchema = z.object({
  name: z.string().trim().min(1, { message: "validation.required" }).max(100),
  email: emailSchema,
  password: passwordSchema,
  workspaceName: z.string().trim().min(2, { message: "validation.tooShort" }).max(100),
  slug: slugSchema,
});

/**
 * The sign-up form's consent checkbox (terms of service and privacy notice, lib/legal.ts): ticked is
 * `true` from the hydrated form and "on" from a plain form post; anything else is refused.
 */
export const acceptTermsSchema = z
  .unknown()
  .refine((v) => v === true || v === "on" || v === "true", { message: "consent.required" })
  .transform(() => true as const);

/** What the sign-up form posts: the account and workspace, and the ticked consent box. */
export const signupFormSchema = signupSchema.extend({ acceptTerms: acceptTermsSchema });

/** The accept page (new terms after sign-in): the button's post; the acceptance is the post itself. */
export const acceptConsentSchema = z.object({});

export const forgotPasswordSchema = z.object({ email: emailSchema });

export const resetPasswordSchema = z.object({
  token: z.string().min(20).max(200),
  password: passwordSchema,
});

export type LoginInput = z.infer<typeof loginSchema>;
export type SignupInput = z.infer<typeof signupSchema>;
