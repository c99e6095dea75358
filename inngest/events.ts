// Typed events (zod). Names follow <domain>/<noun>.<past-verb>; every payload carries tenantId
// (null for platform events).
import { eventType } from "inngest";
import { z } from "zod";
import { SUBSCRIPTION_STATUS_VALUES } from "@/lib/enums";

export const workspaceCreated = eventType("tenant/workspace.created", {
  schema: z.object({ tenantId: z.string().nullable(), slug: z.string(), ownerUserId: z.string() }),
});

export const outboxFlushRequested = eventType("system/outbox.flush-requested", {
  schema: z.object({ tenantId: z.null().optional() }),
});

const tenantScoped = { tenantId: z.string() };

export const billingInvoiceIssued = eventType("billing/invoice.issued", {
  schema: z.object({ ...tenantScoped, invoiceId: z.string(), number: z.string() }),
});

export const billingInvoiceReminder = eventType("billing/invoice.reminder-due", {
  schema: z.object({ ...tenantScoped, invoiceId: z.string(), offsetDays: z.number().int() }),
});

export const billingPaymentSucceeded = eventType("billing/payment.succeeded", {
  schema: z.object({ ...tenantScoped, paymentId: z.string(), invoiceId: z.string().nullable() }),
});

export const billingSubscriptionChanged = eventType("billing/subscription.status-changed", {
  schema: z.object({
    ...tenantScoped,
    subscriptionId: z.string(),
    from: z.string(),
    to: z.enum(SUBSCRIPTION_STATUS_VALUES),
  }),
});

/** An OutboundMessage was queued (or queued again by hand): message-send delivers it. */
export const notificationsMessageQueued = eventType("notifications/message.queued", {
  schema: z.object({ ...tenantScoped, messageId: z.string() }),
});

/** A Telegram update was stored in the webhook inbox: telegram-update processes it (once, by the inbox). */
export const telegramUpdateReceived = eventType("telegram/update.received", {
  schema: z.object({ tenantId: z.null().optional(), eventId: z.string() }),
});

export const APP_EVENTS = [
  workspaceCreated,
  outboxFlushRequested,
  billingInvoiceIssued,
  billingInvoiceReminder,
  billingPaymentSucceeded,
  billingSubscriptionChanged,
  notificationsMessageQueued,
  telegramUpdateReceived,
] as const;

export type AppEventName = (typeof APP_EVENTS)[number]["name"];
