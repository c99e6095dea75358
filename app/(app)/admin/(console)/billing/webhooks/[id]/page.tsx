import { notFound } from "next/navigation";
import { WebhookDetail } from "@/components/admin-billing/webhooks-inbox";
import { getT, requirePlatformAdmin } from "@/server/core/page-context";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function AdminBillingWebhookPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePlatformAdmin();
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const t = await getT();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("adminBilling.webhooks.title")}</h1>
      <WebhookDetail webhookEventId={id} />
    </div>
  );
}
