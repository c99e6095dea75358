import Link from "next/link";
import { createColumnHelper } from "@tanstack/react-table";
import type { DataTableFeatures } from "@/components/ui/data-table";
import type { Formatter } from "@/lib/i18n/format";

/** What a row of a rent-invoice list has, in the workspace's list and in the renter portal's. */
export interface InvoiceRowBase {
  id: string;
  number: string;
  period: string;
  unitCode: string;
  propertyName: string;
  total: number;
  currency: string;
  /** YYYY-MM-DD */
  dueDate: string;
}

export type InvoiceColumnId = "number" | "period" | "unit" | "total" | "dueDate";

/**
 * The columns both rent-invoice lists show alike: the number (a link to the invoice), the billing
 * period, the unit with its property, the total and the due date. Each list adds its own (renter,
 * balance or what is open, status, actions) and places them.
 */
export function invoiceColumns<R extends InvoiceRowBase>(o: {
  fmt: Formatter;
  label: (column: InvoiceColumnId) => string;
  href: (id: string) => string;
  /** the number link's data-testid */
  linkTestId: string;
}) {
  const helper = createColumnHelper<DataTableFeatures, R>();
  return {
    number: helper.accessor((r) => r.number, {
      id: "number",
      header: () => o.label("number"),
      cell: (info) => (
        <Link href={o.href(info.row.original.id)} className="font-medium text-teal-800 hover:underline" data-testid={o.linkTestId}>
          {info.getValue()}
        </Link>
      ),
    }),
    period: helper.accessor((r) => r.period, {
      id: "period",
      header: () => o.label("period"),
      cell: (info) => o.fmt.month(info.getValue()),
    }),
    unit: helper.accessor((r) => r.unitCode, {
      id: "unit",
      header: () => o.label("unit"),
      cell: (info) => (
        <span>
          {info.getValue()}
          <span className="text-slate-500"> · {info.row.original.propertyName}</span>
        </span>
      ),
    }),
    total: helper.accessor((r) => r.total, {
      id: "total",
      header: () => o.label("total"),
      cell: (info) => <span className="font-medium">{o.fmt.money(info.getValue(), info.row.original.currency)}</span>,
    }),
    dueDate: helper.accessor((r) => r.dueDate, {
      id: "dueDate",
      header: () => o.label("dueDate"),
      cell: (info) => o.fmt.day(info.getValue()),
    }),
  };
}
