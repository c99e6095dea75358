import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { AccountView } from "@/components/account/account-view";
import { formErrorFromQuery } from "@/lib/form-errors";
import { getServerCaller, getT, requireTenantMember } from "@/server/core/page-context";

export default async function AccountPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "workspace.view")) notFound();
  const t = await getT();
  const profile = await (await getServerCaller()).account.profile();
  // a password change posted before the page hydrated comes back as ?error=…&field=… or ?password=changed
  const query = await searchParams;
  const password = {
    initial: formErrorFromQuery(query, ["currentPassword", "newPassword", "confirmPassword"], t),
    changed: query.password === "changed",
  };
  return (
    <div className="max-w-3xl space-y-4">
      <div>
        <h1 className="text-2xl font-semibold" data-testid="account-heading">
          {t("account.title")}
        </h1>
        <p className="mt-1 text-sm text-slate-600">{t("account.intro")}</p>
      </div>
      <AccountView initialProfile={profile} password={password} />
    </div>
  );
}
