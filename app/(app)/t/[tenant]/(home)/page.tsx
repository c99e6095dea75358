import { Card } from "@/components/ui/card";
import { DashboardView } from "@/components/dashboard/dashboard-view";
import { OnboardingChecklist } from "@/components/dashboard/onboarding-checklist";
import { RefreshOnReturn } from "@/components/dashboard/refresh-on-return";
import { roleLabel } from "@/lib/i18n/role-label";
import { hasPermission } from "@/lib/permissions";
import { getSessionUser, getT, requireTenantMember } from "@/server/core/page-context";
import { workspaceHome } from "@/server/dashboard/workspace-home";
import { readerI18n } from "@/server/core/reader-i18n";

export default async function DashboardPage() {
  const ctx = await requireTenantMember();
  const user = (await getSessionUser())!;
  const t = await getT();
  // the flags (read once with the layout's) and, with reports.view, the figures in one statement
  const { showWhatsNew, summary, checklist } = await workspaceHome(ctx);
  // the checklist and figures are server components in the reader's language and digits (issue 17)
  const i18n = await readerI18n();
  return (
    <div className="space-y-4">
      {/* the checklist and figures again when the tab is shown again (they were queries refetched on focus) */}
      <RefreshOnReturn />
      <h1 className="text-2xl font-semibold" data-testid="dashboard-heading">
        {t("workspace.welcome", { name: user.name })}
      </h1>
      <Card>
        <p className="text-slate-700">{t("workspace.dashboardIntro", { workspace: ctx.tenant.name })}</p>
        <p className="mt-2 text-sm text-slate-500" data-testid="your-role">
          {t("workspace.yourRole", { role: roleLabel(t, ctx.roleKey, ctx.roleName) })}
        </p>
      </Card>
      <OnboardingChecklist checklist={checklist} canDismiss={hasPermission(ctx.permissions, "workspace.settings")} i18n={i18n} />
      {showWhatsNew ? (
        <div data-testid="whats-new">
          <Card title={t("flags.whatsNew.title")}>
            <p className="text-slate-700">{t("flags.whatsNew.body")}</p>
          </Card>
        </div>
      ) : null}
      {summary ? <DashboardView summary={summary} i18n={i18n} /> : null}
    </div>
  );
}
