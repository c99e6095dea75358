"use client";
import { TotpCodeField } from "./totp-code-field";
import { useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { totpCodeFormSchema } from "@/lib/schemas/mfa";
import { Button } from "@/components/ui/button";
import { confirmAction } from "@/components/ui/confirm";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";
import { RecoveryCodes } from "./recovery-codes";

/** The console's "Two-factor" section: status, and new recovery codes confirmed with a fresh code. */
export function TwoFactorSettings({ email, initialError }: { email: string; initialError?: string | null }) {
  const { t, formatDate } = useI18n();
  const trpc = useTRPC();
  const status = useQuery(trpc.mfa.status.queryOptions());
  const form = useZodForm<{ code?: string }, { code: string }>(totpCodeFormSchema, {});
  // the no-JS post's failure, shown until the form is submitted here
  const [initial, setInitial] = useState<string | undefined>(initialError ?? undefined);
  const fieldError = form.formState.errors.code?.message ?? initial;
  const [codes, setCodes] = useState<string[] | null>(null);

  const regenerate = useFormMutation(null, trpc.mfa.regenerateRecoveryCodes.mutationOptions(), {
    successToast: () => t("mfa.regenerated"),
    invalidate: [trpc.mfa.status.queryKey()],
    onSuccess: (r) => setCodes(r.recoveryCodes),
    onError: (message) => form.setError("code", { type: "server", message }),
  });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    setInitial(undefined);
    return form.handleSubmit(confirmAndRegenerate)(e);
  }

  async function confirmAndRegenerate({ code }: { code: string }) {
    const ok = await confirmAction({
      title: t("mfa.confirmRegenerateTitle"),
      text: t("mfa.confirmRegenerateText"),
      confirmText: t("mfa.regenerate"),
      cancelText: t("common.cancel"),
      danger: true,
    });
    if (!ok) return;
    regenerate.mutate({ code }, { onSuccess: () => form.reset({ code: "" }) });
  }

  if (codes) {
    return (
      <RecoveryCodes codes={codes} email={email}>
        <Button type="button" onClick={() => setCodes(null)}>
          {t("mfa.done")}
        </Button>
      </RecoveryCodes>
    );
  }

  return (
    <div className="space-y-4">
      {status.data?.enrolledAt ? (
        <div className="space-y-1 text-sm text-slate-700" data-testid="mfa-status">
          <p>{t("mfa.statusOn", { date: formatDate(status.data.enrolledAt) })}</p>
          <p>{t("mfa.codesLeft", { count: status.data.recoveryCodesLeft })}</p>
        </div>
      ) : (
        <p className="text-sm text-slate-500">{t("common.loading")}</p>
      )}
      <p className="text-sm text-slate-600">{t("mfa.regenerateIntro")}</p>
      {/* new codes are shown once, by this component: posted before it hydrated, the form goes to a
          route that does nothing and says so, and the code stays out of the URL */}
      <form
        method="post"
        action="/api/session/page-not-ready?back=/admin/security"
        onSubmit={onSubmit}
        noValidate
        className="max-w-sm space-y-4"
        aria-busy={regenerate.isPending}
      >
        <TotpCodeField id="mfa-regenerate-code" error={fieldError} field={form.register("code")} />
        <Button type="submit" variant="danger" disabled={regenerate.isPending}>
          {t("mfa.regenerate")}
        </Button>
      </form>
    </div>
  );
}
