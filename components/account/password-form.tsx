"use client";
import { useState } from "react";
import type { FieldValues } from "react-hook-form";
import type { z } from "zod";
import { changePasswordFormSchema } from "@/lib/schemas/account";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/auth/form-alert";
import type { FormInitial } from "@/components/auth/use-json-post";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";

/**
 * Before the page hydrates (or without JavaScript) the form posts to a session route that runs
 * the same procedure and comes back with `initial` (its error) or `changed`.
 */
export function PasswordForm({ disabled, initial, changed = false }: { disabled: boolean; initial?: FormInitial; changed?: boolean }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  // no default values: each field starts from what its input holds (typed before hydration)
  const form = useZodForm<FieldValues, z.output<typeof changePasswordFormSchema>>(changePasswordFormSchema, {});
  // the no-JS post's field errors, shown until the form is submitted here
  const [initialErrors, setInitialErrors] = useState<Record<string, string>>(initial?.fieldErrors ?? {});
  const [alert, setAlert] = useState<string | null>(initial?.error ?? null);
  const [notice, setNotice] = useState<string | null>(changed ? t("account.password.changed") : null);
  const error = (name: string) => form.formState.errors[name]?.message?.toString() ?? initialErrors[name];

  const change = useFormMutation(form, trpc.account.changePassword.mutationOptions(), {
    // a wrong current password is the only business VALIDATION error here: show it at its field
    codeFields: { VALIDATION: "currentPassword" },
    onError: (message, { onField }) => {
      if (!onField) setAlert(message);
    },
    successToast: () => t("account.password.changed"),
    invalidate: [trpc.account.sessions.queryKey()],
    onSuccess: () => form.reset({ currentPassword: "", newPassword: "", confirmPassword: "" }),
  });

  function submit(e: React.FormEvent<HTMLFormElement>) {
    setAlert(null);
    setNotice(null);
    setInitialErrors({});
    return form.handleSubmit(({ currentPassword, newPassword }) => change.mutate({ currentPassword, newPassword }))(e);
  }

  return (
    <Card title={t("account.password.title")}>
      <p className="mb-4 text-sm text-slate-600">{t("account.password.help")}</p>
      <form
        method="post"
        action="/api/session/password"
        onSubmit={submit}
        noValidate
        className="space-y-4"
        aria-busy={change.isPending}
        data-testid="password-form"
      >
        <FormAlert message={notice} tone="success" />
        <FormAlert message={alert} />
        <Field
          id="current-password"
          {...form.register("currentPassword")}
          type="password"
          autoComplete="current-password"
          label={t("account.password.current")}
          error={error("currentPassword")}
          disabled={disabled}
          required
        />
        <Field
          id="new-password"
          {...form.register("newPassword")}
          type="password"
          autoComplete="new-password"
          label={t("account.password.new")}
          help={t("account.password.newHelp")}
          error={error("newPassword")}
          disabled={disabled}
          required
        />
        <Field
          id="confirm-password"
          {...form.register("confirmPassword")}
          type="password"
          autoComplete="new-password"
          label={t("account.password.confirm")}
          error={error("confirmPassword")}
          disabled={disabled}
          required
        />
        <Button type="submit" disabled={disabled || change.isPending}>
          {change.isPending ? t("auth.working") : t("account.password.submit")}
        </Button>
      </form>
    </Card>
  );
}
