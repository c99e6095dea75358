import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { TwoFactorSettings } from "@/components/mfa/two-factor-settings";
import { getT, requirePlatformAdmin } from "@/server/core/page-context";
import { formErrorFromQuery } from "@/lib/form-errors";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("mfa.securityTitle") };
}

export default async function AdminSecurityPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const admin = await requirePlatformAdmin();
  const t = await getT();
  const posted = formErrorFromQuery(await searchParams, [], t);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold" data-testid="security-heading">
        {t("mfa.securityTitle")}
      </h1>
      <Card title={t("mfa.twoFactorSection")}>
        <TwoFactorSettings email={admin.email} initialError={posted.error} />
      </Card>
    </div>
  );
}
