import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { RolesEditor } from "@/components/roles/roles-editor";
import { getT, requireTenantMember } from "@/server/core/page-context";

export default async function RolesPage() {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "roles.manage")) notFound();
  const t = await getT();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("team.rolesTitle")}</h1>
      <RolesEditor />
    </div>
  );
}
