import { WebhooksInbox } from "@/components/admin-billing/webhooks-inbox";
import { getT, requirePlatformAdmin } from "@/server/core/page-context";

export default async function AdminBillingWebhooksPage() {
  await requirePlatformAdmin();
  const t = await getT();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">{t("adminBilling.webhooks.title")}</h1>
        <p className="text-sm text-slate-600">{t("adminBilling.webhooks.intro")}</p>
      </div>
      <WebhooksInbox />
    </div>
  );
}
