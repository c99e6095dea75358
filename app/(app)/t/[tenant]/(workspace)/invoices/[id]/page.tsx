import { notFound } from "next/navigation";
import { z } from "zod";
import { hasPermission } from "@/lib/permissions";
import { InvoiceDetail } from "@/components/invoices/invoice-detail";
import { requireTenantMember } from "@/server/core/page-context";
import { InvoiceEquivalent } from "./equivalent";

export default async function InvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "invoices.view")) notFound();
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  return (
    <>
      <InvoiceEquivalent invoiceId={id} />
      <InvoiceDetail invoiceId={id} timeZone={ctx.tenant.timezone} />
    </>
  );
}
