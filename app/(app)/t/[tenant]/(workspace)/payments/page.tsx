import { notFound } from "next/navigation";
import { hasPermission } from "@/lib/permissions";
import { PAYMENT_FILTER_KEYS, paymentFiltersFromSearchParams } from "@/lib/schemas/rent-payments";
import { PaymentsTable } from "@/components/payments/payments-table";
import { getLocale, getT, requireTenantMember } from "@/server/core/page-context";
import { timeZoneLabel } from "@/lib/time-zone-label";

// /payments?status=&method=&currency=&propertyId=&period=&from=&to= (the dashboard's "collected" links land here filtered)
export default async function PaymentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireTenantMember();
  if (!hasPermission(ctx.permissions, "invoices.view")) notFound();
  const t = await getT();
  const filters = paymentFiltersFromSearchParams(await searchParams);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{t("rentPayments.list.title")}</h1>
        <p className="text-sm text-slate-600">
          {t("rentPayments.list.intro", { timezone: timeZoneLabel(ctx.tenant.timezone, await getLocale()) })}
        </p>
      </div>
      <PaymentsTable key={PAYMENT_FILTER_KEYS.map((k) => filters[k] ?? "").join(":")} initialFilters={filters} />
    </div>
  );
}
