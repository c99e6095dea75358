import "server-only";
import { lockRow } from "../core/locks";
import type { DbTx } from "@/server/db/tenant-db";
import type { Payment, Prisma, SubscriptionInvoice } from "@/server/db/generated/client";
import { type PaymentMethod, asEnumValue, PAYMENT_STATUS_VALUES } from "@/lib/enums";
import { canTransitionPayment, type PaymentStatusName, type PaymentTransitionActor } from "@/lib/billing/payment-state";
import { AuditLogger } from "@/server/audit/audit-logger";
import type { RequestMeta } from "@/server/core/request-meta";
import { enqueueEvent } from "@/server/core/outbox";
import { logger } from "@/server/core/observability/logger";
import { AppError } from "@/server/core/errors";
import { majorToMinor } from "@/lib/money";
import { applyPaidInvoice } from "../subscriptions/subscriptions";
import { SYSTEM_ACTOR, type Actor } from "../subscriptions/status-log";
import { applyRentPayment } from "@/server/payments/rent-payments";

// The one "mark paid" step. The Bakong callback, the reconciliation job and an admin recording
// cash all end here, inside one transaction: payment paid, invoice paid, subscription extended,
// audit row, outbox event. The payment row is locked first, so concurrent confirmations of the
// same payment queue and only the first changes anything.

/** What Bakong says happened (check_transaction_by_md5 data, amount already in minor units). */
export interface BakongConfirmation {
  hash: string;
  fromAccountId: string | null;
  toAccountId: string;
  currency: string;
  amountMinor: number | null;
}

/** Bakong's transaction data as a confirmation; an amount that is not exact in minor units becomes null (a mismatch). */
export function confirmationFrom(t: {
  hash: string;
  fromAccountId?: string | null;
  toAccountId: string;
  currency: string;
  amount: number;
}): BakongConfirmation {
  let amountMinor: number | null;
  try {
    amountMinor = majorToMinor(t.amount, t.currency);
  } catch {
    amountMinor = null;
  }
  return { hash: t.hash, fromAccountId: t.fromAccountId ?? null, toAccountId: t.toAccountId, currency: t.currency, amountMinor };
}

export type SettleResult =
  | { outcome: "paid"; paymentId: string; tenantId: string }
  | { outcome: "already_paid"; paymentId: string; tenantId: string }
  | { outcome: "mismatch"; paymentId: string; tenantId: string; reasons: string[] }
  | { outcome: "not_payable"; paymentId: string; tenantId: string; status: PaymentStatusName };

/** Moves a payment between states, or refuses (and logs) an illegal move. */
export async function transitionPayment(
  tx: DbTx,
  payment: Payment,
  to: PaymentStatusName,
  actor: PaymentTransitionActor,
  data: Prisma.PaymentUpdateManyMutationInput = {},
): Promise<void> {
  if (!canTransitionPayment(asEnumValue(PAYMENT_STATUS_VALUES, payment.status), to, actor)) {
    logger.warn({ paymentId: payment.id, from: payment.status, to, actor }, "illegal payment transition refused");
    throw new AppError("INVALID_STATE", "billing.errors.illegalTransition", { from: payment.status, to });
  }
  const { count } = await tx.payment.updateMany({ where: { id: payment.id, status: payment.status }, data: { ...data, status: to } });
  if (count !== 1) throw new AppError("CONFLICT", "errors.conflict");
}

export function confirmationMismatches(payment: Payment, c: BakongConfirmation): string[] {
  const reasons: string[] = [];
  if (payment.receivingAccount && c.toAccountId !== payment.receivingAccount)
    reasons.push(`account: expected ${payment.receivingAccount}, got ${c.toAccountId}`);
  // a payment in the other currency (docs/CURRENCY.md): Bakong moves the received amount, not the invoice's
  const currency = payment.receivedCurrency ?? payment.currency;
  const amount = payment.receivedAmount ?? payment.amount;
  if (c.currency !== currency) reasons.push(`currency: expected ${currency}, got ${c.currency}`);
  if (c.amountMinor !== amount) reasons.push(`amount: expected ${amount}, got ${c.amountMinor ?? "invalid"}`);
  return reasons;
}

/** A KHQR payment confirmed by Bakong (callback relay or our own md5 check). */
export async function settleKhqrPayment(
  tx: DbTx,
  paymentId: string,
  confirmation: BakongConfirmation,
  opts: { now: Date; meta: RequestMeta; source: "callback" | "reconciliation" },
): Promise<SettleResult> {
  // the payment locked and read, and any other payment this transfer already settled, in one statement
  const [locked] = await tx.$queryRaw<Array<Payment & { reusedBy: string | null }>>`
    SELECT p.*, (SELECT r."id" FROM "Payment" r WHERE r."bakongHash" = ${confirmation.hash} AND r."id" <> p."id" LIMIT 1) AS "reusedBy"
      FROM "Payment" p WHERE p."id" = ${paymentId}::uuid FOR UPDATE OF p`;
  if (!locked) throw new AppError("NOT_FOUND", "errors.notFound");
  const { reusedBy, ...payment } = locked;
  const base = { paymentId: payment.id, tenantId: payment.tenantId };
  if (payment.status === "paid" || payment.status === "refunded") {
    return payment.bakongHash === confirmation.hash || payment.bakongHash === null
      ? { outcome: "already_paid", ...base }
      : await flag(tx, payment, [`already paid by transaction ${payment.bakongHash}, got ${confirmation.hash}`], opts.meta, opts.now);
  }
  const reasons = confirmationMismatches(payment, confirmation);
  if (reusedBy) reasons.push(`transaction ${confirmation.hash} already settled payment ${reusedBy}`);
  if (reasons.length > 0) return flag(tx, payment, reasons, opts.meta, opts.now);
  const status = asEnumValue(PAYMENT_STATUS_VALUES, payment.status);
  if (!canTransitionPayment(status, "paid", "bakong")) {
    logger.warn({ paymentId: payment.id, status, source: opts.source }, "confirmation for a payment that cannot be paid");
    return { outcome: "not_payable", ...base, status };
  }
  const paid = { paidAt: opts.now, bakongHash: confirmation.hash, fromAccountId: confirmation.fromAccountId };
  await transitionPayment(tx, payment, "paid", "bakong", paid);
  if (payment.purpose === "rent") {
    // a renter's KHQR rent payment: onto its rent invoice (excess → contract credit), no subscription effect
    await applyRentPayment(tx, payment.id, opts.now, {
      meta: opts.meta,
      note: `payment confirmed by ${opts.source}`,
      payment: { ...payment, ...paid, status: "paid" },
    });
    return { outcome: "paid", ...base };
  }
  await afterPaid(
    tx,
    { ...payment, status: "paid", paidAt: opts.now },
    opts.now,
    opts.meta,
    SYSTEM_ACTOR,
    `payment confirmed by ${opts.source}`,
  );
  return { outcome: "paid", ...base };
}

async function flag(tx: DbTx, payment: Payment, reasons: string[], meta: RequestMeta, now: Date): Promise<SettleResult> {
  const flagReason = reasons.join("; ").slice(0, 1000);
  const result = { outcome: "mismatch" as const, paymentId: payment.id, tenantId: payment.tenantId, reasons };
  // the same finding again (reconciliation re-checks every 5 minutes): recorded once
  if (payment.flaggedAt && payment.flagReason === flagReason) return result;
  await tx.payment.update({ where: { id: payment.id }, data: { flaggedAt: now, flagReason } });
  await new AuditLogger(meta).log(tx, payment.tenantId, {
    action: "billing.payment.flagged",
    actorEmail: "system",
    targetType: "payment",
    targetId: payment.id,
    metadata: { reasons },
  });
  logger.warn({ paymentId: payment.id, reasons }, "payment confirmation mismatch: left unpaid for review");
  return result;
}

/** Cash or bank transfer recorded by a platform admin against an open invoice. */
export async function recordManualPayment(
  tx: DbTx,
  invoice: SubscriptionInvoice,
  args: { method: Exclude<PaymentMethod, "khqr">; reference: string; now: Date; meta: RequestMeta; actor: Actor },
): Promise<Payment> {
  if (invoice.status !== "open") throw new AppError("INVALID_STATE", "billing.errors.invoiceNotOpen");
  const created = await tx.payment.create({
    data: {
      tenantId: invoice.tenantId,
      purpose: "subscription",
      subscriptionInvoiceId: invoice.id,
      method: args.method,
      amount: invoice.amount,
      currency: invoice.currency,
      reference: args.reference,
      recordedById: args.actor.userId,
    },
  });
  await transitionPayment(tx, created, "paid", "admin", { paidAt: args.now });
  const paid = { ...created, status: "paid" as const, paidAt: args.now };
  await afterPaid(tx, paid, args.now, args.meta, args.actor, `recorded ${args.method}: ${args.reference}`);
  return paid;
}

async function afterPaid(tx: DbTx, payment: Payment, now: Date, meta: RequestMeta, actor: Actor, note: string): Promise<void> {
  let invoiceId: string | null = null;
  if (payment.subscriptionInvoiceId) {
    const invoice = await tx.subscriptionInvoice.findUnique({ where: { id: payment.subscriptionInvoiceId } });
    if (!invoice) throw new AppError("NOT_FOUND", "errors.notFound");
    invoiceId = invoice.id;
    // lock order subscription → invoice, as the plan change and the billing cycle take them
    await lockRow(tx, "Subscription", invoice.subscriptionId);
    // a QR shown before the invoice was re-priced (downgrade scheduled or canceled) carries the old amount
    const covers = payment.amount === invoice.amount && payment.currency === invoice.currency;
    const { count } = covers
      ? await tx.subscriptionInvoice.updateMany({ where: { id: invoice.id, status: "open" }, data: { status: "paid", paidAt: now } })
      : { count: 0 };
    if (count === 1) {
      await applyPaidInvoice(tx, invoice, now, meta);
    } else {
      // a second transfer for an invoice already paid (two QR attempts both scanned), or a stale
      // amount: the money moved, so the payment is paid, but the invoice is not; an admin settles it
      const flagReason = covers
        ? `invoice ${invoice.number} was already ${invoice.status}: refund this payment`
        : `invoice ${invoice.number} is ${invoice.amount} ${invoice.currency}, this payment ${payment.amount} ${payment.currency}: refund it or collect the difference`;
      await tx.payment.update({ where: { id: payment.id }, data: { flaggedAt: now, flagReason } });
    }
  }
  await new AuditLogger(meta).log(tx, payment.tenantId, {
    action: "billing.payment.succeeded",
    actorUserId: actor.userId,
    actorEmail: actor.email,
    targetType: "payment",
    targetId: payment.id,
    metadata: { method: payment.method, amount: payment.amount, currency: payment.currency, invoiceId, note },
  });
  await enqueueEvent(
    tx,
    payment.tenantId,
    "billing/payment.succeeded",
    { paymentId: payment.id, invoiceId },
    `payment-succeeded:${payment.id}`,
  );
}
