"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import type { RouterOutputs } from "@/lib/trpc/client";
import { LanguageForm } from "./language-form";
import { DigitsForm } from "./digits-form";
import type { FormInitial } from "@/components/auth/use-json-post";
import { PasswordForm } from "./password-form";
import { ProfileForm } from "./profile-form";
import { SessionsList } from "./sessions-list";
import { AccountDeletion } from "./account-deletion";

type AccountProfile = RouterOutputs["account"]["profile"];

/** The account page's sections; the profile arrives with the page and stays fresh in the query cache. */
export function AccountView({
  initialProfile,
  password,
}: {
  initialProfile: AccountProfile;
  /** the outcome of a password change posted before the page hydrated */
  password?: { initial: FormInitial; changed: boolean };
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const { data: profile } = useQuery({ ...trpc.account.profile.queryOptions(), initialData: initialProfile });

  return (
    <div className="space-y-4">
      {profile.isImpersonated ? (
        <div
          role="status"
          className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          data-testid="impersonated-notice"
        >
          {t("account.impersonated")}
        </div>
      ) : null}
      <ProfileForm profile={profile} />
      <PasswordForm disabled={profile.isImpersonated} initial={password?.initial} changed={password?.changed} />
      <LanguageForm saved={profile.locale} />
      <DigitsForm />
      <SessionsList disabled={profile.isImpersonated} />
      <AccountDeletion email={profile.email} disabled={profile.isImpersonated} />
    </div>
  );
}
