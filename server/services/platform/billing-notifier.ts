import "server-only";
import { platformDb } from "@/server/db/platform-db";
import { sendMail, escapeHtml } from "@/server/mail";
import { createTranslator, isLocale, type Locale, type MessageKey, type TranslateParams } from "@/lib/i18n";
import { formatMoney } from "@/lib/billing/money";
import { originForTenant } from "@/server/services/host-scope";
import { logger } from "@/server/observability/logger";

// Billing e-mails, sent by Inngest functions after the outbox relays the event (never inside the
// transaction that caused them). Recipients: active members allowed to manage billing.

interface Recipient {
  email: string;
  locale: Locale;
}

interface TenantInfo {
  id: string;
  slug: string;
  name: string;
  timezone: string;
}

export class BillingNotifier {
  /** The receipt, once per payment: `receiptSentAt` is claimed before sending and released if sending fails. */
  async receipt(paymentId: string): Promise<{ sent: number; skipped?: string }> {
    const claimed = await platformDb.run(async (tx) => {
      const { count } = await tx.payment.updateMany({
        where: { id: paymentId, status: "paid", receiptSentAt: null },
        data: { receiptSentAt: new Date() },
      });
      if (count === 0) return null;
      return tx.payment.findUniqueOrThrow({ where: { id: paymentId }, include: { invoice: true } });
    });
    if (!claimed) return { sent: 0, skipped: "already sent or not paid" };
    try {
      const { tenant, recipients } = await this.audience(claimed.tenantId);
      const link = claimed.invoice
        ? `${originForTenant(tenant.slug)}/billing/invoices/${claimed.invoice.id}/pdf?kind=receipt`
        : `${originForTenant(tenant.slug)}/billing`;
      for (const r of recipients) {
        const vars = {
          workspace: tenant.name,
          number: claimed.invoice?.number ?? claimed.id,
          amount: formatMoney(claimed.amount, claimed.currency, r.locale),
          date: formatDate(claimed.paidAt ?? new Date(), r.locale, tenant.timezone),
        };
        await this.send(r, "receipt", "billingMail.receipt.subject", "billingMail.receipt.body", "billingMail.receipt.cta", vars, link);
      }
      return { sent: recipients.length };
    } catch (e) {
      await platformDb.run((tx) => tx.payment.update({ where: { id: paymentId }, data: { receiptSentAt: null } }));
      throw e;
    }
  }

  async invoiceIssued(invoiceId: string): Promise<{ sent: number }> {
    const invoice = await platformDb.run((tx) => tx.subscriptionInvoice.findUnique({ where: { id: invoiceId } }));
    if (!invoice || invoice.status !== "open" || invoice.amount === 0) return { sent: 0 };
    const { tenant, recipients } = await this.audience(invoice.tenantId);
    for (const r of recipients) {
      const vars = {
        workspace: tenant.name,
        number: invoice.number,
        plan: invoice.planName,
        amount: formatMoney(invoice.amount, invoice.currency, r.locale),
        due: formatDate(invoice.dueAt, r.locale, tenant.timezone),
      };
      await this.send(
        r,
        "invoice_issued",
        "billingMail.invoiceIssued.subject",
        "billingMail.invoiceIssued.body",
        "billingMail.invoiceIssued.cta",
        vars,
        `${originForTenant(tenant.slug)}/billing`,
      );
    }
    return { sent: recipients.length };
  }

  async reminder(invoiceId: string, offsetDays: number): Promise<{ sent: number }> {
    const invoice = await platformDb.run((tx) => tx.subscriptionInvoice.findUnique({ where: { id: invoiceId } }));
    if (!invoice || invoice.status !== "open") return { sent: 0 };
    const { tenant, recipients } = await this.audience(invoice.tenantId);
    const before = offsetDays < 0;
    for (const r of recipients) {
      const vars = {
        workspace: tenant.name,
        number: invoice.number,
        amount: formatMoney(invoice.amount, invoice.currency, r.locale),
        due: formatDate(invoice.dueAt, r.locale, tenant.timezone),
      };
      await this.send(
        r,
        "invoice_reminder",
        before ? "billingMail.reminder.subjectBefore" : "billingMail.reminder.subjectAfter",
        before ? "billingMail.reminder.bodyBefore" : "billingMail.reminder.bodyAfter",
        "billingMail.reminder.cta",
        vars,
        `${originForTenant(tenant.slug)}/billing`,
      );
    }
    return { sent: recipients.length };
  }

  async statusChanged(
    subscriptionId: string,
    to: "trialing" | "active" | "past_due" | "suspended" | "canceled",
  ): Promise<{ sent: number }> {
    const sub = await platformDb.run((tx) => tx.subscription.findUnique({ where: { id: subscriptionId } }));
    if (!sub || sub.status !== to || to === "trialing") return { sent: 0 };
    const { tenant, recipients } = await this.audience(sub.tenantId);
    const keys = {
      past_due: ["billingMail.status.pastDueSubject", "billingMail.status.pastDueBody"],
      suspended: ["billingMail.status.suspendedSubject", "billingMail.status.suspendedBody"],
      canceled: ["billingMail.status.canceledSubject", "billingMail.status.canceledBody"],
      active: ["billingMail.status.activeSubject", "billingMail.status.activeBody"],
    } as const satisfies Record<string, readonly [MessageKey, MessageKey]>;
    const [subject, body] = keys[to];
    for (const r of recipients) {
      const vars = { workspace: tenant.name, grace: sub.graceEndsAt ? formatDate(sub.graceEndsAt, r.locale, tenant.timezone) : "—" };
      await this.send(r, `subscription_${to}`, subject, body, "billingMail.status.cta", vars, `${originForTenant(tenant.slug)}/billing`);
    }
    return { sent: recipients.length };
  }

  private async audience(tenantId: string): Promise<{ tenant: TenantInfo; recipients: Recipient[] }> {
    return platformDb.run(async (tx) => {
      const tenant = await tx.tenant.findUniqueOrThrow({
        where: { id: tenantId },
        select: { id: true, slug: true, name: true, timezone: true, locale: true },
      });
      const members = await tx.membership.findMany({
        where: { tenantId, status: "active", role: { permissions: { some: { permissionCode: "billing.manage" } } } },
        select: { user: { select: { email: true, locale: true } } },
      });
      const fallback: Locale = isLocale(tenant.locale) ? tenant.locale : "en";
      const recipients = members.map((m) => ({ email: m.user.email, locale: isLocale(m.user.locale) ? m.user.locale : fallback }));
      if (recipients.length === 0) logger.warn({ tenantId }, "no member can manage billing: billing e-mail not sent");
      return { tenant, recipients };
    });
  }

  private async send(
    r: Recipient,
    kind: string,
    subjectKey: MessageKey,
    bodyKey: MessageKey,
    ctaKey: MessageKey,
    vars: TranslateParams,
    link: string,
  ) {
    const t = createTranslator(r.locale);
    const body = t(bodyKey, vars);
    await sendMail({
      to: r.email,
      subject: t(subjectKey, vars),
      text: `${body}\n\n${t(ctaKey, vars)}: ${link}`,
      html: `<p>${escapeHtml(body)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(t(ctaKey, vars))}</a></p>`,
      tags: { kind },
    });
  }
}

function formatDate(d: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === "km" ? "km-KH" : "en-GB", { dateStyle: "medium", timeZone }).format(d);
}
