"use client";
import { UpgradeHint, lacks, useEntitlements } from "@/components/billing/upgrade-hint";
import { useMemo, useState, type ReactNode } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { filtersFromSearchParams, filtersToSearchParams, type AuditFiltersInput } from "@/lib/schemas/audit";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import type { Translator } from "@/lib/i18n";
import { DataTable, pagingProps, type DataTableFeatures } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import type { RouterOutputs } from "@/lib/trpc/client";
import { AuditFilterBar, EMPTY_FILTERS, type AuditFilterForm } from "./audit-filter-bar";
import { actionLabel } from "./action-label";
import { AuditDetailsDrawer } from "./audit-details-drawer";
import { auditChanges, changesText, targetLabel, targetReference } from "@/lib/audit-details";

type AdminAuditRow = RouterOutputs["admin"]["audit"]["list"]["items"][number];

type Sort = "asc" | "desc";
/** Rows of both views; the workspace's have no `tenant`. */
type Row = Omit<AdminAuditRow, "tenant"> & { tenant?: AdminAuditRow["tenant"] };

const helper = createColumnHelper<DataTableFeatures, Row>();
const EMPTY: Row[] = [];

/** Initial filters from the page's query string (a shared or reloaded link); invalid values are dropped. */
export function formFromQuery(query: string): { form: AuditFilterForm; sort: Sort } {
  const raw = filtersFromSearchParams(new URLSearchParams(query));
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    form: {
      ...EMPTY_FILTERS,
      actor: str(raw.actor),
      action: str(raw.action),
      targetType: str(raw.targetType),
      targetId: str(raw.targetId),
      from: str(raw.from),
      to: str(raw.to),
      q: str(raw.q),
      tenant: str(raw.tenant),
      platformOnly: raw.platformOnly === true,
    },
    sort: raw.sort === "asc" ? "asc" : "desc",
  };
}

function toInput(form: AuditFilterForm, sort: Sort): AuditFiltersInput {
  const { tenant: _tenant, platformOnly: _platformOnly, ...rest } = form;
  return { ...rest, sort };
}

function useAuditState(initialQuery: string) {
  const [initial] = useState(() => formFromQuery(initialQuery));
  const [applied, setApplied] = useState<AuditFilterForm>(initial.form);
  const [sort, setSort] = useState<Sort>(initial.sort);
  const params = filtersToSearchParams({ ...applied, sort }).toString();
  const remember = (next: AuditFilterForm, nextSort: Sort) => {
    const qs = filtersToSearchParams({ ...next, sort: nextSort }).toString();
    window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname);
  };
  return {
    initial: initial.form,
    applied,
    sort,
    params,
    apply: (next: AuditFilterForm) => {
      setApplied(next);
      remember(next, sort);
    },
    setSort: (next: Sort) => {
      setSort(next);
      remember(applied, next);
    },
  };
}

/** Who did it, in words: an e-mail, "A former member" (a user since deleted), or "System"; never a user id. */
function actorText(t: Translator, r: Row): string {
  const actor = r.actorEmail ?? (r.actorUserId ? t("audit.formerMember") : null);
  if (r.impersonator)
    return t("audit.actorAs", { admin: r.impersonator.email ?? t("audit.supportStaff"), user: actor ?? t("audit.system") });
  return actor ?? t("audit.system");
}

/** The workspace's audit log (`audit.list`); times in the workspace's time zone. */
export function WorkspaceAuditLog({ timezone, initialQuery }: { timezone: string; initialQuery: string }) {
  const trpc = useTRPC();
  const state = useAuditState(initialQuery);
  const query = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { ...toInput(state.applied, state.sort), limit: 50 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const entitlements = useEntitlements();
  return (
    <AuditLogView
      admin={false}
      timezone={timezone}
      state={state}
      exportHref={`/audit/export${state.params ? `?${state.params}` : ""}`}
      exportGate={
        lacks(entitlements, "audit_export") && entitlements ? <UpgradeHint entitlements={entitlements} feature="audit_export" /> : null
      }
      query={query}
    />
  );
}

/** The console's audit log across tenants (`admin.audit.list`); times in Phnom Penh. */
export function AdminAuditLog({ timezone, initialQuery }: { timezone: string; initialQuery: string }) {
  const trpc = useTRPC();
  const state = useAuditState(initialQuery);
  const query = useInfiniteQuery(
    trpc.admin.audit.list.infiniteQueryOptions(
      {
        ...toInput(state.applied, state.sort),
        tenant: state.applied.tenant,
        platformOnly: state.applied.platformOnly,
        limit: 50,
      },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  return (
    <AuditLogView
      admin
      timezone={timezone}
      state={state}
      exportHref={`/admin/audit/export${state.params ? `?${state.params}` : ""}`}
      query={query}
    />
  );
}

interface PagedQuery {
  data?: { pages: { items: Row[] }[] };
  status: "pending" | "error" | "success";
  refetch: () => unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

function AuditLogView({
  admin,
  timezone,
  state,
  exportHref,
  exportGate = null,
  query,
}: {
  admin: boolean;
  timezone: string;
  state: ReturnType<typeof useAuditState>;
  exportHref: string;
  exportGate?: ReactNode;
  query: PagedQuery;
}) {
  const { t, fmt } = useI18n();
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const timeFormat = useMemo(() => ({ format: (d: Date) => fmt.dateTimeSeconds(d, timezone) }), [fmt, timezone]);

  // the row whose details drawer is open
  const [openRow, setOpenRow] = useState<Row | null>(null);
  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("createdAt", {
          id: "createdAt",
          header: () => t("audit.time"),
          cell: (i) => (
            <time dateTime={i.getValue().toISOString()} className="whitespace-nowrap text-slate-700">
              {timeFormat.format(i.getValue())}
            </time>
          ),
        }),
        ...(admin
          ? [
              helper.accessor((r) => r.tenant?.slug ?? null, {
                id: "tenant",
                header: () => t("audit.tenant"),
                cell: (i) =>
                  i.getValue() ? (
                    <code className="text-xs">{i.getValue()}</code>
                  ) : (
                    <span className="text-xs text-slate-500">{t("audit.platform")}</span>
                  ),
              }),
            ]
          : []),
        helper.accessor((r) => actorText(t, r), {
          id: "actor",
          header: () => t("audit.actor"),
          cell: (i) => (
            <span className={`[overflow-wrap:anywhere] ${i.row.original.impersonator ? "text-amber-800" : ""}`}>{i.getValue()}</span>
          ),
        }),
        helper.accessor("action", {
          header: () => t("audit.action"),
          // the label and, below it, the change in words (the drawer has it in full)
          cell: (i) => {
            const summary = changesText(auditChanges(t, i.row.original.metadata));
            return (
              <span className="block">
                <span className="block font-medium text-slate-900">{actionLabel(t, i.getValue())}</span>
                {summary ? <span className="line-clamp-2 block text-xs text-slate-600 [overflow-wrap:anywhere]">{summary}</span> : null}
              </span>
            );
          },
        }),
        // the kind of record and, where it has one a person can read, its reference; never its id
        helper.accessor((r) => [targetLabel(t, r.targetType), targetReference(r.targetId)].filter(Boolean).join(" · "), {
          id: "target",
          header: () => t("audit.target"),
          cell: (i) => <span className="text-xs text-slate-700 [overflow-wrap:anywhere]">{i.getValue()}</span>,
        }),
        helper.display({
          id: "details",
          header: () => t("audit.details"),
          cell: (i) => (
            <button
              type="button"
              onClick={() => setOpenRow(i.row.original)}
              className="rounded text-sm text-teal-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-teal-700"
              data-testid="audit-details-open"
            >
              {t("audit.details")}
            </button>
          ),
        }),
      ]),
    [t, timeFormat, admin, setOpenRow],
  );

  return (
    <div className="space-y-3">
      <AuditFilterBar admin={admin} initial={state.initial} onApply={state.apply} exportHref={exportHref} exportGate={exportGate} />
      <label className="flex items-center gap-2 text-sm sm:hidden">
        {t("audit.order")}
        <select
          value={state.sort}
          onChange={(e) => state.setSort(e.target.value === "asc" ? "asc" : "desc")}
          className="rounded-md border border-slate-300 bg-white px-2 py-1"
        >
          <option value="desc">{t("audit.newestFirst")}</option>
          <option value="asc">{t("audit.oldestFirst")}</option>
        </select>
      </label>
      {openRow ? <AuditDetailsDrawer row={openRow} time={timeFormat.format(openRow.createdAt)} onClose={() => setOpenRow(null)} /> : null}
      <DataTable
        columns={columns}
        data={data}
        testId="audit"
        {...pagingProps(query)}
        sort={{ id: "createdAt", desc: state.sort === "desc" }}
        onSortChange={(s) => state.setSort(s.desc ? "desc" : "asc")}
        sortableColumns={["createdAt"]}
        hideableColumns={["target", "details"]}
        columnLabels={{ target: t("audit.target"), details: t("audit.details") }}
        text={listText(t, "audit")}
        renderCard={(row, cell) => (
          <div className="space-y-1 text-sm">
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0">{cell("action")}</div>
              <div className="shrink-0 text-xs">{cell("createdAt")}</div>
            </div>
            <div className="text-slate-700">{cell("actor")}</div>
            {admin ? <div>{cell("tenant")}</div> : null}
            {row.original.targetType || row.original.targetId ? <div>{cell("target")}</div> : null}
            {cell("details")}
          </div>
        )}
      />
    </div>
  );
}
