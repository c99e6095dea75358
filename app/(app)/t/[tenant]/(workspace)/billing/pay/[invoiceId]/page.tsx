import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { invoiceIdSchema } from "@/lib/schemas/billing";
import { KhqrCheckout } from "@/components/billing/khqr-checkout";
import { requireTenantMember } from "@/server/core/page-context";

// KHQR checkout of one subscription invoice (paying needs billing.manage, like billing.checkout).
export default async function PayInvoicePage({ params }: { params: Promise<{ invoiceId: string }> }) {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "billing.manage")) notFound();
  const parsed = invoiceIdSchema.safeParse({ invoiceId: (await params).invoiceId });
  if (!parsed.success) notFound();
  return <KhqrCheckout key={parsed.data.invoiceId} invoiceId={parsed.data.invoiceId} timeZone={ctx.tenant.timezone} />;
}
