"use client";
import { useMemo } from "react";
import { createColumnHelper } from "@tanstack/react-table";
import { useI18n } from "@/lib/i18n/client";
import { DataTable, pagingProps, type DataTableFeatures } from "@/components/ui/data-table";
import { listText } from "@/components/ui/list-text";
import { invoiceColumns } from "@/components/invoices/invoice-columns";
import { PortalStatusBadge } from "./status-badge";
import { PortalPayLink } from "./pay-link";
import type { InvoiceListRow, ListPage } from "./rows";
import { usePortalPages } from "./use-portal-pages";

const helper = createColumnHelper<DataTableFeatures, InvoiceListRow>();

/**
 * The renter's invoices: the first page comes with the server page, "show more" fetches the next
 * by its keyset cursor. A table from 640 px up, one card per invoice on a phone.
 */
export function PortalInvoicesList({ first }: { first: ListPage<InvoiceListRow> }) {
  const { t, fmt, locale } = useI18n();
  const { query, data } = usePortalPages("invoices", first);

  const columns = useMemo(() => {
    const shared = invoiceColumns<InvoiceListRow>({
      fmt,
      label: (column) => t(`portalPages.invoices.${column}`),
      href: (id) => `/renter/invoices/${id}`,
      linkTestId: "portal-invoice-link",
    });
    return helper.columns([
      shared.number,
      shared.period,
      shared.unit,
      shared.total,
      helper.accessor("open", {
        header: () => t("portalPages.invoices.open"),
        cell: (info) => fmt.money(info.getValue(), info.row.original.currency),
      }),
      shared.dueDate,
      helper.accessor("status", {
        header: () => t("portalPages.invoices.status"),
        cell: (info) => <PortalStatusBadge status={info.getValue()} />,
      }),
      helper.display({
        id: "actions",
        header: () => <span className="sr-only">{t("portalPages.invoices.actions")}</span>,
        cell: (info) => {
          const row = info.row.original;
          return (
            <span className="flex flex-wrap items-center justify-end gap-2">
              <PortalPayLink invoice={row} t={t} testId="portal-invoice-pay" />
              <a
                href={row.pdfUrl}
                aria-label={t("portalPages.invoices.downloadPdf", { number: row.number })}
                className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50"
                data-testid="portal-invoice-pdf"
              >
                {t("portalPages.invoices.pdf")}
              </a>
            </span>
          );
        },
      }),
    ]);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [t, locale]);

  return (
    <DataTable
      columns={columns}
      data={data}
      testId="portal-invoices"
      {...pagingProps(query)}
      hideableColumns={["unit", "period"]}
      columnLabels={{ unit: t("portalPages.invoices.unit"), period: t("portalPages.invoices.period") }}
      text={listText(t, "portalPages.invoices")}
      renderCard={(_row, cell) => (
        <>
          <div className="flex items-start justify-between gap-2">
            <div className="min-w-0">
              <div className="truncate">{cell("number")}</div>
              <div className="truncate text-sm text-slate-600">{cell("period")}</div>
              <div className="truncate text-sm text-slate-600">{cell("unit")}</div>
            </div>
            {cell("status")}
          </div>
          <div className="mt-2 flex flex-wrap items-center justify-between gap-2 text-sm">
            <span>
              {t("portalPages.invoices.total")}: {cell("total")}
            </span>
            <span className="text-slate-600">
              {t("portalPages.invoices.dueDate")}: {cell("dueDate")}
            </span>
          </div>
          <div className="mt-3">{cell("actions")}</div>
        </>
      )}
    />
  );
}
