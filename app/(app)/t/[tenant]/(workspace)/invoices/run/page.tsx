import { notFound } from "next/navigation";
import { z } from "zod";
import { hasPermission } from "@/lib/permissions";
import { InvoiceRunPanel } from "@/components/invoices/invoice-run-panel";
import { getT, requireTenantMember } from "@/server/core/page-context";
import { BakongPrompt } from "@/components/dashboard/bakong-prompt";
import { hasBakongAccount } from "@/server/dashboard/onboarding-checklist";

// /invoices/run[?propertyId=] — the manual run of one property, with its progress bar
export default async function InvoiceRunPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "invoices.manage")) notFound();
  const t = await getT();
  const bakong = await hasBakongAccount(ctx);
  const raw = (await searchParams).propertyId;
  const propertyId = typeof raw === "string" && z.uuid().safeParse(raw).success ? raw : undefined;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t("invoices.runTitle")}</h1>
        <p className="text-sm text-slate-600">{t("invoices.runIntro")}</p>
      </div>
      {bakong ? null : <BakongPrompt canEdit={hasPermission(ctx.permissions, "workspace.settings")} />}
      <InvoiceRunPanel initialPropertyId={propertyId} />
    </div>
  );
}
