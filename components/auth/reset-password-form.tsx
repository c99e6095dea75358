"use client";
import { resetPasswordSchema } from "@/lib/schemas/auth";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "./form-alert";
import { formValues, useJsonPost } from "./use-json-post";

export function ResetPasswordForm({ token }: { token: string }) {
  const { t } = useI18n();
  const post = useJsonPost("/api/session/reset-password", resetPasswordSchema);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const result = await post.submit({ ...formValues(e.currentTarget), token });
    if (result && typeof result.redirectTo === "string") window.location.href = result.redirectTo;
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-busy={post.pending}>
      <FormAlert message={post.error ?? (post.fieldErrors.token ? t("auth.resetLinkInvalid") : null)} />
      <Field
        id="password"
        name="password"
        type="password"
        autoComplete="new-password"
        label={t("auth.newPassword")}
        error={post.fieldErrors.password}
        help={t("validation.passwordTooShort")}
        required
      />
      <Button type="submit" disabled={post.pending} className="w-full">
        {post.pending ? t("auth.working") : t("auth.resetSubmit")}
      </Button>
    </form>
  );
}
