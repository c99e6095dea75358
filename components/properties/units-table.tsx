"use client";
import Link from "next/link";
import { useDeferredValue, useMemo, useState } from "react";
import { usePathname, useRouter } from "next/navigation";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { UNIT_STATUSES, type UnitStatus } from "@/lib/schemas/properties";
import { useCan } from "@/components/layout/permissions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SearchInput } from "@/components/ui/search-input";
import { confirmAction } from "@/components/ui/confirm";
import { toast } from "@/components/ui/toast";
import { DataTable, pagingProps, type DataTableFeatures, type SortState } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import type { RouterOutputs } from "@/lib/trpc/client";
import { UnitForm } from "./unit-form";
import { UnitStatusBadge } from "./unit-status-badge";

type UnitRow = RouterOutputs["properties"]["unit"];

const helper = createColumnHelper<DataTableFeatures, UnitRow>();
const EMPTY: UnitRow[] = [];
type UnitSort = "code" | "baseRent" | "status" | "createdAt";

/**
 * Units with server-side filters, sort and "load more". Inside a property (`propertyId`) the
 * property is fixed; on /units the filters live in the URL (`?status=vacant&propertyId=…&archived=1`)
 * so dashboard links and reloads land on the same list. Archived units can be restored one by one,
 * except those of an archived property (restoring the property brings them back).
 */
export function UnitsTable({
  propertyId,
  initialFilters = {},
  syncUrl = false,
  canAdd = true,
}: {
  propertyId?: string;
  initialFilters?: { status?: UnitStatus; propertyId?: string; archived?: boolean };
  syncUrl?: boolean;
  canAdd?: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const { t, locale, fmt } = useI18n();
  const can = useCan();
  const canManage = can("properties.manage");
  const [status, setStatus] = useState<UnitStatus | "">(initialFilters.status ?? "");
  const [propertyFilter, setPropertyFilter] = useState(initialFilters.propertyId ?? "");
  const [archived, setArchived] = useState(initialFilters.archived ?? false);
  // a link to /units?… while already here brings new filters; our own URL updates bring the same ones
  const filterKey = `${initialFilters.status ?? ""}:${initialFilters.propertyId ?? ""}:${initialFilters.archived ? 1 : 0}`;
  const [seenFilterKey, setSeenFilterKey] = useState(filterKey);
  if (filterKey !== seenFilterKey) {
    setSeenFilterKey(filterKey);
    setStatus(initialFilters.status ?? "");
    setPropertyFilter(initialFilters.propertyId ?? "");
    setArchived(initialFilters.archived ?? false);
  }
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search.trim());
  const [sort, setSort] = useState<SortState>({ id: "code", desc: false });
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<UnitRow | null>(null);
  const fixedProperty = propertyId ?? null;
  const effectiveProperty = fixedProperty ?? (propertyFilter || undefined);
  const options = useQuery({ ...trpc.properties.options.queryOptions(), enabled: !fixedProperty });

  function updateUrl(next: { status: string; propertyId: string; archived: boolean }) {
    if (!syncUrl) return;
    const params = new URLSearchParams();
    if (next.status) params.set("status", next.status);
    if (next.propertyId) params.set("propertyId", next.propertyId);
    if (next.archived) params.set("archived", "1");
    const qs = params.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  }

  const query = useInfiniteQuery(
    trpc.properties.units.infiniteQueryOptions(
      {
        propertyId: effectiveProperty,
        status: status || undefined,
        search: deferredSearch || undefined,
        archived,
        sort: { id: sort.id as UnitSort, desc: sort.desc },
        limit: 50,
      },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);

  const archive = useMutation(
    trpc.properties.archiveUnit.mutationOptions({
      onSuccess: (u) => {
        toast.success(t("properties.unit.archived_toast", { code: u.code }));
        void queryClient.invalidateQueries({ queryKey: trpc.properties.pathKey() });
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );

  // not destructive: no confirmation
  const restore = useMutation(
    trpc.properties.restoreUnit.mutationOptions({
      onSuccess: (u) => {
        toast.success(t("properties.unit.restored_toast", { code: u.code }));
        void queryClient.invalidateQueries({ queryKey: trpc.properties.pathKey() });
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );
  const restoringId = restore.isPending ? restore.variables.unitId : null;

  async function confirmArchive(u: UnitRow) {
    const ok = await confirmAction({
      title: t("properties.unit.confirmArchiveTitle", { code: u.code }),
      text: t("properties.unit.confirmArchiveText"),
      confirmText: t("properties.archive"),
      cancelText: t("properties.cancel"),
      danger: true,
    });
    if (ok) archive.mutate({ unitId: u.id });
  }

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("code", {
          header: () => t("properties.unit.code"),
          cell: (info) => <span className="font-medium text-slate-900">{info.getValue()}</span>,
        }),
        ...(fixedProperty
          ? []
          : [
              helper.accessor("propertyName", {
                id: "property",
                header: () => t("properties.unit.property"),
                cell: (info) => (
                  <Link href={`/properties/${info.row.original.propertyId}`} className="text-teal-800 hover:underline">
                    {info.getValue()}
                  </Link>
                ),
              }),
            ]),
        helper.accessor("floor", { header: () => t("properties.unit.floor"), cell: (info) => info.getValue() ?? "—" }),
        helper.accessor("sizeSqm", {
          id: "size",
          header: () => t("properties.unit.size"),
          cell: (info) => {
            const v = info.getValue();
            return v === null ? "—" : t("properties.unit.sizeValue", { size: fmt.number(v) });
          },
        }),
        helper.accessor("baseRent", {
          header: () => t("properties.unit.rent"),
          cell: (info) => fmt.money(info.getValue(), info.row.original.currency),
        }),
        helper.accessor("status", {
          header: () => t("properties.unit.status"),
          cell: (info) => <UnitStatusBadge status={info.getValue()} />,
        }),
        helper.display({
          id: "actions",
          header: () => <span className="sr-only">{t("properties.actions")}</span>,
          cell: (info) => {
            const u = info.row.original;
            if (!canManage) return null;
            if (u.archivedAt) {
              return u.propertyArchived ? (
                <span className="text-sm text-slate-500">{t("properties.unit.archivedWithProperty")}</span>
              ) : (
                <div className="flex justify-end">
                  <button
                    type="button"
                    onClick={() => restore.mutate({ unitId: u.id })}
                    disabled={restoringId !== null}
                    className="rounded-md px-3 py-1.5 text-sm text-teal-800 hover:bg-teal-50"
                    aria-label={t("properties.unit.restore", { code: u.code })}
                  >
                    {restoringId === u.id ? t("properties.restoring") : t("properties.restore")}
                  </button>
                </div>
              );
            }
            return (
              <div className="flex flex-wrap justify-end gap-1">
                <button
                  type="button"
                  onClick={() => {
                    setAdding(false);
                    setEditing(u);
                  }}
                  className="rounded-md px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100"
                  aria-label={t("properties.unit.edit", { code: u.code })}
                >
                  {t("properties.edit")}
                </button>
                {u.status !== "occupied" ? (
                  <button
                    type="button"
                    onClick={() => void confirmArchive(u)}
                    disabled={archive.isPending}
                    className="rounded-md px-3 py-1.5 text-sm text-red-700 hover:bg-red-50"
                  >
                    {t("properties.archive")}
                  </button>
                ) : null}
              </div>
            );
          },
        }),
      ]),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, locale, canManage, fixedProperty, archive.isPending, restoringId],
  );

  const filtered = Boolean(status || propertyFilter || deferredSearch || archived);
  return (
    <div className="space-y-3" data-testid="units">
      {canManage && canAdd ? (
        adding || editing ? (
          <Card title={editing ? t("properties.unit.edit", { code: editing.code }) : t("properties.unit.newTitle")}>
            <UnitForm
              key={editing?.id ?? "new"}
              unit={editing ?? undefined}
              propertyId={fixedProperty ?? undefined}
              onDone={() => {
                setAdding(false);
                setEditing(null);
              }}
              onCancel={() => {
                setAdding(false);
                setEditing(null);
              }}
            />
          </Card>
        ) : (
          <Button type="button" onClick={() => setAdding(true)} data-testid="add-unit">
            {t("properties.unit.add")}
          </Button>
        )
      ) : null}
      <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-center">
        <SearchInput value={search} onChange={setSearch} label={t("properties.searchUnits")} />
        <select
          aria-label={t("properties.unit.status")}
          value={status}
          onChange={(e) => {
            const next = e.target.value as UnitStatus | "";
            setStatus(next);
            updateUrl({ status: next, propertyId: propertyFilter, archived });
          }}
          className="rounded-lg border border-slate-300 bg-white px-3 py-2"
          data-testid="unit-status-filter"
        >
          <option value="">{t("properties.allStatuses")}</option>
          {UNIT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`properties.unit.statuses.${s}`)}
            </option>
          ))}
        </select>
        {!fixedProperty ? (
          <select
            aria-label={t("properties.unit.property")}
            value={propertyFilter}
            onChange={(e) => {
              setPropertyFilter(e.target.value);
              updateUrl({ status, propertyId: e.target.value, archived });
            }}
            className="rounded-lg border border-slate-300 bg-white px-3 py-2"
            data-testid="unit-property-filter"
          >
            <option value="">{t("properties.allProperties")}</option>
            {(options.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        ) : null}
        <label className="inline-flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            checked={archived}
            onChange={(e) => {
              setArchived(e.target.checked);
              updateUrl({ status, propertyId: propertyFilter, archived: e.target.checked });
            }}
            data-testid="unit-archived-filter"
          />
          {t("properties.showArchived")}
        </label>
      </div>
      <DataTable
        columns={columns}
        data={data}
        testId="units"
        {...pagingProps(query)}
        sort={sort}
        onSortChange={setSort}
        sortableColumns={["code", "baseRent", "status"]}
        hideableColumns={["floor", "size"]}
        columnLabels={{ floor: t("properties.unit.floor"), size: t("properties.unit.size") }}
        text={listText(t, "properties.unit", {
          empty: filtered ? "properties.unit.emptyFiltered" : undefined,
          retry: "properties.retry",
          loadMore: "properties.loadMore",
          columns: "properties.columns",
        })}
        renderCard={(row, cell) => (
          <>
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0">
                <div className="truncate">{cell("code")}</div>
                {!fixedProperty ? <div className="truncate text-sm">{cell("property")}</div> : null}
              </div>
              {cell("status")}
            </div>
            <div className="mt-2 flex flex-wrap items-center justify-between gap-2 text-sm">
              <span className="font-medium text-slate-800">{cell("baseRent")}</span>
              {cell("actions")}
            </div>
          </>
        )}
      />
    </div>
  );
}
