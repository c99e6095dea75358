import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { unitFiltersFromSearchParams } from "@/lib/schemas/properties";
import { UnitsTable } from "@/components/properties/units-table";
import { getT, requireTenantMember } from "@/server/core/page-context";

// /units?status=vacant|occupied|maintenance&propertyId=<uuid> (dashboard links land here filtered)
export default async function UnitsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "properties.view")) notFound();
  const t = await getT();
  const filters = unitFiltersFromSearchParams(await searchParams);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t("properties.unitsTitle")}</h1>
        <p className="text-sm text-slate-600">{t("properties.unitsIntro")}</p>
      </div>
      <UnitsTable initialFilters={filters} syncUrl />
    </div>
  );
}
