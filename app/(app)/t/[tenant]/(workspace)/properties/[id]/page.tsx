import { notFound } from "next/navigation";
import { z } from "zod";
import { hasPermission } from "@/lib/permissions";
import { PropertyDetail } from "@/components/properties/property-detail";
import { getServerCaller, requireTenantMember } from "@/server/core/page-context";

export default async function PropertyPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "properties.view")) notFound();
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const property = await (await getServerCaller()).properties.get({ propertyId: id }).catch(() => null);
  if (!property) notFound();
  return <PropertyDetail initial={property} />;
}
