import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/layout/auth-card";
import { MfaEnrollment } from "@/components/mfa/mfa-enrollment";
import { MfaHeader } from "@/components/mfa/mfa-header";
import { MfaVerifyForm } from "@/components/mfa/mfa-verify-form";
import { EnrolmentLinkSent } from "@/components/mfa/enrolment-link-sent";
import { getServerCaller, getT, requirePlatformAdminPendingMfa } from "@/server/core/page-context";
import { formErrorFromQuery } from "@/lib/form-errors";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("mfa.title") };
}

/**
 * Every admin sign-in passes here: the code check once enrolled. Before that, the set-up (QR code)
 * is shown only with a valid one-time enrolment link (`?enrol=<token>`, e-mailed to the admin or
 * printed by `npm run admin:enrol-link`); without one, a link is e-mailed and the page says so.
 */
export default async function AdminMfaPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requirePlatformAdminPendingMfa();
  if (admin.mfaVerified) redirect("/admin");
  const t = await getT();
  const caller = await getServerCaller();
  const status = await caller.mfa.status();
  if (!status.enrolled) {
    const params = await searchParams;
    const enrolmentToken = typeof params.enrol === "string" ? params.enrol.trim().slice(0, 200) : "";
    if (enrolmentToken && (await caller.mfa.enrolmentLinkValid({ enrolmentToken })).valid) {
      return (
        <AuthCard header={<MfaHeader />} title={t("mfa.enrolTitle")}>
          <MfaEnrollment email={admin.email} enrolmentToken={enrolmentToken} />
        </AuthCard>
      );
    }
    await caller.mfa.requestEnrolmentLink();
    return (
      <AuthCard header={<MfaHeader />} title={t("mfa.checkEmailTitle")}>
        <EnrolmentLinkSent
          body={t("mfa.checkEmailBody", { email: admin.email })}
          invalidLink={enrolmentToken ? t("mfa.linkInvalid") : undefined}
        />
      </AuthCard>
    );
  }
  // a code posted before the page hydrated comes back as ?error=<code> (the code itself never does)
  const posted = formErrorFromQuery(await searchParams, ["code"], t);
  return (
    <AuthCard header={<MfaHeader />} title={t("mfa.verifyTitle")}>
      <MfaVerifyForm email={admin.email} initialError={posted.fieldErrors.code ?? posted.error} />
    </AuthCard>
  );
}
