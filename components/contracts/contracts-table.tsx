"use client";
import Link from "next/link";
import { useDeferredValue, useMemo, useState } from "react";
import { usePathname, useRouter } from "next/navigation";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { CONTRACT_STATUSES, type ContractStatus } from "@/lib/rentals/contract-state";
import { contractFiltersToSearchParams, type ContractFilters, type ContractSort } from "@/lib/schemas/contracts";
import { useCan } from "@/components/layout/permissions";
import { SearchInput } from "@/components/ui/search-input";
import { DataTable, pagingProps, type DataTableFeatures, type SortState } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import type { RouterOutputs } from "@/lib/trpc/client";
import { ContractStatusBadge } from "./contract-status-badge";

type ContractRow = RouterOutputs["contracts"]["list"]["items"][number];

const helper = createColumnHelper<DataTableFeatures, ContractRow>();
const EMPTY: ContractRow[] = [];
const ENDING_CHOICES = [30, 60, 90] as const;

/**
 * Contracts with server-side filters, sort and "load more". The filters live in the URL
 * (`?status=active&endingWithinDays=60&propertyId=…&renterId=…`) so dashboard links and reloads
 * land on the same list.
 */
export function ContractsTable({ initialFilters = {} }: { initialFilters?: ContractFilters }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const { t, locale, formatDate, fmt } = useI18n();
  const can = useCan();
  const [filters, setFilters] = useState<ContractFilters>(initialFilters);
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search.trim());
  const [sort, setSort] = useState<SortState>({ id: "startDate", desc: true });
  const properties = useQuery({ ...trpc.properties.options.queryOptions(), enabled: can("properties.view") });

  function update(next: ContractFilters) {
    setFilters(next);
    router.replace(`${pathname}${contractFiltersToSearchParams(next)}`, { scroll: false });
  }

  const query = useInfiniteQuery(
    trpc.contracts.list.infiniteQueryOptions(
      { ...filters, search: deferredSearch || undefined, sort: { id: sort.id as ContractSort, desc: sort.desc }, limit: 25 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const day = (d: string | null) => (d ? formatDate(d, "UTC") : t("contracts.openEnded"));

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("unitCode", {
          id: "unit",
          header: () => t("contracts.col.unit"),
          cell: (info) => (
            <Link
              href={`/contracts/${info.row.original.id}`}
              className="font-medium text-teal-800 hover:underline"
              data-testid="contract-link"
            >
              {info.getValue()}
            </Link>
          ),
        }),
        helper.accessor("propertyName", { id: "property", header: () => t("contracts.col.property") }),
        helper.accessor("renterName", {
          id: "renter",
          header: () => t("contracts.col.renter"),
          cell: (info) => (
            <span>
              {info.getValue()}
              {info.row.original.renterNameKm && info.row.original.renterNameKm !== info.getValue() ? (
                <span className="block text-xs text-slate-500">{info.row.original.renterNameKm}</span>
              ) : null}
            </span>
          ),
        }),
        helper.accessor("status", {
          header: () => t("contracts.col.status"),
          cell: (info) => <ContractStatusBadge status={info.getValue()} />,
        }),
        helper.accessor("startDate", { header: () => t("contracts.col.start"), cell: (info) => day(info.getValue()) }),
        helper.accessor("endDate", { header: () => t("contracts.col.end"), cell: (info) => day(info.getValue()) }),
        helper.accessor("rentAmount", {
          header: () => t("contracts.col.rent"),
          cell: (info) => fmt.money(info.getValue(), info.row.original.currency),
        }),
        helper.accessor("depositAmount", {
          id: "deposit",
          header: () => t("contracts.col.deposit"),
          cell: (info) => fmt.money(info.getValue(), info.row.original.currency),
        }),
        helper.accessor("billingDay", { header: () => t("contracts.col.billingDay") }),
      ]),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, locale],
  );

  const filtered = Boolean(
    filters.status || filters.propertyId || filters.renterId || filters.unitId || filters.endingWithinDays !== undefined || deferredSearch,
  );
  const selectClass = "rounded-lg border border-slate-300 bg-white px-3 py-2";
  return (
    <div className="space-y-3" data-testid="contracts">
      <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-center">
        <SearchInput value={search} onChange={setSearch} label={t("contracts.search")} />
        <select
          aria-label={t("contracts.col.status")}
          value={filters.status ?? ""}
          onChange={(e) => update({ ...filters, status: (e.target.value || undefined) as ContractStatus | undefined })}
          className={selectClass}
          data-testid="contract-status-filter"
        >
          <option value="">{t("contracts.allStatuses")}</option>
          {CONTRACT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`contracts.statuses.${s}`)}
            </option>
          ))}
        </select>
        {properties.data ? (
          <select
            aria-label={t("contracts.col.property")}
            value={filters.propertyId ?? ""}
            onChange={(e) => update({ ...filters, propertyId: e.target.value || undefined })}
            className={selectClass}
            data-testid="contract-property-filter"
          >
            <option value="">{t("contracts.allProperties")}</option>
            {properties.data.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        ) : null}
        <select
          aria-label={t("contracts.col.end")}
          value={filters.endingWithinDays === undefined ? "" : String(filters.endingWithinDays)}
          onChange={(e) => update({ ...filters, endingWithinDays: e.target.value ? Number(e.target.value) : undefined })}
          className={selectClass}
          data-testid="contract-ending-filter"
        >
          <option value="">{t("contracts.anyEnd")}</option>
          {[...new Set([...ENDING_CHOICES, ...(filters.endingWithinDays !== undefined ? [filters.endingWithinDays] : [])])]
            .sort((a, b) => a - b)
            .map((d) => (
              <option key={d} value={d}>
                {t("contracts.endingWithin", { days: d })}
              </option>
            ))}
        </select>
        {filters.renterId || filters.unitId || filtered ? (
          <button type="button" onClick={() => update({})} className="rounded-md px-3 py-2 text-sm text-teal-800 hover:bg-teal-50">
            {t("contracts.clearFilters")}
          </button>
        ) : null}
      </div>
      <DataTable
        columns={columns}
        data={data}
        testId="contracts"
        {...pagingProps(query)}
        sort={sort}
        onSortChange={setSort}
        sortableColumns={["startDate", "endDate", "rentAmount"]}
        hideableColumns={["property", "deposit", "billingDay"]}
        columnLabels={{
          property: t("contracts.col.property"),
          deposit: t("contracts.col.deposit"),
          billingDay: t("contracts.col.billingDay"),
        }}
        text={listText(t, "contracts", { empty: filtered ? "contracts.emptyFiltered" : undefined })}
        renderCard={(row, cell) => (
          <>
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0">
                <div className="truncate">
                  {cell("unit")} <span className="text-sm text-slate-600">· {cell("property")}</span>
                </div>
                <div className="truncate text-sm">{cell("renter")}</div>
              </div>
              {cell("status")}
            </div>
            <div className="mt-2 flex flex-wrap items-center justify-between gap-2 text-sm">
              <span className="font-medium text-slate-800">{cell("rentAmount")}</span>
              <span className="text-slate-600">
                {t("contracts.fromTo", { start: day(row.original.startDate), end: day(row.original.endDate) })}
              </span>
            </div>
          </>
        )}
      />
    </div>
  );
}
