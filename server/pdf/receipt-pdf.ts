import "server-only";
import { createTranslator, type Locale } from "@/lib/i18n";
import { createFormat } from "@/lib/i18n/format";
import { lineDescription } from "@/lib/i18n/invoice-lines";
import { formatMoney } from "@/lib/money";
import { renderBillingPdf, type BillingDocument } from "@/server/pdf/billing-document";
import { tenantLogoForPdf } from "@/server/files/logo";
import type { TenantSummary } from "@/server/core/host-scope";
import type { ReceiptDocument } from "@/server/receipts/receipts";
import { renterDisplayName } from "@/server/rent-invoices/rent-messages";

// The receipt of ONE rent payment (server/receipts/receipts.ts): its own number, the amount, the
// method and reference, the day it was paid, the invoice it paid and what it paid for (the invoice
// lines it covered, a line paid in part says so; what went to the contract's credit), and what was
// left to pay after it. Same layout and Khmer font as the invoice (billing-document.ts).

export async function renderReceiptPdf(data: ReceiptDocument, locale: Locale, tenant: TenantSummary): Promise<Buffer> {
  const t = createTranslator(locale);
  const fmt = createFormat(locale);
  const money = (minor: number) => formatMoney(minor, data.currency, locale);
  const method = t(`invoices.pdf.methods.${data.method}`);

  const lines: BillingDocument["lines"] = data.covered.map(({ line, covered, partial }) => {
    const description = lineDescription(line, data.invoice.period, locale);
    return {
      description: partial ? t("invoices.pdf.receipt.linePart", { description, amount: money(line.amount) }) : description,
      amount: money(covered),
    };
  });
  if (data.credit > 0) lines.push({ description: t("invoices.pdf.receipt.creditLine"), amount: money(data.credit) });

  const doc: BillingDocument = {
    kind: "receipt",
    locale,
    labels: {
      title: t("invoices.pdf.receiptTitle"),
      number: t("invoices.pdf.number"),
      issued: t("invoices.pdf.issued"),
      due: t("invoices.pdf.due"),
      paid: t("invoices.pdf.paid"),
      billTo: t("invoices.pdf.billTo"),
      description: t("invoices.pdf.description"),
      amount: t("invoices.pdf.amount"),
      total: t("invoices.pdf.totalPaid"),
      status: t("invoices.pdf.status"),
      method: t("invoices.pdf.method"),
      reference: t("invoices.pdf.reference"),
      period: t("invoices.pdf.period"),
    },
    issuer: {
      name: tenant.name,
      lines: [data.property.name, data.property.address ?? ""].filter(Boolean),
      logoPng: await tenantLogoForPdf(tenant.id),
    },
    billTo: {
      name: renterDisplayName(data.renter, locale),
      lines: [t("invoices.pdf.unitLine", { unit: data.unit.code, property: data.property.name }), data.renter.phone],
    },
    number: data.number,
    issuedAt: fmt.date(data.paidAt, tenant.timezone),
    paidAt: fmt.date(data.paidAt, tenant.timezone),
    period: fmt.month(data.invoice.period),
    statusText: data.refunded ? t("invoices.pdf.receipt.refunded") : t("invoices.statuses.paid"),
    lines,
    total: money(data.amount),
    payment: { method, reference: data.reference },
    summary: [
      [t("invoices.pdf.receipt.invoice"), data.invoice.number],
      [t("invoices.pdf.receipt.balanceAfter"), money(data.balanceAfter)],
      ...(data.received
        ? [
            [
              t("currency.record.received"),
              t("currency.receivedAt", {
                amount: formatMoney(data.received.amount, data.received.currency, locale),
                rate: fmt.number(data.received.khrPerUsd),
              }),
            ] as [string, string],
          ]
        : []),
    ],
    footer: t("invoices.pdf.receiptFooter"),
  };
  return renderBillingPdf(doc);
}
