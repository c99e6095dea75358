import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { TenantTemplates } from "@/components/templates/tenant-templates";
import { getT, requireTenantMember } from "@/server/core/page-context";

export default async function MessageTemplatesPage() {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "templates.manage")) notFound();
  const t = await getT();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold" data-testid="templates-heading">
        {t("templates.title")}
      </h1>
      <p className="max-w-3xl text-sm text-slate-600">{t("templates.intro")}</p>
      <TenantTemplates />
    </div>
  );
}
