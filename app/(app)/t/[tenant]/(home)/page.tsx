import { Card } from "@/components/ui/card";
import { DashboardView } from "@/components/dashboard/dashboard-view";
import { OnboardingChecklist } from "@/components/dashboard/onboarding-checklist";
import { roleLabel } from "@/lib/i18n/role-label";
import { getSessionUser, getT, requireTenantMember } from "@/server/core/page-context";
import { workspaceHome } from "@/server/dashboard/workspace-home";

export default async function DashboardPage() {
  const ctx = await requireTenantMember();
  const user = (await getSessionUser())!;
  const t = await getT();
  // the flags (read once with the layout's) and, with reports.view, the figures in one statement
  const { showWhatsNew, summary, checklist } = await workspaceHome(ctx);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold" data-testid="dashboard-heading">
        {t("workspace.welcome", { name: user.name })}
      </h1>
      <Card>
        <p className="text-slate-700">{t("workspace.dashboardIntro", { workspace: ctx.tenant.name })}</p>
        <p className="mt-2 text-sm text-slate-500" data-testid="your-role">
          {t("workspace.yourRole", { role: roleLabel(t, ctx.roleKey, ctx.roleName) })}
        </p>
      </Card>
      <OnboardingChecklist initial={checklist} />
      {showWhatsNew ? (
        <div data-testid="whats-new">
          <Card title={t("flags.whatsNew.title")}>
            <p className="text-slate-700">{t("flags.whatsNew.body")}</p>
          </Card>
        </div>
      ) : null}
      {summary ? <DashboardView initial={summary} /> : null}
    </div>
  );
}
