"use client";
import Link from "next/link";
import { useMemo } from "react";
import { createColumnHelper } from "@tanstack/react-table";
import { useI18n } from "@/lib/i18n/client";
import { DataTable, pagingProps, type DataTableFeatures } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import type { ListPage, ReceiptListRow } from "./rows";
import { usePortalPages } from "./use-portal-pages";
import { ReceivedAs } from "@/components/payments/received-as";

const helper = createColumnHelper<DataTableFeatures, ReceiptListRow>();

/** The renter's receipts (one per payment), newest first; "show more" by keyset cursor; cards on a phone. */
export function PortalReceiptsList({ first, timeZone }: { first: ListPage<ReceiptListRow>; timeZone: string }) {
  const { t, fmt, locale } = useI18n();
  const { query, data } = usePortalPages("receipts", first);

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("number", {
          header: () => t("portalPages.receipts.number"),
          cell: (info) => (
            <span className="font-medium" data-testid="portal-receipt-number">
              {info.getValue()}
              {info.row.original.refunded ? (
                <span className="ml-2 rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-600">
                  {t("portalPages.receipts.refunded")}
                </span>
              ) : null}
            </span>
          ),
        }),
        helper.accessor("paidAt", { header: () => t("portalPages.receipts.date"), cell: (i) => fmt.date(i.getValue(), timeZone) }),
        helper.accessor("amount", {
          header: () => t("portalPages.receipts.amount"),
          cell: (info) => (
            <span className="font-medium">
              {fmt.money(info.getValue(), info.row.original.currency)}
              <ReceivedAs payment={info.row.original} />
            </span>
          ),
        }),
        helper.accessor("method", {
          header: () => t("portalPages.receipts.method"),
          cell: (info) => t(`invoices.pdf.methods.${info.getValue()}`),
        }),
        helper.accessor("invoiceNumber", {
          id: "invoice",
          header: () => t("portalPages.receipts.invoice"),
          cell: (info) => (
            <Link href={`/renter/invoices/${info.row.original.invoiceId}`} className="text-teal-800 hover:underline">
              {info.getValue()}
            </Link>
          ),
        }),
        helper.accessor("balanceAfter", {
          header: () => t("portalPages.receipts.balanceAfter"),
          cell: (info) => fmt.money(info.getValue(), info.row.original.currency),
        }),
        helper.display({
          id: "download",
          header: () => <span className="sr-only">{t("portalPages.receipts.download")}</span>,
          cell: (info) => (
            <a
              href={info.row.original.pdfUrl}
              aria-label={t("portalPages.receipts.downloadReceipt", { number: info.row.original.number })}
              className="inline-block rounded-lg border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50"
              data-testid="portal-receipt-pdf"
            >
              {t("portalPages.receipts.download")}
            </a>
          ),
        }),
      ]),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, locale, timeZone],
  );

  return (
    <DataTable
      columns={columns}
      data={data}
      testId="portal-receipts"
      {...pagingProps(query)}
      hideableColumns={["invoice", "balanceAfter"]}
      columnLabels={{ invoice: t("portalPages.receipts.invoice"), balanceAfter: t("portalPages.receipts.balanceAfter") }}
      text={listText(t, "portalPages.receipts")}
      renderCard={(_row, cell) => (
        <>
          <div className="flex items-start justify-between gap-2">
            <div className="min-w-0">
              <div className="truncate">{cell("number")}</div>
              <div className="truncate text-sm text-slate-600">{cell("paidAt")}</div>
            </div>
            <div className="text-right">{cell("amount")}</div>
          </div>
          <div className="mt-2 flex flex-wrap items-center justify-between gap-2 text-sm">
            <span className="text-slate-600">
              {cell("method")} · {cell("invoice")}
            </span>
            {cell("download")}
          </div>
        </>
      )}
    />
  );
}
