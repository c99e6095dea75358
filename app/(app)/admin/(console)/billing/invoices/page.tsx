import { InvoicesTable } from "@/components/admin-billing/invoices-table";
import { getT, requirePlatformAdmin } from "@/server/core/page-context";

export default async function AdminBillingInvoicesPage() {
  await requirePlatformAdmin();
  const t = await getT();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">{t("adminBilling.invoices.title")}</h1>
        <p className="text-sm text-slate-600">{t("adminBilling.invoices.intro")}</p>
      </div>
      <InvoicesTable />
    </div>
  );
}
