import { UsersTable } from "@/components/admin/users-table";
import { getT, requirePlatformAdmin } from "@/server/core/page-context";

export default async function AdminUsersPage() {
  await requirePlatformAdmin();
  const t = await getT();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("console.usersTitle")}</h1>
      <UsersTable />
    </div>
  );
}
