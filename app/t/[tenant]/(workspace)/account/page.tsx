import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { AccountView } from "@/components/account/account-view";
import { getServerCaller, getT, requireTenantMember } from "@/server/page-context";

export default async function AccountPage() {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "workspace.view")) notFound();
  const t = await getT();
  const profile = await (await getServerCaller()).account.profile();
  return (
    <div className="max-w-3xl space-y-4">
      <div>
        <h1 className="text-2xl font-semibold" data-testid="account-heading">
          {t("account.title")}
        </h1>
        <p className="mt-1 text-sm text-slate-600">{t("account.intro")}</p>
      </div>
      <AccountView initialProfile={profile} />
    </div>
  );
}
