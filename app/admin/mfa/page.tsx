import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/layout/auth-card";
import { MfaEnrollment } from "@/components/mfa/mfa-enrollment";
import { MfaHeader } from "@/components/mfa/mfa-header";
import { MfaVerifyForm } from "@/components/mfa/mfa-verify-form";
import { getServerCaller, getT, requirePlatformAdminPendingMfa } from "@/server/page-context";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("mfa.title") };
}

/** Every admin sign-in passes here: enrolment the first time, the code check afterwards. */
export default async function AdminMfaPage() {
  const admin = await requirePlatformAdminPendingMfa();
  if (admin.mfaVerified) redirect("/admin");
  const t = await getT();
  const status = await (await getServerCaller()).mfa.status();
  return (
    <AuthCard header={<MfaHeader />} title={status.enrolled ? t("mfa.verifyTitle") : t("mfa.enrolTitle")}>
      {status.enrolled ? <MfaVerifyForm email={admin.email} /> : <MfaEnrollment email={admin.email} />}
    </AuthCard>
  );
}
