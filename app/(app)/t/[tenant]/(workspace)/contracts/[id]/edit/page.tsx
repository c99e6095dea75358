import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { hasPermission } from "@/lib/permissions";
import { ContractForm } from "@/components/contracts/contract-form";
import { getServerCaller, getT, requireTenantMember } from "@/server/core/page-context";

/** Edit a draft contract (active and closed contracts are not editable). */
export default async function EditContractPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "contracts.manage")) notFound();
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const contract = await (await getServerCaller()).contracts.get({ contractId: id }).catch(() => null);
  if (!contract || contract.status !== "draft") notFound();
  const t = await getT();
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <Link href={`/contracts/${contract.id}`} className="text-sm text-teal-800 hover:underline">
        {t("contracts.back")}
      </Link>
      <h1 className="text-2xl font-semibold">{t("contracts.editTitle")}</h1>
      <ContractForm contract={contract} timeZone={ctx.tenant.timezone} />
    </div>
  );
}
