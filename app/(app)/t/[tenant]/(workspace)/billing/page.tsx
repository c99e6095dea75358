import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { BillingView } from "@/components/billing/billing-view";
import { getT, requireTenantMember } from "@/server/core/page-context";

export default async function BillingPage() {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "billing.view")) notFound();
  const t = await getT();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold" data-testid="billing-heading">
          {t("billing.title")}
        </h1>
        <p className="text-sm text-slate-600">{t("billing.intro")}</p>
      </div>
      <BillingView timeZone={ctx.tenant.timezone} />
    </div>
  );
}
