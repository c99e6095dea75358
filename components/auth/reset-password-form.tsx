"use client";
import { resetPasswordSchema } from "@/lib/schemas/auth";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "./form-alert";
import { useJsonPost, type FormInitial } from "./use-json-post";

export function ResetPasswordForm({ token, initial }: { token: string; initial?: FormInitial }) {
  const { t } = useI18n();
  const post = useJsonPost("/api/session/reset-password", resetPasswordSchema, initial);

  return (
    <form {...post.formProps} onSubmit={post.submitAndFollow({ token })} noValidate className="space-y-4" aria-busy={post.pending}>
      <input type="hidden" name="token" value={token} />
      <FormAlert message={post.error ?? (post.fieldErrors.token ? t("auth.resetLinkInvalid") : null)} />
      <Field
        id="password"
        {...post.register("password")}
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
