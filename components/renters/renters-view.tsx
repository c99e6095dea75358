"use client";
import Link from "next/link";
import { useDeferredValue, useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { useInfiniteQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { formatCambodianPhone } from "@/lib/rentals/phone";
import type { RenterSort } from "@/lib/schemas/renters";
import { useCan } from "@/components/layout/permissions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SearchInput } from "@/components/ui/search-input";
import { DataTable, pagingProps, type DataTableFeatures, type SortState } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import type { RouterOutputs } from "@/lib/trpc/client";
import { RenterForm } from "./renter-form";

type RenterRow = RouterOutputs["renters"]["list"]["items"][number];

const helper = createColumnHelper<DataTableFeatures, RenterRow>();
const EMPTY: RenterRow[] = [];

/** The renters list: search by name (either script), phone (any common format) or e-mail; archived ones on demand. */
export function RentersView() {
  const trpc = useTRPC();
  const router = useRouter();
  const { t, formatDate } = useI18n();
  const can = useCan();
  const [creating, setCreating] = useState(false);
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search.trim());
  const [archived, setArchived] = useState(false);
  const [sort, setSort] = useState<SortState>({ id: "nameLatin", desc: false });

  const query = useInfiniteQuery(
    trpc.renters.list.infiniteQueryOptions(
      { search: deferredSearch || undefined, archived, sort: { id: sort.id as RenterSort, desc: sort.desc }, limit: 25 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const filtered = Boolean(deferredSearch || archived);

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("nameLatin", {
          header: () => t("renters.name"),
          cell: (info) => {
            const r = info.row.original;
            return (
              <span className="flex flex-col">
                <Link href={`/renters/${r.id}`} className="font-medium text-teal-800 hover:underline">
                  {r.nameLatin || r.nameKm}
                </Link>
                {r.nameLatin && r.nameKm ? (
                  <span lang="km" className="text-sm text-slate-600">
                    {r.nameKm}
                  </span>
                ) : null}
                {r.archivedAt ? <span className="text-xs text-slate-500">{t("renters.archivedBadge")}</span> : null}
              </span>
            );
          },
        }),
        helper.accessor("phone", {
          header: () => t("renters.phone"),
          cell: (info) => (
            <a href={`tel:${info.getValue()}`} className="whitespace-nowrap text-slate-800 hover:underline">
              {formatCambodianPhone(info.getValue())}
            </a>
          ),
        }),
        helper.accessor("email", {
          header: () => t("renters.email"),
          cell: (info) => <span className="text-slate-600">{info.getValue() ?? t("renters.none")}</span>,
        }),
        helper.accessor("openContracts", {
          id: "contracts",
          header: () => t("renters.contracts"),
          cell: (info) =>
            info.getValue() > 0 ? (
              t("renters.openContracts", { count: info.getValue() })
            ) : (
              <span className="text-slate-500">{t("renters.noContracts")}</span>
            ),
        }),
        helper.accessor("createdAt", { header: () => t("renters.created"), cell: (info) => formatDate(info.getValue()) }),
      ]),
    [t, formatDate],
  );

  return (
    <div className="space-y-4">
      {can("renters.manage") ? (
        creating ? (
          <Card title={t("renters.newRenter")}>
            <RenterForm onCancel={() => setCreating(false)} onDone={(r) => router.push(`/renters/${r.id}`)} />
          </Card>
        ) : (
          <div className="flex flex-wrap gap-2">
            <Button type="button" onClick={() => setCreating(true)} data-testid="new-renter">
              {t("renters.newRenter")}
            </Button>
            <Link
              href="/import"
              className="inline-flex min-h-10 items-center justify-center rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50"
            >
              {t("renters.importLink")}
            </Link>
          </div>
        )
      ) : null}
      <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-center">
        <SearchInput value={search} onChange={setSearch} label={t("renters.search")} />
        <label className="inline-flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} />
          {t("renters.showArchived")}
        </label>
      </div>
      <DataTable
        columns={columns}
        data={data}
        testId="renters"
        {...pagingProps(query)}
        sort={sort}
        onSortChange={setSort}
        sortableColumns={["nameLatin", "createdAt"]}
        hideableColumns={["email", "contracts", "createdAt"]}
        columnLabels={{ email: t("renters.email"), contracts: t("renters.contracts"), createdAt: t("renters.created") }}
        text={listText(t, "renters", { empty: filtered ? "renters.emptyFiltered" : undefined })}
        renderCard={(row, cell) => (
          <div className="space-y-1">
            <div className="min-w-0">{cell("nameLatin")}</div>
            <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
              {cell("phone")}
              <span className="text-slate-600">{cell("contracts")}</span>
            </div>
            {row.original.email ? <div className="truncate text-sm text-slate-500">{row.original.email}</div> : null}
          </div>
        )}
      />
    </div>
  );
}
