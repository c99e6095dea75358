import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { RentersView } from "@/components/renters/renters-view";
import { getT, requireTenantMember } from "@/server/core/page-context";

export default async function RentersPage() {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "renters.view")) notFound();
  const t = await getT();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t("renters.title")}</h1>
        <p className="mt-1 text-sm text-slate-600">{t("renters.intro")}</p>
      </div>
      <RentersView />
    </div>
  );
}
