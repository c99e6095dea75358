"use client";
import { useI18n } from "@/lib/i18n/client";
import { Field } from "@/components/ui/field";

/** The six-digit authenticator code input, the same in enrolment, sign-in and code renewal. */
export function TotpCodeField({ id, error, autoFocus = false }: { id: string; error?: string; autoFocus?: boolean }) {
  const { t } = useI18n();
  return (
    <Field
      id={id}
      name="code"
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
