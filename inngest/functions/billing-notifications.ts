import { NonRetriableError } from "inngest";
import { inngest } from "../client";
import { billingInvoiceIssued, billingInvoiceReminder, billingPaymentSucceeded, billingSubscriptionChanged } from "../events";
import { BillingNotifier } from "@/server/subscriptions/billing-notifier.jobs";

// The billing e-mails, queued as messages (one per recipient, each with a dedupe key, so a replayed
// event queues nothing new); the receipt also claims payment.receiptSentAt, the others re-check
// the state before queueing. The message pipeline sends them.

export const billingReceipt = inngest.createFunction(
  { id: "billing-receipt", triggers: [billingPaymentSucceeded], retries: 5 },
  async ({ event, step }) => {
    if (!event.data.paymentId) throw new NonRetriableError("payment id missing");
    return step.run("send-receipt", () => new BillingNotifier().receipt(event.data.paymentId));
  },
);

export const billingInvoiceMail = inngest.createFunction(
  { id: "billing-invoice-mail", triggers: [billingInvoiceIssued], retries: 5 },
  async ({ event, step }) => step.run("send-invoice", () => new BillingNotifier().invoiceIssued(event.data.invoiceId)),
);

export const billingReminderMail = inngest.createFunction(
  { id: "billing-reminder-mail", triggers: [billingInvoiceReminder], retries: 5 },
  async ({ event, step }) => step.run("send-reminder", () => new BillingNotifier().reminder(event.data.invoiceId, event.data.offsetDays)),
);

export const billingStatusMail = inngest.createFunction(
  { id: "billing-status-mail", triggers: [billingSubscriptionChanged], retries: 5 },
  async ({ event, step }) => step.run("send-status", () => new BillingNotifier().statusChanged(event.data.subscriptionId, event.data.to)),
);
