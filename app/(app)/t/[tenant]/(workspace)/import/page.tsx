import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { ImportView } from "@/components/import/import-view";
import { getT, requireTenantMember } from "@/server/core/page-context";

export default async function ImportPage({ searchParams }: { searchParams: Promise<{ kind?: string | string[] }> }) {
  const ctx = await requireTenantMember();
  const canRenters = hasPermission(ctx.permissions, "renters.manage");
  const canUnits = hasPermission(ctx.permissions, "properties.manage");
  if (!canRenters && !canUnits) notFound();
  const t = await getT();
  const { kind } = await searchParams;
  const initial = kind === "units" && canUnits ? "units" : canRenters ? "renters" : "units";
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t("imports.title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("imports.intro")}</p>
      </div>
      <ImportView initialKind={initial} />
    </div>
  );
}
