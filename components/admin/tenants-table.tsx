"use client";
import { SearchInput } from "@/components/ui/search-input";
import { useDeferredValue, useMemo, useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable, pagingProps, type DataTableFeatures, type SortState } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import type { RouterOutputs } from "@/lib/trpc/client";

type TenantAdminRow = RouterOutputs["admin"]["tenants"]["items"][number];

const helper = createColumnHelper<DataTableFeatures, TenantAdminRow>();
const EMPTY: TenantAdminRow[] = [];

export function TenantsTable() {
  const trpc = useTRPC();
  const { t, formatDate } = useI18n();
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState<"" | "active" | "suspended">("");
  const [sort, setSort] = useState<SortState>({ id: "createdAt", desc: true });
  const deferred = useDeferredValue(search.trim());
  const query = useInfiniteQuery(
    trpc.admin.tenants.infiniteQueryOptions(
      {
        search: deferred || undefined,
        status: status || undefined,
        sort: sort as { id: "name" | "slug" | "createdAt"; desc: boolean },
        limit: 25,
      },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("name", {
          header: () => t("admin.name"),
          cell: (i) => (
            <Link href={`/admin/tenants/${i.row.original.id}`} className="font-medium text-teal-800 underline">
              {i.getValue()}
            </Link>
          ),
        }),
        helper.accessor("slug", { header: () => t("admin.slug"), cell: (i) => <code className="text-xs">{i.getValue()}</code> }),
        helper.accessor("status", {
          header: () => t("admin.status"),
          cell: (i) => t(i.getValue() === "active" ? "admin.statusActive" : "admin.statusSuspended"),
        }),
        helper.accessor("members", { header: () => t("admin.members") }),
        helper.accessor("createdAt", { header: () => t("admin.created"), cell: (i) => formatDate(i.getValue()) }),
      ]),
    [t, formatDate],
  );
  return (
    <div className="space-y-3">
      <div className="flex flex-col gap-2 sm:flex-row">
        <SearchInput value={search} onChange={setSearch} label={t("admin.search")} />
        <select
          aria-label={t("admin.status")}
          value={status}
          onChange={(e) => setStatus(e.target.value as typeof status)}
          className="rounded-lg border border-slate-300 bg-white px-3 py-2"
        >
          <option value="">{t("console.allStatuses")}</option>
          <option value="active">{t("admin.statusActive")}</option>
          <option value="suspended">{t("admin.statusSuspended")}</option>
        </select>
      </div>
      <DataTable
        columns={columns}
        data={data}
        testId="tenants"
        sort={sort}
        onSortChange={setSort}
        sortableColumns={["name", "slug", "createdAt"]}
        hideableColumns={["members", "createdAt"]}
        columnLabels={{ members: t("admin.members"), createdAt: t("admin.created") }}
        {...pagingProps(query)}
        text={listText(t, "admin", {
          loading: "common.loading",
          error: "errors.errorBody",
          retry: "errors.tryAgain",
          loadMore: "members.loadMore",
        })}
        renderCard={(row, cell) => (
          <>
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0">{cell("name")}</div>
              {cell("status")}
            </div>
            <div className="mt-1 flex flex-wrap gap-3 text-sm text-slate-600">
              {cell("slug")}
              {cell("members")}
            </div>
          </>
        )}
      />
    </div>
  );
}
