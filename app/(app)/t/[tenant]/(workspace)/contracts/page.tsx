import Link from "next/link";
import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { contractFiltersFromSearchParams, contractFiltersToSearchParams } from "@/lib/schemas/contracts";
import { ContractsTable } from "@/components/contracts/contracts-table";
import { getT, requireTenantMember } from "@/server/core/page-context";

// /contracts?status=active&endingWithinDays=60&propertyId=<uuid>&renterId=<uuid> (dashboard links land here filtered)
export default async function ContractsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "contracts.view")) notFound();
  const t = await getT();
  const filters = contractFiltersFromSearchParams(await searchParams);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">{t("contracts.title")}</h1>
          <p className="text-sm text-slate-600">{t("contracts.intro")}</p>
        </div>
        {hasPermission(ctx.permissions, "contracts.manage") ? (
          <Link
            href="/contracts/new"
            className="inline-flex min-h-10 items-center rounded-lg bg-teal-700 px-4 py-2 text-sm font-medium text-white hover:bg-teal-800"
            data-testid="new-contract"
          >
            {t("contracts.newContract")}
          </Link>
        ) : null}
      </div>
      <ContractsTable key={contractFiltersToSearchParams(filters)} initialFilters={filters} />
    </div>
  );
}
