"use client";
import { useDeferredValue, useMemo, useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import type { TenantAdminRow } from "@/server/services/platform/tenant-admin-service";

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, TenantAdminRow>();
const EMPTY: TenantAdminRow[] = [];

export function TenantsTable() {
  const trpc = useTRPC();
  const { t, formatDate } = useI18n();
  const [search, setSearch] = useState("");
  const deferred = useDeferredValue(search.trim());
  const query = useInfiniteQuery(
    trpc.admin.tenants.infiniteQueryOptions(
      { search: deferred || undefined, limit: 25 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("name", { header: () => t("admin.name"), cell: (i) => <span className="font-medium">{i.getValue()}</span> }),
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
  const table = useTable({ features, columns, data });
  const rows = table.getRowModel().rows;

  return (
    <div className="space-y-3">
      <input
        type="search"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        placeholder={t("admin.search")}
        aria-label={t("admin.search")}
        className="w-full rounded-lg border border-slate-300 px-3 py-2 sm:max-w-sm"
      />
      {query.isPending ? (
        <p className="text-sm text-slate-500">{t("common.loading")}</p>
      ) : rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500">{t("admin.empty")}</p>
      ) : (
        <>
          <div className="hidden overflow-hidden rounded-xl border border-slate-200 bg-white sm:block">
            <table className="w-full text-left text-sm" data-testid="tenants-table">
              <thead className="bg-slate-50 text-xs uppercase text-slate-500">
                {table.getHeaderGroups().map((g) => (
                  <tr key={g.id}>
                    {g.headers.map((h) => (
                      <th key={h.id} scope="col" className="px-4 py-3 font-medium">
                        <table.FlexRender header={h} />
                      </th>
                    ))}
                  </tr>
                ))}
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((row) => (
                  <tr key={row.id}>
                    {row.getAllCells().map((cell) => (
                      <td key={cell.id} className="px-4 py-3">
                        <table.FlexRender cell={cell} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ul className="space-y-2 sm:hidden">
            {rows.map((row) => (
              <li key={row.id} className="rounded-xl border border-slate-200 bg-white p-4">
                <div className="font-medium">{row.original.name}</div>
                <div className="text-sm text-slate-600">
                  <code>{row.original.slug}</code> · {t(row.original.status === "active" ? "admin.statusActive" : "admin.statusSuspended")}{" "}
                  · {row.original.members}
                </div>
              </li>
            ))}
          </ul>
          {query.hasNextPage ? (
            <button
              type="button"
              onClick={() => void query.fetchNextPage()}
              className="rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm"
            >
              {t("members.loadMore")}
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}
