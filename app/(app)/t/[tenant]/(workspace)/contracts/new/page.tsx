import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { hasPermission } from "@/lib/permissions";
import { ContractForm } from "@/components/contracts/contract-form";
import { getT, requireTenantMember } from "@/server/core/page-context";
import { BakongPrompt } from "@/components/dashboard/bakong-prompt";
import { hasBakongAccount } from "@/server/dashboard/onboarding-checklist";

// /contracts/new?unitId=…&renterId=… (pre-selected from a unit or a renter page)
export default async function NewContractPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "contracts.manage")) notFound();
  const t = await getT();
  const bakong = await hasBakongAccount(ctx);
  const sp = await searchParams;
  const id = (k: string) => {
    const v = Array.isArray(sp[k]) ? sp[k][0] : sp[k];
    return v && z.uuid().safeParse(v).success ? v : undefined;
  };
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <Link href="/contracts" className="text-sm text-teal-800 hover:underline">
        {t("contracts.back")}
      </Link>
      <div>
        <h1 className="text-2xl font-semibold">{t("contracts.newTitle")}</h1>
        <p className="text-sm text-slate-600">{t("contracts.newIntro")}</p>
      </div>
      {bakong ? null : <BakongPrompt canEdit={hasPermission(ctx.permissions, "workspace.settings")} />}
      <ContractForm initialUnitId={id("unitId")} initialRenterId={id("renterId")} timeZone={ctx.tenant.timezone} />
    </div>
  );
}
