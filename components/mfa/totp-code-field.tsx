"use client";
import type { UseFormRegisterReturn } from "react-hook-form";
import { useI18n } from "@/lib/i18n/client";
import { Field } from "@/components/ui/field";

/** The six-digit authenticator code input, the same in enrolment, sign-in and code renewal. */
export function TotpCodeField({
  id,
  error,
  autoFocus = false,
  field,
}: {
  id: string;
  error?: string;
  autoFocus?: boolean;
  /** react-hook-form's registration of the `code` field */
  field?: UseFormRegisterReturn<"code">;
}) {
  const { t } = useI18n();
  return (
    <Field
      id={id}
      name="code"
      {...field}
      label={t("mfa.codeLabel")}
      help={t("mfa.codeHelp")}
      error={error}
      inputMode="numeric"
      autoComplete="one-time-code"
      autoFocus={autoFocus}
      required
    />
  );
}
