import "server-only";
import { TenantDb } from "@/server/db/tenant-db";
import { equivalentAt, formatEquivalent } from "@/server/rates/equivalent";
import { createFormat } from "@/lib/i18n/format";
import { lineDescription } from "@/lib/i18n/invoice-lines";
import { createTranslator, type Locale } from "@/lib/i18n";
import { formatMoney } from "@/lib/money";
import { payLinkFor } from "@/lib/rentals/pay-link";
import { renderBillingPdf, type BillingDocument } from "@/server/pdf/billing-document";
import { tenantLogoForPdf } from "@/server/files/logo";
import type { TenantSummary } from "@/server/core/host-scope";
import { howToPayBlock, type InvoicePayOptions } from "@/server/pdf/invoice-pay-options";
import type { RentInvoiceService } from "@/server/rent-invoices/rent-invoice-service";
import { renterDisplayName } from "@/server/rent-invoices/rent-messages";
import { asEnumValue, PAYMENT_METHOD_VALUES } from "@/lib/enums";

// Rent invoice and receipt PDFs: the workspace's name and logo as issuer, the renter as "bill to",
// the invoice's lines (receipt: the payments received), every label in the reader's language and
// the Khmer font of server/pdf/fonts.ts (which renders it).

export type RentDocumentData = Awaited<ReturnType<RentInvoiceService["document"]>>;

export async function renderRentPdf(
  data: RentDocumentData,
  kind: "invoice" | "receipt",
  locale: Locale,
  tenant: TenantSummary,
  /** the invoice's "how to pay" block (invoice-pay-options.ts); the invoice PDF route passes it */
  pay: InvoicePayOptions | null = null,
): Promise<Buffer> {
  const t = createTranslator(locale);
  const fmt = createFormat(locale);
  const day = { format: (d: Date) => fmt.day(d) };
  const moment = { format: (d: Date) => fmt.date(d, tenant.timezone) };
  const money = (minor: number) => formatMoney(minor, data.currency, locale);
  const { contract } = data;
  const property = contract.unit.property;
  const month = fmt.month(data.period);

  const lines =
    kind === "invoice"
      ? [
          ...data.lines.map((l) => ({ description: lineDescription(l, data.period, locale), amount: money(l.amount) })),
          ...(data.creditApplied > 0 ? [{ description: t("invoices.pdf.creditApplied"), amount: money(-data.creditApplied) }] : []),
        ]
      : [
          ...(data.creditApplied > 0 ? [{ description: t("invoices.pdf.creditApplied"), amount: money(data.creditApplied) }] : []),
          ...data.payments.map((p) => ({
            description: `${t("invoices.pdf.paymentLine", { date: moment.format(p.paidAt ?? p.createdAt), method: t(`invoices.pdf.methods.${asEnumValue(PAYMENT_METHOD_VALUES, p.method)}`) })}${p.reference ? ` (${p.reference})` : ""}`,
            amount: money(p.amount),
          })),
        ];
  const lastPayment = data.payments.at(-1);
  // an invoice's other currency at the rate of its issue day; nothing without a rate (docs/CURRENCY.md)
  const eq =
    kind === "invoice"
      ? await new TenantDb(tenant.id).run((tx) =>
          equivalentAt(tx, {
            tenantId: tenant.id,
            amount: data.total,
            currency: data.currency,
            at: data.issuedAt,
            timeZone: tenant.timezone,
          }),
        )
      : null;
  const howToPay = kind === "invoice" && pay ? await howToPayBlock(pay, t, money, (d) => moment.format(d)) : null;
  const doc: BillingDocument = {
    kind,
    locale,
    labels: {
      title: t(kind === "receipt" ? "invoices.pdf.receiptTitle" : "invoices.pdf.invoiceTitle"),
      number: t("invoices.pdf.number"),
      issued: t("invoices.pdf.issued"),
      due: t("invoices.pdf.due"),
      paid: t("invoices.pdf.paid"),
      billTo: t("invoices.pdf.billTo"),
      description: t("invoices.pdf.description"),
      amount: t("invoices.pdf.amount"),
      total: t(kind === "receipt" ? "invoices.pdf.totalPaid" : "invoices.pdf.total"),
      status: t("invoices.pdf.status"),
      method: t("invoices.pdf.method"),
      reference: t("invoices.pdf.reference"),
      period: t("invoices.pdf.period"),
    },
    issuer: { name: tenant.name, lines: [property.name, property.address].filter(Boolean), logoPng: await tenantLogoForPdf(tenant.id) },
    billTo: {
      name: renterDisplayName(contract.renter, locale),
      lines: [t("invoices.pdf.unitLine", { unit: contract.unit.code, property: property.name }), contract.renter.phone],
    },
    number: data.number,
    issuedAt: moment.format(data.issuedAt),
    dueAt: kind === "invoice" ? day.format(data.dueDate) : null,
    paidAt: data.paidAt ? moment.format(data.paidAt) : null,
    period: month,
    statusText: t(`invoices.statuses.${data.status}`),
    lines,
    total: kind === "receipt" ? money(data.amountPaid) : money(data.total),
    totalNote: eq ? formatEquivalent(eq, locale, t) : null,
    payment:
      kind === "receipt" && lastPayment
        ? { method: t(`invoices.pdf.methods.${asEnumValue(PAYMENT_METHOD_VALUES, lastPayment.method)}`), reference: lastPayment.reference }
        : null,
    howToPay,
    footer:
      kind === "receipt"
        ? t("invoices.pdf.receiptFooter")
        : howToPay && pay?.payUrl
          ? t("invoices.pdf.footerQr")
          : data.payToken && data.status !== "paid" && data.status !== "void"
            ? t("invoices.pdf.footer", { link: payLinkFor(tenant.slug, data.payToken) })
            : t("invoices.pdf.footerNoLink"),
  };
  return renderBillingPdf(doc);
}
