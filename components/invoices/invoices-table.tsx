"use client";
import { useDeferredValue, useMemo, useState } from "react";
import { usePathname, useRouter } from "next/navigation";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { RENT_INVOICE_STATUSES } from "@/lib/rentals/invoice-state";
import { RENT_CURRENCY_CODES, type InvoiceFilters, type RENT_INVOICE_SORTS } from "@/lib/schemas/rent-invoices";
import { SearchInput } from "@/components/ui/search-input";
import { FilterSelect, filterControlCls } from "@/components/ui/filter-select";
import { DataTable, pagingProps, type DataTableFeatures, type SortState } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import type { RouterOutputs } from "@/lib/trpc/client";
import { InvoiceStatusBadge } from "./invoice-status-badge";
import { invoiceColumns } from "./invoice-columns";

type RentInvoiceRow = RouterOutputs["rentInvoices"]["list"]["items"][number];

const helper = createColumnHelper<DataTableFeatures, RentInvoiceRow>();
const EMPTY: RentInvoiceRow[] = [];
type InvoiceSort = (typeof RENT_INVOICE_SORTS)[number];

/**
 * Rent invoices with server-side filters, sort and "load more". The filters live in the URL
 * (`?status=&propertyId=&period=&currency=`), so dashboard links and reloads land on the same list.
 */
export function InvoicesTable({ initialFilters }: { initialFilters: InvoiceFilters }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const { t, locale, fmt } = useI18n();
  const [filters, setFilters] = useState<InvoiceFilters>(initialFilters);
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search.trim());
  const [sort, setSort] = useState<SortState>({ id: "issuedAt", desc: true });
  const options = useQuery(trpc.rentInvoices.propertyOptions.queryOptions());

  function update(next: InvoiceFilters) {
    setFilters(next);
    const params = new URLSearchParams();
    for (const key of ["status", "propertyId", "period", "currency"] as const) {
      const v = next[key];
      if (v) params.set(key, v);
    }
    const qs = params.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  }

  const query = useInfiniteQuery(
    trpc.rentInvoices.list.infiniteQueryOptions(
      { ...filters, search: deferredSearch || undefined, sort: { id: sort.id as InvoiceSort, desc: sort.desc }, limit: 25 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);

  const columns = useMemo(() => {
    const shared = invoiceColumns<RentInvoiceRow>({
      fmt,
      label: (column) => t(`invoices.${column}`),
      href: (id) => `/invoices/${id}`,
      linkTestId: "invoice-link",
    });
    return helper.columns([
      shared.number,
      shared.period,
      helper.accessor("renterName", {
        id: "renter",
        header: () => t("invoices.renter"),
        cell: (info) => <span className="text-slate-900">{info.getValue()}</span>,
      }),
      shared.unit,
      shared.total,
      helper.accessor((r) => r.total - r.amountPaid, {
        id: "balance",
        header: () => t("invoices.balance"),
        cell: (info) => fmt.money(Math.max(0, info.getValue()), info.row.original.currency),
      }),
      shared.dueDate,
      helper.accessor("status", {
        header: () => t("invoices.status"),
        cell: (info) => <InvoiceStatusBadge status={info.getValue()} pastDue={info.row.original.pastDue} />,
      }),
    ]);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [t, locale]);

  const filtered = Boolean(filters.status || filters.propertyId || filters.period || filters.currency || deferredSearch);
  return (
    <div className="space-y-3" data-testid="invoices">
      <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-center">
        <SearchInput value={search} onChange={setSearch} label={t("invoices.search")} />
        <FilterSelect
          label={t("invoices.status")}
          value={filters.status}
          onChange={(status) => update({ ...filters, status })}
          allLabel={t("invoices.allStatuses")}
          options={RENT_INVOICE_STATUSES.map((s) => ({ value: s, label: t(`invoices.statuses.${s}`) }))}
          testId="invoice-status-filter"
        />
        <FilterSelect
          label={t("invoices.property")}
          value={filters.propertyId}
          onChange={(propertyId) => update({ ...filters, propertyId })}
          allLabel={t("invoices.allProperties")}
          options={(options.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
          testId="invoice-property-filter"
        />
        <input
          type="month"
          aria-label={t("invoices.period")}
          value={filters.period ?? ""}
          onChange={(e) => update({ ...filters, period: e.target.value || undefined })}
          className={filterControlCls}
          data-testid="invoice-period-filter"
        />
        <FilterSelect
          label={t("invoices.currency")}
          value={filters.currency}
          onChange={(currency) => update({ ...filters, currency })}
          allLabel={t("invoices.allCurrencies")}
          options={RENT_CURRENCY_CODES.map((c) => ({ value: c, label: c }))}
          testId="invoice-currency-filter"
        />
        {filtered ? (
          <button
            type="button"
            onClick={() => {
              setSearch("");
              update({});
            }}
            className="rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-100"
          >
            {t("invoices.clearFilters")}
          </button>
        ) : null}
      </div>
      <DataTable
        columns={columns}
        data={data}
        testId="invoices"
        {...pagingProps(query)}
        sort={sort}
        onSortChange={setSort}
        sortableColumns={["number", "period", "total", "dueDate"]}
        hideableColumns={["unit", "balance", "period"]}
        columnLabels={{ unit: t("invoices.unit"), balance: t("invoices.balance"), period: t("invoices.period") }}
        text={listText(t, "invoices", { empty: filtered ? "invoices.emptyFiltered" : undefined })}
        renderCard={(row, cell) => (
          <>
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0">
                <div className="truncate">{cell("number")}</div>
                <div className="truncate text-sm">{cell("renter")}</div>
                <div className="truncate text-sm text-slate-600">{cell("unit")}</div>
              </div>
              {cell("status")}
            </div>
            <div className="mt-2 flex flex-wrap items-center justify-between gap-2 text-sm">
              <span>{cell("total")}</span>
              <span className="text-slate-600">
                {t("invoices.due")}: {cell("dueDate")}
              </span>
            </div>
          </>
        )}
      />
    </div>
  );
}
