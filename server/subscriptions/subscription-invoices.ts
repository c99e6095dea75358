import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import type { Plan, Prisma, Subscription, SubscriptionInvoice } from "@/server/db/generated/client";
import type { BillingInterval, InvoiceKind } from "@/lib/enums";
import { planPrice, type BillingCurrency } from "@/lib/billing/plans";
import { enqueueEvent } from "@/server/core/outbox";
import { nextInvoiceNumber, SUBSCRIPTION_INVOICE_SCOPE } from "../core/invoice-number";

export interface InvoiceLine {
  /** message key + params, translated when shown or printed */
  key: "billing.line.plan" | "billing.line.upgrade";
  params: Record<string, string | number>;
  amount: number;
}

export function billingCurrency(sub: Pick<Subscription, "currency">): BillingCurrency {
  return sub.currency === "KHR" ? "KHR" : "USD";
}

export function priceOf(plan: Plan, interval: BillingInterval, currency: BillingCurrency): number {
  return planPrice(plan, interval, currency);
}

/**
 * Issues an invoice in the caller's transaction: takes a gap-free number and writes the outbox
 * event. Returns null when the period is already billed (the unique constraint on
 * subscription, kind and period start is what makes a second run harmless).
 */
export async function issueSubscriptionInvoice(
  tx: DbTx,
  args: {
    sub: Subscription;
    plan: Plan;
    kind: InvoiceKind;
    interval: BillingInterval;
    periodStart: Date;
    periodEnd: Date;
    amount: number;
    lines: InvoiceLine[];
    dueAt: Date;
    now: Date;
  },
): Promise<SubscriptionInvoice | null> {
  const existing = await tx.subscriptionInvoice.findUnique({
    where: { subscriptionId_kind_periodStart: { subscriptionId: args.sub.id, kind: args.kind, periodStart: args.periodStart } },
  });
  if (existing) return null;
  const number = await nextInvoiceNumber(tx, SUBSCRIPTION_INVOICE_SCOPE, args.now);
  const invoice = await tx.subscriptionInvoice.create({
    data: {
      tenantId: args.sub.tenantId,
      subscriptionId: args.sub.id,
      number,
      kind: args.kind,
      planId: args.plan.id,
      planName: args.plan.name,
      interval: args.interval,
      periodStart: args.periodStart,
      periodEnd: args.periodEnd,
      amount: args.amount,
      currency: args.sub.currency,
      lines: args.lines.map((l) => ({ ...l })),
      dueAt: args.dueAt,
      issuedAt: args.now,
    },
  });
  await enqueueEvent(tx, args.sub.tenantId, "billing/invoice.issued", { invoiceId: invoice.id, number }, `invoice-issued:${invoice.id}`);
  return invoice;
}

export function planLine(plan: Plan, interval: BillingInterval, amount: number, periodStart: Date, periodEnd: Date): InvoiceLine {
  return {
    key: "billing.line.plan",
    params: { plan: plan.name, interval, from: periodStart.toISOString(), to: periodEnd.toISOString() },
    amount,
  };
}

/** Voids open invoices of a subscription and expires their pending QR attempts (a QR on screen must stop working). */
export async function voidOpenInvoices(
  tx: DbTx,
  where: Prisma.SubscriptionInvoiceWhereInput & { subscriptionId: string },
  now: Date,
): Promise<number> {
  const open = await tx.subscriptionInvoice.findMany({ where: { ...where, status: "open" }, select: { id: true } });
  if (open.length === 0) return 0;
  const ids = open.map((i) => i.id);
  await tx.subscriptionInvoice.updateMany({ where: { id: { in: ids }, status: "open" }, data: { status: "void", voidedAt: now } });
  await tx.payment.updateMany({ where: { subscriptionInvoiceId: { in: ids }, status: "pending" }, data: { status: "expired" } });
  return ids.length;
}
