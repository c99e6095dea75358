import { AuthCard } from "@/components/layout/auth-card";
import { roleLabel } from "@/lib/i18n/role-label";
import { PublicHeader } from "@/components/layout/public-header";
import { FormAlert } from "@/components/auth/form-alert";
import { AcceptInvitationForm } from "@/components/members/accept-invitation-form";
import { getScope, getT } from "@/server/core/page-context";
import { invitationPreview } from "@/server/auth/auth-pages.public";
import { formErrorFromQuery } from "@/lib/form-errors";

export default async function AcceptInvitationPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const scope = await getScope();
  const t = await getT();
  const query = await searchParams;
  const token = typeof query.token === "string" ? query.token : "";
  if (scope?.kind !== "tenant") return null;
  const preview = await invitationPreview(token);
  const workspace = scope.tenant.name;
  return (
    <AuthCard header={<PublicHeader title={workspace} />} title={t("team.acceptTitle", { workspace })}>
      {preview.valid ? (
        <div className="space-y-4">
          <p className="text-slate-700">
            {t("team.acceptIntro", {
              workspace,
              role: roleLabel(t, preview.roleKey, preview.roleName),
              email: preview.email,
            })}
          </p>
          <AcceptInvitationForm
            token={token}
            email={preview.email}
            hasAccount={preview.hasAccount}
            initial={formErrorFromQuery(query, ["name", "password"], t)}
          />
        </div>
      ) : (
        <FormAlert message={t("team.inviteInvalid")} />
      )}
    </AuthCard>
  );
}
