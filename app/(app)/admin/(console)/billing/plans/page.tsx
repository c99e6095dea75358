import { PlansEditor } from "@/components/admin-billing/plans-editor";
import { getT, requirePlatformAdmin } from "@/server/core/page-context";

export default async function AdminBillingPlansPage() {
  await requirePlatformAdmin();
  const t = await getT();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">{t("adminBilling.plans.title")}</h1>
        <p className="text-sm text-slate-600">{t("adminBilling.plans.intro")}</p>
      </div>
      <PlansEditor />
    </div>
  );
}
