"use client";
import { useMemo } from "react";
import Link from "next/link";
import { useInfiniteQuery } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useTRPC } from "@/lib/trpc/client";
import { useCan } from "@/components/layout/permissions";
import { DataTable, pagingProps, type DataTableFeatures } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import { payHref, pdfHref, type BillingFormat, type InvoiceListItem } from "./format";

const helper = createColumnHelper<DataTableFeatures, InvoiceListItem>();
const EMPTY: InvoiceListItem[] = [];

const STATUS_STYLE: Record<string, string> = {
  open: "bg-amber-50 text-amber-900",
  paid: "bg-teal-50 text-teal-800",
  void: "bg-slate-100 text-slate-600",
};

/** Every subscription invoice, newest first, keyset "load more"; cards on phones. */
export function InvoiceHistory({ f, khqrAvailable }: { f: BillingFormat; khqrAvailable: boolean }) {
  const { t } = f;
  const trpc = useTRPC();
  const canManage = useCan()("billing.manage");
  const query = useInfiniteQuery(
    trpc.billing.invoices.infiniteQueryOptions({ limit: 20 }, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
  );
  const data = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("number", {
          header: () => t("billing.invoices.number"),
          cell: (info) => <span className="font-mono text-sm text-slate-900">{info.getValue()}</span>,
        }),
        helper.accessor("issuedAt", { header: () => t("billing.invoices.issued"), cell: (info) => f.date(info.getValue()) }),
        helper.display({
          id: "description",
          header: () => t("billing.invoices.description"),
          cell: (info) => {
            const r = info.row.original;
            return (
              <div>
                <div className="text-slate-900">{f.invoiceDescription(r)}</div>
                <div className="text-xs text-slate-500">
                  {t("billing.invoices.periodRange", { from: f.date(r.periodStart), to: f.date(r.periodEnd) })}
                </div>
              </div>
            );
          },
        }),
        helper.accessor("amount", {
          header: () => t("billing.invoices.amount"),
          cell: (info) => <span className="tabular-nums font-medium">{f.money(info.getValue(), info.row.original.currency)}</span>,
        }),
        helper.accessor("status", {
          header: () => t("billing.invoices.status"),
          cell: (info) => (
            <span
              data-testid="invoice-status"
              className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[info.getValue()] ?? STATUS_STYLE.void}`}
            >
              {f.invoiceStatus(info.getValue())}
            </span>
          ),
        }),
        helper.display({
          id: "actions",
          header: () => <span className="sr-only">{t("billing.invoices.actions")}</span>,
          cell: (info) => {
            const r = info.row.original;
            return (
              <div className="flex flex-wrap justify-end gap-1">
                {r.status === "open" && canManage && khqrAvailable ? (
                  <Link href={payHref(r.id)} className="rounded-md px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50">
                    {t("billing.invoices.payKhqr")}
                  </Link>
                ) : null}
                <a
                  href={pdfHref(r.id)}
                  target="_blank"
                  rel="noopener"
                  data-testid="invoice-pdf"
                  className="rounded-md px-3 py-1.5 text-sm text-teal-800 hover:bg-teal-50"
                >
                  {t("billing.invoices.pdf")}
                </a>
                {r.status === "paid" ? (
                  <a
                    href={pdfHref(r.id, "receipt")}
                    target="_blank"
                    rel="noopener"
                    data-testid="invoice-receipt"
                    className="rounded-md px-3 py-1.5 text-sm text-teal-800 hover:bg-teal-50"
                  >
                    {t("billing.invoices.receipt")}
                  </a>
                ) : null}
              </div>
            );
          },
        }),
      ]),
    [t, f, canManage, khqrAvailable],
  );

  return (
    <section className="space-y-3" data-testid="invoice-history">
      <h2 className="text-lg font-semibold text-slate-900">{t("billing.invoices.historyTitle")}</h2>
      <DataTable
        columns={columns}
        data={data}
        testId="invoices"
        {...pagingProps(query)}
        text={listText(t, "billing.invoices", { error: "billing.invoices.error", columns: false })}
        renderCard={(_row, cell) => (
          <>
            <div className="flex items-start justify-between gap-2">
              <div className="min-w-0">
                {cell("number")}
                <div className="text-sm text-slate-600">{cell("issuedAt")}</div>
              </div>
              {cell("status")}
            </div>
            <div className="mt-2 text-sm">{cell("description")}</div>
            <div className="mt-3 flex flex-wrap items-center justify-between gap-2">
              <span className="text-lg">{cell("amount")}</span>
              {cell("actions")}
            </div>
          </>
        )}
      />
    </section>
  );
}
