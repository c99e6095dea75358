import { getEnv } from "@/env";
import { getT } from "@/server/page-context";
import { AuthCard } from "@/components/layout/auth-card";
import { PublicHeader } from "@/components/layout/public-header";
import { SignupForm } from "@/components/auth/signup-form";

export default async function SignupPage() {
  const t = await getT();
  return (
    <AuthCard header={<PublicHeader />} title={t("auth.signUpTitle")} subtitle={t("auth.signUpHelp")}>
      <SignupForm rootDomain={getEnv().APP_ROOT_DOMAIN} />
    </AuthCard>
  );
}
