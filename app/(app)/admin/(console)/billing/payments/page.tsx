import { PaymentsTable } from "@/components/admin-billing/payments-table";
import { getT, requirePlatformAdmin } from "@/server/core/page-context";

export default async function AdminBillingPaymentsPage() {
  await requirePlatformAdmin();
  const t = await getT();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">{t("adminBilling.payments.title")}</h1>
        <p className="text-sm text-slate-600">{t("adminBilling.payments.intro")}</p>
      </div>
      <PaymentsTable />
    </div>
  );
}
