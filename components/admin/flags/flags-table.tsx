"use client";
import { useMemo, useState } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { FLAG_SORT_COLUMNS, type FlagSortColumn } from "@/lib/schemas/flags";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable, type DataTableFeatures, type SortState } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import type { RouterOutputs } from "@/lib/trpc/client";
import { Expiry, StateBadge } from "./badges";
import { FlagForm } from "./flag-form";
import { useDeleteFlag } from "./use-delete-flag";

type FlagRow = RouterOutputs["admin"]["flags"]["list"][number];

const helper = createColumnHelper<DataTableFeatures, FlagRow>();
const EMPTY: FlagRow[] = [];
type Status = "all" | "active" | "expired";

function isSortColumn(id: string): id is FlagSortColumn {
  return (FLAG_SORT_COLUMNS as readonly string[]).includes(id);
}

/** Every flag (there are few: no paging), soonest expiry first so expired ones lead; create and delete here. */
export function FlagsTable() {
  const trpc = useTRPC();
  const { t } = useI18n();
  const [status, setStatus] = useState<Status>("all");
  const [sort, setSort] = useState<{ id: FlagSortColumn; desc: boolean }>({ id: "expiresAt", desc: false });
  const [creating, setCreating] = useState(false);
  const query = useQuery(trpc.admin.flags.list.queryOptions({ status, sort }));
  const remove = useDeleteFlag();
  const data = query.data ?? EMPTY;

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("key", {
          header: () => t("flags.key"),
          cell: (info) => (
            <div className="min-w-0">
              <Link href={`/admin/flags/${info.getValue()}`} className="font-mono text-sm font-medium text-teal-800 hover:underline">
                {info.getValue()}
              </Link>
              <p className="max-w-md truncate text-xs text-slate-500">{info.row.original.description}</p>
            </div>
          ),
        }),
        helper.accessor("owner", { header: () => t("flags.owner") }),
        helper.accessor("defaultEnabled", { header: () => t("flags.defaultState"), cell: (info) => <StateBadge on={info.getValue()} /> }),
        helper.accessor("expiresAt", {
          header: () => t("flags.expiresAt"),
          cell: (info) => <Expiry expiresAt={info.getValue()} isExpired={info.row.original.isExpired} />,
        }),
        helper.accessor("overrides", { header: () => t("flags.overrides") }),
        helper.display({
          id: "actions",
          header: () => <span className="sr-only">{t("flags.actions")}</span>,
          cell: (info) => {
            const flag = info.row.original;
            return (
              <div className="flex items-center gap-1">
                <Link href={`/admin/flags/${flag.key}`} className="rounded-md px-3 py-1.5 text-sm text-teal-800 hover:bg-teal-50">
                  {t("flags.edit")}
                </Link>
                <button
                  type="button"
                  onClick={() => void remove.confirmAndDelete(flag)}
                  disabled={remove.isPending}
                  aria-label={`${t("flags.delete")} ${flag.key}`}
                  className="rounded-md px-3 py-1.5 text-sm text-red-700 hover:bg-red-50 disabled:opacity-50"
                >
                  {t("flags.delete")}
                </button>
              </div>
            );
          },
        }),
      ]),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, remove.isPending],
  );

  return (
    <div className="space-y-3">
      {creating ? (
        <Card title={t("flags.createTitle")}>
          <FlagForm onDone={() => setCreating(false)} onCancel={() => setCreating(false)} />
        </Card>
      ) : (
        <Button onClick={() => setCreating(true)}>{t("flags.newFlag")}</Button>
      )}
      <label className="flex items-center gap-2 text-sm text-slate-700">
        {t("flags.filter")}
        <select
          value={status}
          onChange={(e) => setStatus(e.target.value as Status)}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
          data-testid="flags-filter"
        >
          <option value="all">{t("flags.filterAll")}</option>
          <option value="active">{t("flags.filterActive")}</option>
          <option value="expired">{t("flags.filterExpired")}</option>
        </select>
      </label>
      <DataTable
        columns={columns}
        data={data}
        testId="flags"
        status={query.status}
        onRetry={() => void query.refetch()}
        hasMore={false}
        loadingMore={false}
        onLoadMore={() => undefined}
        sort={sort}
        onSortChange={(s: SortState) => {
          if (isSortColumn(s.id)) setSort({ id: s.id, desc: s.desc });
        }}
        sortableColumns={[...FLAG_SORT_COLUMNS]}
        hideableColumns={["owner", "defaultEnabled", "overrides"]}
        columnLabels={{ owner: t("flags.owner"), defaultEnabled: t("flags.defaultState"), overrides: t("flags.overrides") }}
        text={listText(t, "flags")}
        renderCard={(row, cell) => (
          <>
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0">{cell("key")}</div>
              {cell("defaultEnabled")}
            </div>
            <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-600">
              <span>{row.original.owner}</span>
              {cell("expiresAt")}
              <span>
                {t("flags.overrides")}: {row.original.overrides}
              </span>
            </div>
            <div className="mt-2">{cell("actions")}</div>
          </>
        )}
      />
    </div>
  );
}
