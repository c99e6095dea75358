"use client";
import { acceptInvitationSchema } from "@/lib/schemas/members";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/auth/form-alert";
import { useJsonPost, type FormInitial } from "@/components/auth/use-json-post";

export function AcceptInvitationForm({
  token,
  email,
  hasAccount,
  initial,
}: {
  token: string;
  email: string;
  hasAccount: boolean;
  initial?: FormInitial;
}) {
  const { t } = useI18n();
  const post = useJsonPost("/api/session/accept-invitation", acceptInvitationSchema, initial);
  return (
    <form {...post.formProps} onSubmit={post.submitAndFollow({ token })} noValidate className="space-y-4" aria-busy={post.pending}>
      <input type="hidden" name="token" value={token} />
      <p className="text-sm text-slate-600">{hasAccount ? t("team.acceptExisting") : t("team.acceptNew")}</p>
      <FormAlert message={post.error} />
      <Field id="email" type="email" label={t("auth.email")} value={email} readOnly />
      {hasAccount ? null : (
        <Field id="name" {...post.register("name")} autoComplete="name" label={t("auth.name")} error={post.fieldErrors.name} required />
      )}
      <Field
        id="password"
        {...post.register("password")}
        type="password"
        autoComplete={hasAccount ? "current-password" : "new-password"}
        label={t("auth.password")}
        error={post.fieldErrors.password}
        help={hasAccount ? undefined : t("validation.passwordTooShort")}
        required
      />
      <Button type="submit" disabled={post.pending} className="w-full">
        {post.pending ? t("auth.working") : t("team.acceptSubmit")}
      </Button>
    </form>
  );
}
