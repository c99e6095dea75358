"use client";
import { TotpCodeField } from "./totp-code-field";
import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { recoveryCodeFormSchema, totpCodeFormSchema } from "@/lib/schemas/mfa";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useFormMutation } from "@/components/forms/use-form-mutation";
import { useZodForm } from "@/components/forms/use-zod-form";

/**
 * The 2FA check after sign-in: a code from the app, or a recovery code. Before the page hydrates
 * (or without JavaScript) the form posts to a session route, which takes either kind of code;
 * `initialError` is that post's failure, rendered by the server.
 */
export function MfaVerifyForm({ email, initialError }: { email: string; initialError?: string | null }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const router = useRouter();
  const [mode, setMode] = useState<"totp" | "recovery">("totp");
  const form = useZodForm<{ code?: string }, { code: string }>(mode === "totp" ? totpCodeFormSchema : recoveryCodeFormSchema, {});
  // the no-JS post's failure, shown until the form is submitted here
  const [initial, setInitial] = useState<string | undefined>(initialError ?? undefined);
  const fieldError = form.formState.errors.code?.message ?? initial;

  const verify = useFormMutation(null, trpc.mfa.verify.mutationOptions(), {
    successToast: () => t("mfa.verified"),
    onSuccess: () => router.replace("/admin"),
    onError: (message) => form.setError("code", { type: "server", message }),
  });
  const busy = verify.isPending || verify.isSuccess;

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    setInitial(undefined);
    return form.handleSubmit(({ code }) => verify.mutate({ code }))(e);
  }

  function switchMode() {
    setMode((m) => (m === "totp" ? "recovery" : "totp"));
    // the other kind of code starts empty
    form.reset({});
    setInitial(undefined);
  }

  return (
    <form method="post" action="/api/session/mfa-verify" onSubmit={onSubmit} noValidate className="space-y-4" aria-busy={busy}>
      <p className="text-sm text-slate-600">{mode === "totp" ? t("mfa.verifyIntro", { email }) : t("mfa.verifyRecoveryIntro")}</p>
      {mode === "totp" ? (
        <TotpCodeField key="totp" id="mfa-code" error={fieldError} field={form.register("code")} autoFocus />
      ) : (
        <Field
          key="recovery"
          id="mfa-recovery-code"
          {...form.register("code")}
          label={t("mfa.recoveryLabel")}
          help={t("mfa.recoveryHelp")}
          error={fieldError}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          required
        />
      )}
      <Button type="submit" className="w-full" disabled={busy}>
        {verify.isPending ? t("mfa.verifying") : t("mfa.verify")}
      </Button>
      <div className="flex flex-col items-center gap-2 text-sm">
        <button type="button" onClick={switchMode} className="text-teal-800 underline">
          {mode === "totp" ? t("mfa.useRecovery") : t("mfa.useApp")}
        </button>
        <p className="text-center text-slate-500">{t("mfa.notYou")}</p>
      </div>
    </form>
  );
}
