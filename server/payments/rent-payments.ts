import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import type { Payment, RentInvoice } from "@/server/db/generated/client";
import { AuditLogger } from "@/server/audit/audit-logger";
import { SYSTEM_ACTOR, SYSTEM_META, type Actor, type RequestMeta } from "@/server/core/request-meta";
import { AppError } from "@/server/core/errors";
import { logger } from "@/server/core/observability/logger";
import { allocatePayment, canTransitionRentInvoice, statusAfterPayment } from "@/lib/rentals/invoice-state";
import { withEnums, RENT_INVOICE_STATUS_VALUES } from "@/lib/enums";
import { issueReceipt } from "@/server/receipts/receipts";
import { queueReceiptMessage, type ReceiptRenter } from "@/server/receipts/receipt-message";

// The one step that turns a paid rent payment into money on its invoice: cash and bank transfers
// recorded by staff (RentPaymentService), KHQR payments confirmed by the Bakong callback or by the
// reconciliation job (settlement.ts). Runs in the caller's transaction, right after the payment
// became `paid` (the caller's guarded transition makes that happen once per payment).
// Lock order: contract → invoice (as the invoice run and the overdue job take them).

export type RentPaymentActor = Actor;

/** The contract's row as applyRentPayment locks it, with the workspace and the renter its receipt names. */
type ContractForReceipt = { id: string; currency: string; workspaceSlug: string; workspaceName: string; workspaceTimezone: string } & (
  ({ renterId: string } & ReceiptRenter) | { renterId: null }
);

export interface AppliedRentPayment {
  paymentId: string;
  invoiceId: string;
  contractId: string;
  /** minor units taken by the invoice */
  applied: number;
  /** minor units put on the contract's credit balance */
  credit: number;
  statusBefore: string;
  statusAfter: string;
  amountPaid: number;
}

export async function applyRentPayment(
  tx: DbTx,
  paymentId: string,
  now: Date,
  opts: {
    meta?: RequestMeta;
    actor?: RentPaymentActor;
    note?: string;
    /** the payment's row as the caller's transaction left it (locked and made paid there): not read again */
    payment?: Payment;
  } = {},
): Promise<AppliedRentPayment> {
  const payment = opts.payment?.id === paymentId ? opts.payment : await tx.payment.findUnique({ where: { id: paymentId } });
  if (!payment?.rentInvoiceId || payment.purpose !== "rent") throw new AppError("NOT_FOUND", "errors.notFound");
  if (payment.status !== "paid") throw new AppError("INVALID_STATE", "rentPayments.errors.notPaid");
  // contract first, then invoice (the lock order above), each locked and read by one statement; an
  // invoice never changes contract, so its contract can be found inside the first. The contract's
  // statement also reads, unlocked, what the receipt needs of the workspace and of the renter.
  const [contract] = await tx.$queryRaw<Array<ContractForReceipt>>`
    SELECT c."id", c."currency",
           t."slug" AS "workspaceSlug", t."name" AS "workspaceName", t."timezone" AS "workspaceTimezone",
           r."id" AS "renterId", r."nameKm", r."nameLatin", r."email", r."locale",
           r."telegramChatId", r."telegramBotId", r."messageChannel", r."erasedAt"
      FROM "Contract" c
      JOIN "Tenant" t ON t."id" = c."tenantId"
      LEFT JOIN "Renter" r ON r."tenantId" = c."tenantId" AND r."id" = c."renterId"
     WHERE c."id" = (SELECT i."contractId" FROM "RentInvoice" i WHERE i."id" = ${payment.rentInvoiceId}::uuid)
       FOR UPDATE OF c`;
  if (!contract) throw new AppError("NOT_FOUND", "errors.notFound");
  const [row] = await tx.$queryRaw<RentInvoice[]>`SELECT * FROM "RentInvoice" WHERE "id" = ${payment.rentInvoiceId}::uuid FOR UPDATE`;
  if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
  const invoice = withEnums(row, { status: RENT_INVOICE_STATUS_VALUES });
  if (payment.currency !== invoice.currency || invoice.currency !== contract.currency) {
    // never mix currencies on one balance (payments are created in the invoice's currency, so this
    // is a bug, not an input error): the caller's transaction rolls back
    logger.warn({ paymentId: payment.id, invoiceId: invoice.id }, "rent payment currency differs from its invoice: flagged");
    throw new AppError("VALIDATION", "rentPayments.errors.currencyMismatch");
  }

  // an invoice that no longer expects money (paid by an earlier transfer, voided, still a draft)
  // takes nothing: the whole payment becomes credit for the next invoices
  const open = invoice.status === "issued" || invoice.status === "partially_paid" || invoice.status === "overdue";
  const { applied, credit } = open ? allocatePayment(invoice, payment.amount) : { applied: 0, credit: payment.amount };
  const amountPaid = invoice.amountPaid + applied;
  const statusAfter = statusAfterPayment({ status: invoice.status, total: invoice.total, amountPaid });
  if (statusAfter !== invoice.status && !canTransitionRentInvoice(invoice.status, statusAfter)) {
    throw new AppError("INVALID_STATE", "rentPayments.errors.invoiceNotOpen");
  }
  if (applied > 0) {
    const { count } = await tx.rentInvoice.updateMany({
      where: { id: invoice.id, status: invoice.status, amountPaid: invoice.amountPaid },
      data: { amountPaid, status: statusAfter, ...(statusAfter === "paid" ? { paidAt: now } : {}) },
    });
    if (count !== 1) throw new AppError("CONFLICT", "errors.conflict");
  }
  if (credit > 0) {
    await tx.contract.update({ where: { id: contract.id }, data: { creditBalance: { increment: credit } } });
  }
  // every applied payment gets its receipt number here, once (server/receipts/receipts.ts)
  const facts = { applied, balanceAfter: open ? Math.max(0, invoice.total - amountPaid) : 0 };
  const receiptNumber = await issueReceipt(tx, payment, facts, now, contract.workspaceTimezone);
  // the receipt goes to the renter on their channel(s), through the outbox (deduplicated per payment);
  // a payment that had its number already keeps the balance its receipt was numbered with
  await queueReceiptMessage(tx, {
    payment,
    receipt: { number: receiptNumber, balanceAfter: payment.receiptNumber ? (payment.receiptBalanceAfter ?? 0) : facts.balanceAfter },
    invoice,
    renter: contract.renterId ? contract : null,
    workspace: { slug: contract.workspaceSlug, name: contract.workspaceName, timezone: contract.workspaceTimezone },
  });
  const actor = opts.actor ?? SYSTEM_ACTOR;
  await new AuditLogger(opts.meta ?? SYSTEM_META).log(tx, payment.tenantId, {
    action: "rent.payment.applied",
    actorUserId: actor.userId,
    actorEmail: actor.email,
    impersonatorUserId: actor.impersonatorUserId ?? null,
    targetType: "rent_invoice",
    targetId: invoice.id,
    metadata: {
      paymentId: payment.id,
      method: payment.method,
      amount: payment.amount,
      currency: payment.currency,
      applied,
      credit,
      before: { status: invoice.status, amountPaid: invoice.amountPaid },
      after: { status: statusAfter, amountPaid },
      ...(opts.note ? { note: opts.note } : {}),
    },
  });
  return {
    paymentId: payment.id,
    invoiceId: invoice.id,
    contractId: contract.id,
    applied,
    credit,
    statusBefore: invoice.status,
    statusAfter,
    amountPaid,
  };
}
