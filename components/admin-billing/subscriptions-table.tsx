"use client";
import { useDeferredValue, useMemo, useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { SUBSCRIPTION_STATUS_FILTERS } from "@/lib/schemas/billing";
import { useTRPC } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import { DataTable, pagingProps, type DataTableFeatures, type SortState } from "@/components/ui/data-table";
import { SearchInput } from "@/components/ui/search-input";
import type { RouterOutputs } from "@/lib/trpc/client";
import { StatusBadge } from "./badges";
import { useBillingFormat } from "./format";
import { tableText } from "./table-text";

type AdminSubscriptionRow = RouterOutputs["adminBilling"]["subscriptions"]["items"][number];

const helper = createColumnHelper<DataTableFeatures, AdminSubscriptionRow>();
const EMPTY: AdminSubscriptionRow[] = [];
type Status = (typeof SUBSCRIPTION_STATUS_FILTERS)[number];

/** Every tenant's subscription: status, plan, period and the dates that matter next. */
export function SubscriptionsTable() {
  const trpc = useTRPC();
  const { t } = useI18n();
  const fmt = useBillingFormat();
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState<Status | "">("");
  const [sort, setSort] = useState<SortState>({ id: "period", desc: false });
  const deferred = useDeferredValue(search.trim());
  const query = useInfiniteQuery(
    trpc.adminBilling.subscriptions.infiniteQueryOptions(
      { search: deferred || undefined, status: status || undefined, sort: sort.desc ? "desc" : "asc", limit: 25 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor((r) => r.tenant.slug, {
          id: "tenant",
          header: () => t("adminBilling.common.tenant"),
          cell: (i) => (
            <span className="block min-w-0">
              <Link href={`/admin/tenants/${i.row.original.tenant.id}`} className="font-medium text-teal-800 underline">
                {i.row.original.tenant.name}
              </Link>
              <code className="block text-xs text-slate-500">{i.getValue()}</code>
            </span>
          ),
        }),
        helper.accessor("status", {
          header: () => t("adminBilling.common.status"),
          cell: (i) => <StatusBadge kind="subscriptionStatus" status={i.getValue()} />,
        }),
        helper.accessor((r) => r.plan.name, {
          id: "plan",
          header: () => t("adminBilling.subscriptions.plan"),
          cell: (i) => {
            const r = i.row.original;
            return (
              <span className="block">
                <span className="font-medium">{r.plan.name}</span>
                <span className="block text-xs text-slate-600">
                  {t(`adminBilling.interval.${r.interval}`)}
                  {" · "}
                  {r.currency}
                </span>
                {r.pendingPlan ? (
                  <span className="block text-xs text-amber-800">
                    {t("adminBilling.subscriptions.pendingPlan", {
                      plan: r.pendingPlan.name,
                      interval: t(`adminBilling.interval.${r.pendingPlan.interval}`),
                    })}
                  </span>
                ) : null}
              </span>
            );
          },
        }),
        helper.accessor("currentPeriodEnd", {
          id: "period",
          header: () => t("adminBilling.subscriptions.period"),
          cell: (i) => (
            <span className="whitespace-nowrap text-sm">
              {t("adminBilling.subscriptions.periodRange", {
                from: fmt.date(i.row.original.currentPeriodStart),
                to: fmt.date(i.row.original.currentPeriodEnd),
              })}
            </span>
          ),
        }),
        helper.display({
          id: "dates",
          header: () => t("adminBilling.subscriptions.dates"),
          cell: (i) => {
            const r = i.row.original;
            const lines: string[] = [];
            if (r.status === "trialing" && r.trialEndsAt)
              lines.push(t("adminBilling.subscriptions.trialEnds", { date: fmt.date(r.trialEndsAt) }));
            if (r.graceEndsAt) lines.push(t("adminBilling.subscriptions.graceEnds", { date: fmt.date(r.graceEndsAt) }));
            if (r.suspendedAt) lines.push(t("adminBilling.subscriptions.suspendedAt", { date: fmt.date(r.suspendedAt) }));
            if (r.canceledAt) lines.push(t("adminBilling.subscriptions.canceledAt", { date: fmt.date(r.canceledAt) }));
            if (lines.length === 0) return <span className="text-slate-400">{t("adminBilling.common.none")}</span>;
            return (
              <ul className="space-y-0.5 text-xs text-slate-700">
                {lines.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            );
          },
        }),
      ]),
    [t, fmt],
  );

  return (
    <div className="space-y-3">
      <div className="flex flex-col gap-2 sm:flex-row">
        <SearchInput value={search} onChange={setSearch} label={t("adminBilling.subscriptions.search")} />
        <select
          aria-label={t("adminBilling.common.status")}
          value={status}
          onChange={(e) => setStatus(e.target.value as Status | "")}
          className="rounded-lg border border-slate-300 bg-white px-3 py-2"
        >
          <option value="">{t("adminBilling.common.allStatuses")}</option>
          {SUBSCRIPTION_STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {t(`adminBilling.subscriptionStatus.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <DataTable
        columns={columns}
        data={data}
        testId="subscriptions"
        {...pagingProps(query)}
        sort={sort}
        onSortChange={setSort}
        sortableColumns={["period"]}
        hideableColumns={["dates"]}
        columnLabels={{ dates: t("adminBilling.subscriptions.dates") }}
        text={tableText(t, t("adminBilling.subscriptions.empty"))}
        renderCard={(row, cell) => (
          <div className="space-y-2 text-sm">
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0">{cell("tenant")}</div>
              {cell("status")}
            </div>
            {cell("plan")}
            {cell("period")}
            {row.original.trialEndsAt || row.original.graceEndsAt || row.original.suspendedAt ? cell("dates") : null}
          </div>
        )}
      />
    </div>
  );
}
