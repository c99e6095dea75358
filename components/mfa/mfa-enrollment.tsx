"use client";
import { TotpCodeField } from "./totp-code-field";
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { totpCodeFormSchema } from "@/lib/schemas/mfa";
import { Button } from "@/components/ui/button";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";
import { FormAlert } from "@/components/auth/form-alert";
import { RecoveryCodes } from "./recovery-codes";

/**
 * First sign-in of an admin without 2FA, opened from the one-time enrolment link (`enrolmentToken`):
 * scan, confirm with a code, save the recovery codes.
 */
export function MfaEnrollment({ email, enrolmentToken }: { email: string; enrolmentToken: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const router = useRouter();
  const form = useZodForm<{ code?: string }, { code: string }>(totpCodeFormSchema, {});
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [leaving, setLeaving] = useState(false);

  const start = useMutation(trpc.mfa.startEnrollment.mutationOptions());
  const confirm = useFormMutation(null, trpc.mfa.confirmEnrollment.mutationOptions(), {
    successToast: () => t("mfa.enrolled"),
    onSuccess: (r) => setRecoveryCodes(r.recoveryCodes),
    onError: (message) => form.setError("code", { type: "server", message }),
  });

  // one secret per visit: a new visit (or "try again") replaces a secret that was never confirmed
  const { mutate: begin } = start;
  const begun = useRef(false);
  useEffect(() => {
    if (begun.current) return;
    begun.current = true;
    begin({ enrolmentToken });
  }, [begin, enrolmentToken]);

  if (recoveryCodes) {
    return (
      <RecoveryCodes codes={recoveryCodes} email={email}>
        <Button
          type="button"
          className="w-full"
          disabled={leaving}
          onClick={() => {
            setLeaving(true);
            router.replace("/admin");
          }}
        >
          {t("mfa.saved")}
        </Button>
      </RecoveryCodes>
    );
  }

  if (start.isError) {
    return (
      <div className="space-y-4">
        <FormAlert message={errorMessage(start.error, t("mfa.startFailed"))} />
        <Button type="button" variant="secondary" onClick={() => begin({ enrolmentToken })}>
          {t("mfa.retry")}
        </Button>
      </div>
    );
  }

  if (!start.data) {
    return (
      <p className="text-sm text-slate-600" role="status">
        {t("mfa.preparing")}
      </p>
    );
  }

  const { secret, qrSvg } = start.data;
  const onSubmit = form.handleSubmit(({ code }) => confirm.mutate({ code, enrolmentToken }));

  return (
    <div className="space-y-5">
      <p className="text-sm text-slate-600">{t("mfa.enrolIntro")}</p>
      <div className="flex justify-center">
        {/* a data: URL of the SVG the server drew; next/image adds nothing for it */}
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(qrSvg)}`}
          alt={t("mfa.qrAlt")}
          width={200}
          height={200}
          className="rounded-lg border border-slate-200 bg-white p-2"
        />
      </div>
      <div className="space-y-1">
        <p className="text-sm text-slate-700">{t("mfa.secretLabel")}</p>
        <code
          data-testid="totp-secret"
          className="block rounded-lg bg-slate-100 px-3 py-2 text-center font-mono text-sm break-all text-slate-900 select-all"
        >
          {secret.match(/.{1,4}/g)?.join(" ")}
        </code>
      </div>
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-busy={confirm.isPending}>
        <TotpCodeField id="mfa-enrol-code" error={form.formState.errors.code?.message} field={form.register("code")} autoFocus />
        <Button type="submit" className="w-full" disabled={confirm.isPending}>
          {confirm.isPending ? t("mfa.confirming") : t("mfa.confirm")}
        </Button>
      </form>
    </div>
  );
}
