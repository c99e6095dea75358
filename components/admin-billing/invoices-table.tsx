"use client";
import { useMemo, useState } from "react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { billingFiltersToSearchParams, type adminInvoicesSchema } from "@/lib/schemas/billing";
import type { z } from "zod";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n";
import { DataTable, pagingProps, type DataTableFeatures, type SortState } from "@/components/ui/data-table";
import { toast } from "@/components/ui/toast";
import type { RouterOutputs } from "@/lib/trpc/client";
import { StatusBadge } from "./badges";
import { markPaidDialog } from "./dialogs";
import { BillingFilterBar, EMPTY_BILLING_FILTERS, filterInput, type BillingFilterForm } from "./filter-bar";
import { useBillingFormat } from "./format";
import { tableText } from "./table-text";

type AdminInvoiceRow = RouterOutputs["adminBilling"]["invoices"]["items"][number];

const helper = createColumnHelper<DataTableFeatures, AdminInvoiceRow>();
const EMPTY: AdminInvoiceRow[] = [];
type InvoiceQuery = z.input<typeof adminInvoicesSchema>;

/** Subscription invoices of every tenant; open ones can be marked paid (cash / bank transfer). */
export function InvoicesTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const fmt = useBillingFormat();
  const [filters, setFilters] = useState<BillingFilterForm>(EMPTY_BILLING_FILTERS);
  const [sort, setSort] = useState<SortState>({ id: "issuedAt", desc: true });
  const input = filterInput(filters);
  const queryInput: InvoiceQuery = {
    search: input.search,
    status: input.status as InvoiceQuery["status"],
    from: input.from,
    to: input.to,
    sort: sort.desc ? "desc" : "asc",
  };
  const query = useInfiniteQuery(
    trpc.adminBilling.invoices.infiniteQueryOptions(
      { ...queryInput, limit: 25 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const exportParams = billingFiltersToSearchParams({ ...queryInput }).toString();

  const markPaid = useMutation(
    trpc.adminBilling.markInvoicePaid.mutationOptions({
      onSuccess: (r) => {
        toast.success(t("adminBilling.invoices.markedPaid", { number: r.number }));
        void queryClient.invalidateQueries({ queryKey: trpc.adminBilling.pathKey() });
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );
  const busy = markPaid.isPending;

  async function onMarkPaid(row: AdminInvoiceRow) {
    const values = await markPaidDialog(row.id, {
      title: t("adminBilling.invoices.markPaidTitle", { number: row.number }),
      text: t("adminBilling.invoices.markPaidText", { amount: fmt.money(row.amount, row.currency), tenant: row.tenant.slug }),
      method: t("adminBilling.invoices.method"),
      methods: [
        { value: "bank_transfer", label: t("adminBilling.method.bank_transfer") },
        { value: "cash", label: t("adminBilling.method.cash") },
      ],
      reference: t("adminBilling.invoices.reference"),
      referenceHelp: t("adminBilling.invoices.referenceHelp"),
      confirm: t("adminBilling.invoices.markPaid"),
      cancel: t("adminBilling.common.cancel"),
      translate: (key) => t(key as MessageKey),
    });
    if (values) markPaid.mutate(values);
  }

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("number", {
          header: () => t("adminBilling.invoices.number"),
          cell: (i) => (
            <span className="block">
              <span className="whitespace-nowrap font-medium text-slate-900">{i.getValue()}</span>
              <span className="block text-xs text-slate-600">
                {t(`adminBilling.kind.${i.row.original.kind}`)}
                {" · "}
                {i.row.original.planName}
                {" · "}
                {t(`adminBilling.interval.${i.row.original.interval}`)}
              </span>
            </span>
          ),
        }),
        helper.accessor((r) => r.tenant.slug, {
          id: "tenant",
          header: () => t("adminBilling.common.tenant"),
          cell: (i) => <code className="text-xs">{i.getValue()}</code>,
        }),
        helper.accessor("amount", {
          header: () => t("adminBilling.common.amount"),
          cell: (i) => <span className="whitespace-nowrap font-medium">{fmt.money(i.getValue(), i.row.original.currency)}</span>,
        }),
        helper.accessor("status", {
          header: () => t("adminBilling.common.status"),
          cell: (i) => {
            const r = i.row.original;
            return (
              <span className="block space-y-0.5">
                <StatusBadge kind="invoiceStatus" status={r.status} />
                {r.paidAt ? (
                  <span className="block text-xs text-slate-600">{t("adminBilling.invoices.paidOn", { date: fmt.date(r.paidAt) })}</span>
                ) : null}
                {r.voidedAt ? (
                  <span className="block text-xs text-slate-600">
                    {t("adminBilling.invoices.voidedOn", { date: fmt.date(r.voidedAt) })}
                  </span>
                ) : null}
                {r.settledBy ? (
                  <span className="block text-xs text-slate-600 [overflow-wrap:anywhere]">
                    {t("adminBilling.invoices.settledBy", {
                      method: t(`adminBilling.method.${r.settledBy.method}`),
                      reference: r.settledBy.reference ?? t("adminBilling.common.none"),
                    })}
                  </span>
                ) : null}
              </span>
            );
          },
        }),
        helper.accessor("periodStart", {
          id: "period",
          header: () => t("adminBilling.invoices.period"),
          cell: (i) => (
            <span className="whitespace-nowrap text-xs">
              {t("adminBilling.subscriptions.periodRange", { from: fmt.date(i.getValue()), to: fmt.date(i.row.original.periodEnd) })}
            </span>
          ),
        }),
        helper.accessor("issuedAt", {
          header: () => t("adminBilling.invoices.issued"),
          cell: (i) => <span className="whitespace-nowrap text-xs">{fmt.date(i.getValue())}</span>,
        }),
        helper.accessor("dueAt", {
          header: () => t("adminBilling.invoices.due"),
          cell: (i) => <span className="whitespace-nowrap text-xs">{fmt.date(i.getValue())}</span>,
        }),
        helper.display({
          id: "actions",
          header: () => <span className="sr-only">{t("adminBilling.common.actions")}</span>,
          cell: (i) =>
            i.row.original.status === "open" ? (
              <button
                type="button"
                disabled={busy}
                onClick={() => void onMarkPaid(i.row.original)}
                className="whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium text-teal-800 hover:bg-teal-50 disabled:opacity-50"
              >
                {t("adminBilling.invoices.markPaid")}
              </button>
            ) : null,
        }),
      ]),
    // onMarkPaid only reads t/fmt, already listed
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, fmt, busy],
  );

  return (
    <div className="space-y-3">
      <BillingFilterBar
        kind="invoices"
        onApply={setFilters}
        exportHref={`/admin/billing/invoices/export${exportParams ? `?${exportParams}` : ""}`}
      />
      <DataTable
        columns={columns}
        data={data}
        testId="invoices"
        {...pagingProps(query)}
        sort={sort}
        onSortChange={setSort}
        sortableColumns={["issuedAt"]}
        hideableColumns={["period", "issuedAt", "dueAt"]}
        columnLabels={{
          period: t("adminBilling.invoices.period"),
          issuedAt: t("adminBilling.invoices.issued"),
          dueAt: t("adminBilling.invoices.due"),
        }}
        text={tableText(t, t("adminBilling.invoices.empty"))}
        renderCard={(row, cell) => (
          <div className="space-y-2 text-sm" data-testid="invoice-card">
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0">{cell("number")}</div>
              {cell("amount")}
            </div>
            <div className="flex flex-wrap items-center gap-2">
              {cell("tenant")}
              {cell("status")}
            </div>
            <div className="text-xs text-slate-600">
              {t("adminBilling.invoices.due")}
              {": "}
              {fmt.date(row.original.dueAt)}
            </div>
            {row.original.status === "open" ? <div>{cell("actions")}</div> : null}
          </div>
        )}
      />
    </div>
  );
}
