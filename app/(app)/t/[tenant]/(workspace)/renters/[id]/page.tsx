import { notFound } from "next/navigation";
import { z } from "zod";
import { hasPermission } from "@/lib/permissions";
import { RenterDetailView } from "@/components/renters/renter-detail";
import { getServerCaller, requireTenantMember } from "@/server/core/page-context";

export default async function RenterPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "renters.view")) notFound();
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  // another workspace's renter (or none): the same 404 as a page that does not exist
  const exists = await (await getServerCaller()).renters.get({ renterId: id }).then(
    () => true,
    () => false,
  );
  if (!exists) notFound();
  return <RenterDetailView renterId={id} />;
}
