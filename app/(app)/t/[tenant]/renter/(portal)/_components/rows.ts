import type { PortalInvoiceRow, PortalReceiptRow } from "@/server/portal/portal-queries";

// The portal lists' rows as the browser gets them (plain JSON: dates as ISO strings), from the
// server page's first page and from the "show more" routes alike.

export type InvoiceStatus = PortalInvoiceRow["status"];

export interface InvoiceListRow {
  id: string;
  number: string;
  period: string;
  status: InvoiceStatus;
  currency: string;
  total: number;
  open: number;
  dueDate: string;
  unitCode: string;
  propertyName: string;
  payUrl: string | null;
  pdfUrl: string;
}

export interface ReceiptListRow {
  id: string;
  number: string;
  paidAt: string;
  amount: number;
  currency: string;
  receivedAmount: number | null;
  receivedCurrency: string | null;
  khrPerUsd: number | null;
  method: PortalReceiptRow["method"];
  refunded: boolean;
  invoiceId: string;
  invoiceNumber: string;
  balanceAfter: number;
  pdfUrl: string;
}

export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

export function invoiceListRow(r: PortalInvoiceRow): InvoiceListRow {
  return {
    id: r.id,
    number: r.number,
    period: r.period,
    status: r.status,
    currency: r.currency,
    total: r.total,
    open: r.open,
    dueDate: r.dueDate,
    unitCode: r.unitCode,
    propertyName: r.propertyName,
    payUrl: r.payUrl,
    pdfUrl: r.pdfUrl,
  };
}

export function receiptListRow(r: PortalReceiptRow): ReceiptListRow {
  return {
    id: r.id,
    number: r.number,
    paidAt: r.paidAt.toISOString(),
    amount: r.amount,
    currency: r.currency,
    receivedAmount: r.receivedAmount,
    receivedCurrency: r.receivedCurrency,
    khrPerUsd: r.khrPerUsd,
    method: r.method,
    refunded: r.refunded,
    invoiceId: r.invoiceId,
    invoiceNumber: r.invoiceNumber,
    balanceAfter: r.balanceAfter,
    pdfUrl: r.pdfUrl,
  };
}
