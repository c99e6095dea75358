"use client";
import Link from "next/link";
import { useDeferredValue, useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { PROPERTY_TYPES, type PropertyType } from "@/lib/schemas/properties";
import { useCan } from "@/components/layout/permissions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SearchInput } from "@/components/ui/search-input";
import { toast } from "@/components/ui/toast";
import { DataTable, pagingProps, type DataTableFeatures, type SortState } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import type { RouterOutputs } from "@/lib/trpc/client";
import { PropertyForm } from "./property-form";

type PropertyRow = RouterOutputs["properties"]["list"]["items"][number];

const helper = createColumnHelper<DataTableFeatures, PropertyRow>();
const EMPTY: PropertyRow[] = [];

export function PropertiesView() {
  const trpc = useTRPC();
  const router = useRouter();
  const { t, formatDate } = useI18n();
  const can = useCan();
  const canManage = can("properties.manage");
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search.trim());
  const [type, setType] = useState<PropertyType | "">("");
  const [archived, setArchived] = useState(false);
  const [sort, setSort] = useState<SortState>({ id: "name", desc: false });

  const query = useInfiniteQuery(
    trpc.properties.list.infiniteQueryOptions(
      {
        search: deferredSearch || undefined,
        type: type || undefined,
        archived,
        sort: { id: sort.id as "name" | "createdAt", desc: sort.desc },
        limit: 25,
      },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const filtered = Boolean(deferredSearch || type || archived);

  // not destructive (it only brings a property back), so no confirmation
  const restore = useMutation(
    trpc.properties.restore.mutationOptions({
      onSuccess: (r) => {
        toast.success(t("properties.restored_toast", { name: r.name, count: r.unitsRestored }));
        void queryClient.invalidateQueries({ queryKey: trpc.properties.pathKey() });
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );
  const restoringId = restore.isPending ? restore.variables.propertyId : null;

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("coverUrl", {
          id: "cover",
          header: () => <span className="sr-only">{t("properties.cover")}</span>,
          cell: (info) => {
            const url = info.getValue();
            return url ? (
              // eslint-disable-next-line @next/next/no-img-element -- served by our own file route, already sized by the browser
              <img src={url} alt="" className="h-12 w-16 rounded-md object-cover" loading="lazy" />
            ) : (
              <span className="flex h-12 w-16 items-center justify-center rounded-md bg-slate-100 text-[10px] text-slate-600">
                {t("properties.noPhoto")}
              </span>
            );
          },
        }),
        helper.accessor("name", {
          header: () => t("properties.name"),
          cell: (info) => (
            <span className="flex flex-col">
              <Link href={`/properties/${info.row.original.id}`} className="font-medium text-teal-800 hover:underline">
                {info.getValue()}
              </Link>
              {info.row.original.archivedAt ? <span className="text-xs text-slate-500">{t("properties.archivedBadge")}</span> : null}
            </span>
          ),
        }),
        helper.accessor("type", { header: () => t("properties.type"), cell: (info) => t(`properties.types.${info.getValue()}`) }),
        helper.accessor("address", {
          header: () => t("properties.address"),
          cell: (info) => <span className="text-slate-600">{info.getValue()}</span>,
        }),
        helper.accessor((p) => p.units.total, {
          id: "units",
          header: () => t("properties.units"),
          cell: (info) => (
            <Link href={`/units?propertyId=${info.row.original.id}`} className="text-teal-800 hover:underline">
              {t("properties.counts.total", { count: info.getValue() })}
            </Link>
          ),
        }),
        helper.accessor((p) => p.units.occupied, {
          id: "occupancy",
          header: () => t("properties.occupancy"),
          cell: (info) => t("properties.occupancyValue", { occupied: info.getValue(), total: info.row.original.units.total }),
        }),
        helper.accessor("createdAt", { header: () => t("properties.created"), cell: (info) => formatDate(info.getValue()) }),
        ...(archived && canManage
          ? [
              helper.display({
                id: "actions",
                header: () => <span className="sr-only">{t("properties.actions")}</span>,
                cell: (info) => {
                  const p = info.row.original;
                  if (!p.archivedAt) return null;
                  return (
                    <Button
                      type="button"
                      variant="secondary"
                      disabled={restoringId !== null}
                      onClick={() => restore.mutate({ propertyId: p.id })}
                      aria-label={t("properties.restoreNamed", { name: p.name })}
                      data-testid="restore-property"
                    >
                      {restoringId === p.id ? t("properties.restoring") : t("properties.restore")}
                    </Button>
                  );
                },
              }),
            ]
          : []),
      ]),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- restore.mutate is stable; restoringId is the state that matters
    [t, formatDate, archived, canManage, restoringId],
  );

  return (
    <div className="space-y-4">
      {can("properties.manage") ? (
        creating ? (
          <Card title={t("properties.newProperty")}>
            <PropertyForm onCancel={() => setCreating(false)} onDone={(p) => router.push(`/properties/${p.id}`)} />
          </Card>
        ) : (
          <Button type="button" onClick={() => setCreating(true)} data-testid="new-property">
            {t("properties.newProperty")}
          </Button>
        )
      ) : null}
      <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-center">
        <SearchInput value={search} onChange={setSearch} label={t("properties.search")} />
        <select
          aria-label={t("properties.type")}
          value={type}
          onChange={(e) => setType(e.target.value as PropertyType | "")}
          className="rounded-lg border border-slate-300 bg-white px-3 py-2"
        >
          <option value="">{t("properties.allTypes")}</option>
          {PROPERTY_TYPES.map((pt) => (
            <option key={pt} value={pt}>
              {t(`properties.types.${pt}`)}
            </option>
          ))}
        </select>
        <label className="inline-flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} />
          {t("properties.showArchived")}
        </label>
      </div>
      <DataTable
        columns={columns}
        data={data}
        testId="properties"
        {...pagingProps(query)}
        sort={sort}
        onSortChange={setSort}
        sortableColumns={["name", "createdAt"]}
        hideableColumns={["address", "occupancy", "createdAt"]}
        columnLabels={{ address: t("properties.address"), occupancy: t("properties.occupancy"), createdAt: t("properties.created") }}
        text={listText(t, "properties", { empty: filtered ? "properties.emptyFiltered" : undefined })}
        renderCard={(row, cell) => (
          <div className="flex gap-3">
            {cell("cover")}
            <div className="min-w-0 flex-1 space-y-1">
              <div className="truncate">{cell("name")}</div>
              <div className="text-sm text-slate-600">{cell("type")}</div>
              {row.original.address ? <div className="truncate text-sm text-slate-500">{row.original.address}</div> : null}
              <div className="flex flex-wrap gap-x-3 text-sm">
                {cell("units")}
                <span className="text-slate-600">{cell("occupancy")}</span>
              </div>
              {cell("actions")}
            </div>
          </div>
        )}
      />
    </div>
  );
}
