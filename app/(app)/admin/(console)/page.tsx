import { TenantsTable } from "@/components/admin/tenants-table";
import { getT, requirePlatformAdmin } from "@/server/core/page-context";

export default async function AdminTenantsPage() {
  await requirePlatformAdmin();
  const t = await getT();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold" data-testid="admin-heading">
        {t("admin.tenantsTitle")}
      </h1>
      <TenantsTable />
    </div>
  );
}
