"use client";
import { useMemo, useState } from "react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import type { z } from "zod";
import { billingFiltersToSearchParams, type adminPaymentsSchema } from "@/lib/schemas/billing";
import { useTRPC, errorMessage } from "@/lib/trpc/client";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n";
import { DataTable, pagingProps, type DataTableFeatures, type SortState } from "@/components/ui/data-table";
import { toast } from "@/components/ui/toast";
import type { RouterOutputs } from "@/lib/trpc/client";
import { Badge, StatusBadge } from "./badges";
import { refundDialog } from "./dialogs";
import { BillingFilterBar, EMPTY_BILLING_FILTERS, filterInput, type BillingFilterForm } from "./filter-bar";
import { useBillingFormat } from "./format";
import { tableText } from "./table-text";

type AdminPaymentRow = RouterOutputs["adminBilling"]["payments"]["items"][number];

const helper = createColumnHelper<DataTableFeatures, AdminPaymentRow>();
const EMPTY: AdminPaymentRow[] = [];
type PaymentQuery = z.input<typeof adminPaymentsSchema>;

/** The red box of a flagged payment: why it was not (or should not have been) settled. */
function FlagNotice({ row }: { row: AdminPaymentRow }) {
  const { t } = useI18n();
  if (!row.flaggedAt) return null;
  return (
    <div className="rounded-lg border border-red-300 bg-red-50 p-2 text-xs text-red-900" data-testid="payment-flag">
      <Badge tone="red">{t("adminBilling.payments.flagged")}</Badge>
      <p className="mt-1 [overflow-wrap:anywhere]">{row.flagReason}</p>
    </div>
  );
}

/** Every payment attempt across tenants; flagged ones stand out; paid ones can be refunded. */
export function PaymentsTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const fmt = useBillingFormat();
  const [filters, setFilters] = useState<BillingFilterForm>(EMPTY_BILLING_FILTERS);
  const [sort, setSort] = useState<SortState>({ id: "createdAt", desc: true });
  const input = filterInput(filters);
  const queryInput: PaymentQuery = {
    ...input,
    status: input.status as PaymentQuery["status"],
    method: input.method as PaymentQuery["method"],
    sort: sort.desc ? "desc" : "asc",
  };
  const query = useInfiniteQuery(
    trpc.adminBilling.payments.infiniteQueryOptions(
      { ...queryInput, limit: 25 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const exportParams = billingFiltersToSearchParams(queryInput).toString();

  const refund = useMutation(
    trpc.adminBilling.refundPayment.mutationOptions({
      onSuccess: () => {
        toast.success(t("adminBilling.payments.refunded"));
        void queryClient.invalidateQueries({ queryKey: trpc.adminBilling.pathKey() });
      },
      onError: (e) => toast.error(errorMessage(e, t("errors.errorBody"))),
    }),
  );
  const busy = refund.isPending;

  async function onRefund(row: AdminPaymentRow) {
    const word = row.invoice?.number ?? row.id.slice(0, 8);
    const values = await refundDialog(row.id, {
      title: t("adminBilling.payments.refundTitle", { amount: fmt.money(row.amount, row.currency), tenant: row.tenant.slug }),
      text: t("adminBilling.payments.refundText"),
      reason: t("adminBilling.payments.refundReason"),
      typed: t("adminBilling.payments.refundTyped", { word }),
      word,
      confirm: t("adminBilling.payments.refund"),
      cancel: t("adminBilling.common.cancel"),
      translate: (key) => t(key as MessageKey),
    });
    if (values) refund.mutate(values);
  }

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("createdAt", {
          header: () => t("adminBilling.payments.created"),
          cell: (i) => <span className="whitespace-nowrap text-xs">{fmt.dateTime(i.getValue())}</span>,
        }),
        helper.accessor((r) => r.tenant.slug, {
          id: "tenant",
          header: () => t("adminBilling.common.tenant"),
          cell: (i) => <code className="text-xs">{i.getValue()}</code>,
        }),
        helper.accessor((r) => r.invoice?.number ?? null, {
          id: "invoice",
          header: () => t("adminBilling.payments.invoice"),
          cell: (i) => <span className="whitespace-nowrap text-sm">{i.getValue() ?? t("adminBilling.common.none")}</span>,
        }),
        helper.accessor("amount", {
          header: () => t("adminBilling.common.amount"),
          cell: (i) => (
            <span className="block whitespace-nowrap">
              <span className="font-medium">{fmt.money(i.getValue(), i.row.original.currency)}</span>
              <span className="block text-xs text-slate-600">{t(`adminBilling.method.${i.row.original.method}`)}</span>
            </span>
          ),
        }),
        helper.accessor("status", {
          header: () => t("adminBilling.common.status"),
          cell: (i) => (
            <span className="block space-y-1">
              <StatusBadge kind="paymentStatus" status={i.getValue()} />
              {i.row.original.refundReason ? (
                <span className="block text-xs text-slate-600 [overflow-wrap:anywhere]">
                  {t("adminBilling.payments.refundedBecause", { reason: i.row.original.refundReason })}
                </span>
              ) : null}
            </span>
          ),
        }),
        helper.display({
          id: "flag",
          header: () => t("adminBilling.payments.flagged"),
          cell: (i) => <FlagNotice row={i.row.original} />,
        }),
        helper.display({
          id: "details",
          header: () => t("adminBilling.payments.details"),
          cell: (i) => {
            const r = i.row.original;
            const facts = [
              [t("adminBilling.payments.reference"), r.reference],
              [t("adminBilling.payments.md5"), r.md5],
              [t("adminBilling.payments.hash"), r.bakongHash],
              [t("adminBilling.payments.fromAccount"), r.fromAccountId],
              [t("adminBilling.payments.paidAt"), r.paidAt ? fmt.dateTime(r.paidAt) : null],
              [t("adminBilling.payments.failure"), r.failureReason],
              [t("adminBilling.payments.recordedBy"), r.recordedBy],
            ].filter((f): f is [string, string] => !!f[1]);
            if (facts.length === 0) return null;
            return (
              <details className="text-xs">
                <summary className="cursor-pointer text-teal-800">{t("adminBilling.payments.details")}</summary>
                <dl className="mt-1 space-y-0.5 text-slate-700">
                  {facts.map(([label, value]) => (
                    <div key={label} className="break-all">
                      <dt className="inline font-medium">
                        {label}
                        {": "}
                      </dt>
                      <dd className="inline">{value}</dd>
                    </div>
                  ))}
                </dl>
              </details>
            );
          },
        }),
        helper.display({
          id: "actions",
          header: () => <span className="sr-only">{t("adminBilling.common.actions")}</span>,
          cell: (i) =>
            i.row.original.status === "paid" ? (
              <button
                type="button"
                disabled={busy}
                onClick={() => void onRefund(i.row.original)}
                className="whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-50"
              >
                {t("adminBilling.payments.refund")}
              </button>
            ) : null,
        }),
      ]),
    // onRefund only reads t/fmt, already listed
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, fmt, busy],
  );

  return (
    <div className="space-y-3">
      <BillingFilterBar
        kind="payments"
        onApply={setFilters}
        exportHref={`/admin/billing/payments/export${exportParams ? `?${exportParams}` : ""}`}
      />
      <DataTable
        columns={columns}
        data={data}
        testId="payments"
        {...pagingProps(query)}
        sort={sort}
        onSortChange={setSort}
        sortableColumns={["createdAt"]}
        hideableColumns={["invoice", "details"]}
        columnLabels={{ invoice: t("adminBilling.payments.invoice"), details: t("adminBilling.payments.details") }}
        text={tableText(t, t("adminBilling.payments.empty"))}
        renderCard={(row, cell) => (
          <div className={`space-y-2 text-sm ${row.original.flaggedAt ? "border-l-4 border-red-600 pl-2" : ""}`}>
            <FlagNotice row={row.original} />
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0">{cell("amount")}</div>
              {cell("status")}
            </div>
            <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
              {cell("tenant")}
              {cell("invoice")}
              {cell("createdAt")}
            </div>
            {cell("details")}
            {row.original.status === "paid" ? <div>{cell("actions")}</div> : null}
          </div>
        )}
      />
    </div>
  );
}
