import "server-only";
import { createFormat } from "@/lib/i18n/format";
import { platformDb } from "@/server/db/platform-db";
import type { DbTx } from "@/server/db/tenant-db";
import type { Locale } from "@/lib/i18n";
import type { MessageKey } from "@/lib/notifications/catalog";
import { formatMoney } from "@/lib/money";
import { originForTenant } from "@/server/core/host-scope";
import { deliverSoon, queueMessage } from "@/server/notifications/queue";
import { staffWithPermission, type StaffRecipient } from "@/server/notifications/recipients";

// Billing e-mails, queued by Inngest functions after the outbox relays the event (never inside
// the transaction that caused them), one message per recipient: the active members allowed to
// manage billing. Each message has a dedupe key, so a replayed event or two concurrent runs
// queue (and send) it once; the state is re-checked in the same transaction, so a stale event
// queues nothing. The message pipeline sends them (templates, retries, suppression).

type Recipient = StaffRecipient;

interface TenantInfo {
  id: string;
  slug: string;
  name: string;
  timezone: string;
}

type SubscriptionTo = "trialing" | "active" | "past_due" | "suspended" | "canceled";

const STATUS_KEYS = {
  past_due: "billing.past_due",
  suspended: "billing.suspended",
  canceled: "billing.canceled",
  active: "billing.reactivated",
} as const satisfies Record<Exclude<SubscriptionTo, "trialing">, MessageKey>;

export class BillingNotifier {
  /**
   * The receipt, once per payment: `receiptSentAt` is claimed in the transaction that queues the
   * messages (a later run finds it set and queues nothing, even for a member added since).
   */
  async receipt(paymentId: string): Promise<{ queued: number; skipped?: string }> {
    const queued = await platformDb.run(async (tx) => {
      const { count } = await tx.payment.updateMany({
        where: { id: paymentId, status: "paid", receiptSentAt: null },
        data: { receiptSentAt: new Date() },
      });
      if (count === 0) return null;
      const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, include: { invoice: true } });
      const { tenant, recipients } = await audience(tx, payment.tenantId);
      const origin = originForTenant(tenant.slug);
      const link = payment.invoice ? `${origin}/billing/invoices/${payment.invoice.id}/pdf?kind=receipt` : `${origin}/billing`;
      return queueAll(tx, tenant, recipients, "billing.payment_receipt", (r) => ({
        dedupeKey: `billing-receipt:${payment.id}:${r.userId}`,
        variables: {
          workspace: tenant.name,
          number: payment.invoice?.number ?? payment.id,
          amount: formatMoney(payment.amount, payment.currency, r.locale),
          date: formatDate(payment.paidAt ?? new Date(), r.locale, tenant.timezone),
          link,
        },
      }));
    });
    if (!queued) return { queued: 0, skipped: "already queued or not paid" };
    return deliver(queued);
  }

  async invoiceIssued(invoiceId: string): Promise<{ queued: number }> {
    const queued = await platformDb.run(async (tx) => {
      const invoice = await tx.subscriptionInvoice.findUnique({ where: { id: invoiceId } });
      if (!invoice || invoice.status !== "open" || invoice.amount === 0) return [];
      const { tenant, recipients } = await audience(tx, invoice.tenantId);
      return queueAll(tx, tenant, recipients, "billing.invoice_issued", (r) => ({
        dedupeKey: `billing-invoice:${invoice.id}:${r.userId}`,
        variables: {
          workspace: tenant.name,
          number: invoice.number,
          plan: invoice.planName,
          amount: formatMoney(invoice.amount, invoice.currency, r.locale),
          due: formatDate(invoice.dueAt, r.locale, tenant.timezone),
          link: `${originForTenant(tenant.slug)}/billing`,
        },
      }));
    });
    return deliver(queued);
  }

  /** Before the due date (offset < 0) a reminder, from the due date on an overdue notice. */
  async reminder(invoiceId: string, offsetDays: number): Promise<{ queued: number }> {
    const queued = await platformDb.run(async (tx) => {
      const invoice = await tx.subscriptionInvoice.findUnique({ where: { id: invoiceId } });
      if (!invoice || invoice.status !== "open") return [];
      const { tenant, recipients } = await audience(tx, invoice.tenantId);
      const key = offsetDays < 0 ? "billing.invoice_reminder" : "billing.invoice_overdue";
      return queueAll(tx, tenant, recipients, key, (r) => ({
        dedupeKey: `billing-reminder:${invoice.id}:${offsetDays}:${r.userId}`,
        variables: {
          workspace: tenant.name,
          number: invoice.number,
          amount: formatMoney(invoice.amount, invoice.currency, r.locale),
          due: formatDate(invoice.dueAt, r.locale, tenant.timezone),
          link: `${originForTenant(tenant.slug)}/billing`,
        },
      }));
    });
    return deliver(queued);
  }

  async statusChanged(subscriptionId: string, to: SubscriptionTo): Promise<{ queued: number }> {
    const queued = await platformDb.run(async (tx) => {
      const sub = await tx.subscription.findUnique({ where: { id: subscriptionId } });
      if (!sub || sub.status !== to || to === "trialing") return [];
      const { tenant, recipients } = await audience(tx, sub.tenantId);
      const periodEnd = sub.currentPeriodEnd.toISOString();
      return queueAll(tx, tenant, recipients, STATUS_KEYS[to], (r) => ({
        dedupeKey: `billing-status:${sub.id}:${to}:${periodEnd}:${r.userId}`,
        variables: {
          workspace: tenant.name,
          ...(to === "past_due" ? { grace: sub.graceEndsAt ? formatDate(sub.graceEndsAt, r.locale, tenant.timezone) : "—" } : {}),
          link: `${originForTenant(tenant.slug)}/billing`,
        },
      }));
    });
    return deliver(queued);
  }
}

async function audience(tx: DbTx, tenantId: string): Promise<{ tenant: TenantInfo; recipients: Recipient[] }> {
  const tenant = await tx.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: { id: true, slug: true, name: true, timezone: true, locale: true },
  });
  return { tenant, recipients: await staffWithPermission(tx, tenantId, "billing.manage") };
}

async function queueAll(
  tx: DbTx,
  tenant: TenantInfo,
  recipients: Recipient[],
  key: MessageKey,
  build: (r: Recipient) => { dedupeKey: string; variables: Record<string, string> },
): Promise<{ id: string; created: boolean }[]> {
  const out: { id: string; created: boolean }[] = [];
  for (const r of recipients) {
    out.push(await queueMessage(tx, { tenantId: tenant.id, key, to: r.email, locale: r.locale, ...build(r) }));
  }
  return out;
}

/** After commit: send the new messages in this process (the outbox event and the retry job are the safety nets). */
function deliver(queued: { id: string; created: boolean }[]): { queued: number } {
  const fresh = queued.filter((q) => q.created).map((q) => q.id);
  deliverSoon(fresh);
  return { queued: fresh.length };
}

function formatDate(d: Date, locale: Locale, timeZone: string): string {
  return createFormat(locale).date(d, timeZone);
}
