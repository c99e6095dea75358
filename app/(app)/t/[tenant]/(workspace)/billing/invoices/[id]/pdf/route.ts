import { getEnv } from "@/env";
import { createFormat } from "@/lib/i18n/format";
import { createTranslator, type Locale, type MessageKey, type Translator } from "@/lib/i18n";
import { formatMoney } from "@/lib/money";
import { invoiceIdSchema } from "@/lib/schemas/billing";
import { jsonError, pdfResponse, route } from "@/server/api/route-kit";
import { bakongConfig } from "@/server/payments/bakong-config";
import { renderBillingPdf, type BillingDocument } from "@/server/pdf/billing-document";
import { BillingService } from "@/server/subscriptions/billing-service";

// GET acme.<root>/billing/invoices/<id>/pdf[?kind=receipt] → the subscription invoice (or, once
// paid, its receipt) as a PDF in the member's language. Answers with status codes like the audit
// export: 404 unknown workspace / not a member / unknown invoice / receipt of an unpaid invoice,
// 401 no session, 403 suspended workspace or no billing.view.
export const dynamic = "force-dynamic";

type DocumentData = Awaited<ReturnType<BillingService["invoiceDocument"]>>;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export const GET = route<{ tenant: string; id: string }>(
  async ({ request, locale, tenant }, { id }) => {
    const ctx = await tenant({ permission: "billing.view" });
    const parsed = invoiceIdSchema.safeParse({ invoiceId: id });
    if (!parsed.success) return jsonError(404, locale, "errors.notFound");
    const kind = new URL(request.url).searchParams.get("kind") === "receipt" ? "receipt" : "invoice";
    const data = await new BillingService(ctx).invoiceDocument(parsed.data.invoiceId);
    // a receipt exists only for a paid invoice
    if (kind === "receipt" && (data.invoice.status !== "paid" || !data.payment)) return jsonError(404, locale, "errors.notFound");

    const pdf = await renderBillingPdf(billingDocument(data, kind, locale, ctx.tenant.timezone));
    const filename = `${data.invoice.number}${kind === "receipt" ? "-receipt" : ""}.pdf`;
    return pdfResponse(pdf, filename);
  },
  { host: "tenant", locale: "user", opaqueNotFound: true },
);

function billingDocument(data: DocumentData, kind: "invoice" | "receipt", locale: Locale, timeZone: string): BillingDocument {
  const t = createTranslator(locale);
  const { invoice, payment, tenant } = data;
  const date = (d: Date | string) => createFormat(locale).date(d, timeZone);
  const money = (minor: number) => formatMoney(minor, invoice.currency, locale);
  const env = getEnv();
  const status = invoice.status === "open" || invoice.status === "paid" || invoice.status === "void" ? invoice.status : "open";
  return {
    kind,
    locale,
    labels: {
      title: t(kind === "receipt" ? "billing.pdf.receiptTitle" : "billing.pdf.invoiceTitle"),
      number: t("billing.pdf.number"),
      issued: t("billing.pdf.issued"),
      due: t("billing.pdf.due"),
      paid: t("billing.pdf.paid"),
      billTo: t("billing.pdf.billTo"),
      description: t("billing.pdf.description"),
      amount: t("billing.pdf.amount"),
      total: t("billing.pdf.total"),
      status: t("billing.pdf.status"),
      method: t("billing.pdf.method"),
      reference: t("billing.pdf.reference"),
      period: t("billing.pdf.period"),
    },
    issuer: {
      name: t("app.name"),
      lines: [
        t("billing.pdf.issuerTagline"),
        env.APP_ROOT_DOMAIN,
        t("billing.pdf.issuerCity", { city: bakongConfig().merchantCity || "Phnom Penh" }),
      ],
    },
    billTo: { name: tenant.name, lines: [`${tenant.slug}.${env.APP_ROOT_DOMAIN}`] },
    number: invoice.number,
    issuedAt: date(invoice.issuedAt),
    dueAt: kind === "invoice" ? date(invoice.dueAt) : null,
    paidAt: invoice.paidAt ? date(invoice.paidAt) : null,
    period: t("billing.invoices.periodRange", { from: date(invoice.periodStart), to: date(invoice.periodEnd) }),
    statusText: t(`billing.invoices.statusName.${status}`),
    lines: invoiceLines(invoice.lines, t, date).map((l) => ({ description: l.description, amount: money(l.amount) })),
    total: money(invoice.amount),
    payment: payment
      ? { method: t(`billing.pdf.methods.${payment.method}`), reference: payment.bakongHash ?? payment.reference ?? payment.md5 ?? null }
      : null,
    footer: t(kind === "receipt" ? "billing.pdf.receiptFooter" : "billing.pdf.footer"),
  };
}

/** Stored lines are `{ key, params, amount }` (translated here, ISO dates formatted) or, older, `{ description, amount }`. */
function invoiceLines(raw: unknown, t: Translator, date: (d: string) => string): Array<{ description: string; amount: number }> {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: unknown) => {
    if (typeof item !== "object" || item === null) return [];
    const line = item as { key?: unknown; params?: unknown; description?: unknown; amount?: unknown };
    const amount = typeof line.amount === "number" ? line.amount : 0;
    if (typeof line.key === "string" && line.key.startsWith("billing.line.")) {
      const params: Record<string, string | number> = {};
      for (const [k, v] of Object.entries((line.params ?? {}) as Record<string, unknown>)) {
        if (typeof v === "number") params[k] = v;
        else if (typeof v === "string") {
          params[k] =
            k === "interval" && (v === "month" || v === "year")
              ? t(`billing.interval.${v}`)
              : ISO_DATE.test(v) && !Number.isNaN(Date.parse(v))
                ? date(v)
                : v;
        }
      }
      return [{ description: t(line.key as MessageKey, params), amount }];
    }
    return typeof line.description === "string" ? [{ description: line.description, amount }] : [];
  });
}
