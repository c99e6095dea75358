import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { PropertiesView } from "@/components/properties/properties-view";
import { getT, requireTenantMember } from "@/server/core/page-context";

export default async function PropertiesPage() {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "properties.view")) notFound();
  const t = await getT();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t("properties.title")}</h1>
        <p className="text-sm text-slate-600">{t("properties.intro")}</p>
      </div>
      <PropertiesView />
    </div>
  );
}
