import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { WorkspaceLogo } from "@/components/files/workspace-logo";
import { getServerCaller, getT, requireTenantMember } from "@/server/page-context";

export default async function SettingsPage() {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "workspace.settings")) notFound();
  const t = await getT();
  const logo = await (await getServerCaller()).files.tenantLogo();
  return (
    <div className="max-w-3xl space-y-6">
      <h1 className="text-2xl font-semibold">{t("properties.settingsTitle")}</h1>
      <WorkspaceLogo initial={logo} workspace={ctx.tenant.name} />
    </div>
  );
}
