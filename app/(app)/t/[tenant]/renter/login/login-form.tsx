"use client";
import { useActionState, type ComponentProps } from "react";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { requestRenterCode, verifyRenterCode, type LoginState } from "@/server/portal/renter-auth-actions";

/** Step 1: phone or e-mail → a code is sent (the same answer whether it exists or not). Step 2: the code. */
export function RenterLoginForm({ workspace }: { workspace: string }) {
  const { t } = useI18n();
  const [asked, ask, asking] = useActionState<LoginState, FormData>(requestRenterCode, { step: "identifier" });
  const [checked, check, checking] = useActionState<LoginState, FormData>(verifyRenterCode, { step: "identifier" });
  const state: LoginState = checked.step === "code" ? checked : asked;

  const errorText = (s: LoginState) =>
    s.error === "throttled"
      ? t("renterPortal.login.errors.throttled", { minutes: s.minutes ?? 15 })
      : s.error === "identifier"
        ? t("renterPortal.login.errors.identifier")
        : s.error === "code"
          ? t("renterPortal.login.errors.code")
          : undefined;

  if (state.step === "code") {
    return (
      <div className="space-y-4">
        <p role="status" className="rounded-lg bg-teal-50 p-3 text-sm text-teal-900" data-testid="renter-code-sent">
          {t("renterPortal.login.sent", { workspace })}
        </p>
        <StepForm
          action={check}
          busy={checking}
          submit={t("renterPortal.login.signIn")}
          identifier={state.identifier}
          id="code"
          label={t("renterPortal.login.code")}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          maxLength={8}
          error={errorText(state)}
        />
        <form action={ask} className="flex flex-col gap-2 text-center text-sm">
          <input type="hidden" name="identifier" value={state.identifier} />
          <button type="submit" className="text-teal-800 underline" disabled={asking}>
            {t("renterPortal.login.resend")}
          </button>
          <a href="/renter/login" className="text-slate-600 underline">
            {t("renterPortal.login.another")}
          </a>
        </form>
      </div>
    );
  }

  return (
    <StepForm
      action={ask}
      busy={asking}
      submit={t("renterPortal.login.sendCode")}
      id="identifier"
      label={t("renterPortal.login.identifier")}
      help={t("renterPortal.login.identifierHelp")}
      autoComplete="username"
      inputMode="email"
      maxLength={254}
      error={errorText(state)}
    />
  );
}

/**
 * One step of the sign-in: its one field (required, focused, named by its id) with the step's
 * error, and its button; the code step carries the identifier it was sent to.
 */
function StepForm({
  action,
  busy,
  submit,
  identifier,
  ...field
}: Omit<ComponentProps<typeof Field>, "name" | "required" | "autoFocus"> & {
  id: "identifier" | "code";
  action: (data: FormData) => void;
  busy: boolean;
  submit: string;
  identifier?: string;
}) {
  return (
    <form action={action} className="space-y-4" aria-busy={busy}>
      {identifier === undefined ? null : <input type="hidden" name="identifier" value={identifier} />}
      <Field {...field} name={field.id} required autoFocus />
      <Button type="submit" disabled={busy} className="w-full">
        {submit}
      </Button>
    </form>
  );
}
