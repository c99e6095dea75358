"use client";
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { changePasswordFormSchema } from "@/lib/schemas/account";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";
import { FormAlert } from "@/components/auth/form-alert";
import { formValues, type FormInitial } from "@/components/auth/use-json-post";
import { clientFieldErrors, serverError } from "./form-errors";

/**
 * Before the page hydrates (or without JavaScript) the form posts to a session route that runs
 * the same procedure and comes back with `initial` (its error) or `changed`.
 */
export function PasswordForm({ disabled, initial, changed = false }: { disabled: boolean; initial?: FormInitial; changed?: boolean }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<Record<string, string>>(initial?.fieldErrors ?? {});
  const [alert, setAlert] = useState<string | null>(initial?.error ?? null);
  const [notice, setNotice] = useState<string | null>(changed ? t("account.password.changed") : null);

  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onError: (e) => {
        const { appCode, fieldErrors } = serverError(e);
        const message = errorMessage(e, t("errors.errorBody"));
        if (Object.keys(fieldErrors).length > 0) setErrors(fieldErrors);
        // a wrong current password is the only business VALIDATION error here: show it at its field
        else if (appCode === "VALIDATION") setErrors({ currentPassword: message });
        else setAlert(message);
        toast.error(message);
      },
    }),
  );

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const parsed = changePasswordFormSchema.safeParse(formValues(form));
    setAlert(null);
    setNotice(null);
    if (!parsed.success) return setErrors(clientFieldErrors(parsed.error, t));
    setErrors({});
    const { currentPassword, newPassword } = parsed.data;
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          form.reset();
          toast.success(t("account.password.changed"));
          void queryClient.invalidateQueries({ queryKey: trpc.account.sessions.queryKey() });
        },
      },
    );
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
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          label={t("account.password.current")}
          error={errors.currentPassword}
          disabled={disabled}
          required
        />
        <Field
          id="new-password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          label={t("account.password.new")}
          help={t("account.password.newHelp")}
          error={errors.newPassword}
          disabled={disabled}
          required
        />
        <Field
          id="confirm-password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          label={t("account.password.confirm")}
          error={errors.confirmPassword}
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
