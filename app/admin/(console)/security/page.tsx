import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { TwoFactorSettings } from "@/components/mfa/two-factor-settings";
import { getT, requirePlatformAdmin } from "@/server/page-context";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("mfa.securityTitle") };
}

export default async function AdminSecurityPage() {
  const admin = await requirePlatformAdmin();
  const t = await getT();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold" data-testid="security-heading">
        {t("mfa.securityTitle")}
      </h1>
      <Card title={t("mfa.twoFactorSection")}>
        <TwoFactorSettings email={admin.email} />
      </Card>
    </div>
  );
}
