"use client";
import { TotpCodeField } from "./totp-code-field";
import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { recoveryCodeSchema, totpCodeSchema } from "@/lib/schemas/mfa";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";
import { parseCode } from "./code-input";

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
  const [fieldError, setFieldError] = useState<string | undefined>(initialError ?? undefined);

  const verify = useMutation(
    trpc.mfa.verify.mutationOptions({
      onSuccess: () => {
        toast.success(t("mfa.verified"));
        router.replace("/admin");
      },
      onError: (e) => {
        const message = errorMessage(e, t("errors.errorBody"));
        setFieldError(message);
        toast.error(message);
      },
    }),
  );
  const busy = verify.isPending || verify.isSuccess;

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const result = parseCode(mode === "totp" ? totpCodeSchema : recoveryCodeSchema, new FormData(e.currentTarget).get("code"));
    if ("error" in result) {
      setFieldError(t(result.error));
      return;
    }
    setFieldError(undefined);
    verify.mutate({ code: result.code });
  }

  function switchMode() {
    setMode((m) => (m === "totp" ? "recovery" : "totp"));
    setFieldError(undefined);
  }

  return (
    <form method="post" action="/api/session/mfa-verify" onSubmit={onSubmit} noValidate className="space-y-4" aria-busy={busy}>
      <p className="text-sm text-slate-600">{mode === "totp" ? t("mfa.verifyIntro", { email }) : t("mfa.verifyRecoveryIntro")}</p>
      {mode === "totp" ? (
        <TotpCodeField key="totp" id="mfa-code" error={fieldError} autoFocus />
      ) : (
        <Field
          key="recovery"
          id="mfa-recovery-code"
          name="code"
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
