import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { hasPermission } from "@/lib/permissions";
import { ContractDetail } from "@/components/contracts/contract-detail";
import { getServerCaller, getT, requireTenantMember } from "@/server/core/page-context";

export default async function ContractPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "contracts.view")) notFound();
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const contract = await (await getServerCaller()).contracts.get({ contractId: id }).catch(() => null);
  if (!contract) notFound();
  const t = await getT();
  return (
    <div className="space-y-4">
      <Link href="/contracts" className="text-sm text-teal-800 hover:underline">
        {t("contracts.back")}
      </Link>
      <ContractDetail contractId={contract.id} timeZone={ctx.tenant.timezone} />
    </div>
  );
}
