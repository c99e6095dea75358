import { SubscriptionsTable } from "@/components/admin-billing/subscriptions-table";
import { getT, requirePlatformAdmin } from "@/server/core/page-context";

export default async function AdminBillingSubscriptionsPage() {
  await requirePlatformAdmin();
  const t = await getT();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">{t("adminBilling.subscriptions.title")}</h1>
        <p className="text-sm text-slate-600">{t("adminBilling.subscriptions.intro")}</p>
      </div>
      <SubscriptionsTable />
    </div>
  );
}
