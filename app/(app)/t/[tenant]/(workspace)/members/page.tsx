import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { MembersTable } from "@/components/members/members-table";
import { InvitationsPanel } from "@/components/members/invitations-panel";
import { getT, requireTenantMember } from "@/server/core/page-context";

export default async function MembersPage() {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "members.view")) notFound();
  const t = await getT();
  const isOwner = ctx.roleKey === "owner";
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("members.title")}</h1>
      <MembersTable isOwner={isOwner} />
      <InvitationsPanel isOwner={isOwner} />
    </div>
  );
}
