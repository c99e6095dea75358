import { getEnv } from "@/env";
import { formErrorFromQuery } from "@/lib/form-errors";
import { getT } from "@/server/core/page-context";
import { AuthCard } from "@/components/layout/auth-card";
import { PublicHeader } from "@/components/layout/public-header";
import { SignupForm } from "@/components/auth/signup-form";
import { PRIVACY_VERSION, TERMS_VERSION } from "@/lib/legal";

const FIELDS = ["name", "email", "password", "workspaceName", "slug", "acceptTerms"] as const;

export default async function SignupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const t = await getT();
  const initial = formErrorFromQuery(await searchParams, FIELDS, t);
  return (
    <AuthCard header={<PublicHeader />} title={t("auth.signUpTitle")} subtitle={t("auth.signUpHelp")}>
      <SignupForm rootDomain={getEnv().APP_ROOT_DOMAIN} initial={initial} versions={{ terms: TERMS_VERSION, privacy: PRIVACY_VERSION }} />
    </AuthCard>
  );
}
