import Link from "next/link";
import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { invoiceFiltersFromSearchParams } from "@/lib/schemas/rent-invoices";
import { InvoicesTable } from "@/components/invoices/invoices-table";
import { getT, requireTenantMember } from "@/server/core/page-context";

// /invoices?status=&propertyId=&period=&currency= (dashboard links land here filtered)
export default async function InvoicesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "invoices.view")) notFound();
  const t = await getT();
  const filters = invoiceFiltersFromSearchParams(await searchParams);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">{t("invoices.title")}</h1>
          <p className="text-sm text-slate-600">{t("invoices.intro")}</p>
        </div>
        {hasPermission(ctx.permissions, "invoices.manage") ? (
          <Link
            href="/invoices/run"
            className="rounded-lg bg-teal-700 px-4 py-2 text-sm font-medium text-white hover:bg-teal-800"
            data-testid="open-run"
          >
            {t("invoices.runNav")}
          </Link>
        ) : null}
      </div>
      <InvoicesTable
        key={`${filters.status ?? ""}:${filters.propertyId ?? ""}:${filters.period ?? ""}:${filters.currency ?? ""}`}
        initialFilters={filters}
      />
    </div>
  );
}
