import { notFound } from "next/navigation";
import { TenantDetail } from "@/components/admin/tenant-detail";
import { requirePlatformAdmin } from "@/server/core/page-context";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function AdminTenantPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePlatformAdmin();
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  return <TenantDetail tenantId={id} />;
}
