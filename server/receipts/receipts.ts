import "server-only";
import { AppError } from "@/server/core/errors";
import { lockRow } from "@/server/core/locks";
import { nextInvoiceNumber } from "@/server/core/invoice-number";
import type { DbTx } from "@/server/db/tenant-db";
import type { TenantContext } from "@/server/core/tenant-context";
import { coveredLines, type CoveredLine } from "@/server/receipts/covered-lines";
import { asEnumValue, withEnums, PAYMENT_METHOD_VALUES, RENT_INVOICE_STATUS_VALUES } from "@/lib/enums";

// A receipt for every rent payment (cash, bank transfer, KHQR): RC-<year>-<6 digits>, gap-free per
// workspace and year (InvoiceCounter scope "receipt:<tenantId>", the year in the workspace's zone
// at the moment the payment is applied), unique per workspace (Payment_tenantId_receiptNumber_key).
// The number is taken in the transaction that applies the payment (applyRentPayment), together with
// what the invoice took and what stayed open: a retried transaction rolls the counter back with
// it, and a payment that already has a number never takes another (idempotent by payment id).

export const RECEIPT_PREFIX = "RC";

export function receiptScope(tenantId: string): string {
  return `receipt:${tenantId}`;
}

export interface ReceiptFacts {
  /** minor units the invoice took */
  applied: number;
  /** minor units left open on the invoice right after the payment */
  balanceAfter: number;
}

/** Gives a paid rent payment its receipt number, once. Returns the number it has. */
export async function issueReceipt(
  tx: DbTx,
  payment: { id: string; tenantId: string; receiptNumber: string | null },
  facts: ReceiptFacts,
  now: Date,
  /** the workspace's time zone where the caller has read it already */
  timezone?: string,
): Promise<string> {
  if (payment.receiptNumber) return payment.receiptNumber;
  const zone = timezone ?? (await tx.tenant.findUniqueOrThrow({ where: { id: payment.tenantId }, select: { timezone: true } })).timezone;
  const number = await nextInvoiceNumber(tx, receiptScope(payment.tenantId), now, RECEIPT_PREFIX, zone);
  const { count } = await tx.payment.updateMany({
    where: { id: payment.id, receiptNumber: null },
    data: { receiptNumber: number, receiptApplied: facts.applied, receiptBalanceAfter: facts.balanceAfter },
  });
  if (count !== 1) throw new AppError("CONFLICT", "errors.conflict");
  return number;
}

/**
 * A payment applied before receipts were numbered has none: it gets one when its receipt is first
 * asked for, with its facts replayed from the invoice's payments in the order they were paid.
 */
export async function ensureReceipt(tx: DbTx, paymentId: string, now: Date): Promise<void> {
  await lockRow(tx, "Payment", paymentId);
  const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId } });
  if (payment.receiptNumber || !payment.rentInvoiceId) return;
  const invoice = await tx.rentInvoice.findUniqueOrThrow({ where: { id: payment.rentInvoiceId } });
  const paid = await tx.payment.findMany({
    where: { rentInvoiceId: invoice.id, status: { in: ["paid", "refunded"] } },
    orderBy: [{ paidAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    select: { id: true, amount: true },
  });
  let cumulative = invoice.creditApplied;
  let facts: ReceiptFacts = { applied: 0, balanceAfter: Math.max(0, invoice.total - invoice.amountPaid) };
  for (const p of paid) {
    const applied = Math.max(0, Math.min(p.amount, invoice.total - cumulative));
    cumulative += applied;
    if (p.id === payment.id) {
      facts = { applied, balanceAfter: Math.max(0, invoice.total - cumulative) };
      break;
    }
  }
  await issueReceipt(tx, payment, facts, now);
}

export interface ReceiptInvoiceLine {
  kind: string;
  description: string;
  quantity: number;
  unitAmount: number;
  amount: number;
  meta: unknown;
}

export interface ReceiptDocument {
  paymentId: string;
  number: string;
  amount: number;
  currency: string;
  method: (typeof PAYMENT_METHOD_VALUES)[number];
  reference: string | null;
  /** received in the invoice's other currency (docs/CURRENCY.md): what came in and the rate; null otherwise */
  received: { amount: number; currency: string; khrPerUsd: number } | null;
  paidAt: Date;
  refunded: boolean;
  applied: number;
  /** minor units that went to the contract's credit */
  credit: number;
  balanceAfter: number;
  covered: CoveredLine<ReceiptInvoiceLine>[];
  invoice: { id: string; number: string; period: string; total: number; status: (typeof RENT_INVOICE_STATUS_VALUES)[number] };
  renter: { nameKm: string; nameLatin: string; phone: string };
  unit: { code: string };
  property: { name: string; address: string | null };
}

/** The receipt of one rent payment, for staff (invoices.view): its number is taken on first ask. */
export class ReceiptService {
  constructor(
    // only the tenant handle: the renter portal (server/portal/portal-queries.ts) reads it without a member
    private readonly ctx: Pick<TenantContext, "db">,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** `invoiceId`: only a payment of that invoice (the renter's receipt link under the invoice's pay link). */
  async document(paymentId: string, opts: { invoiceId?: string } = {}): Promise<ReceiptDocument> {
    return this.ctx.db.run(async (tx) => {
      const found = await tx.payment.findUnique({ where: { id: paymentId }, select: { purpose: true, status: true, rentInvoiceId: true } });
      if (!found || found.purpose !== "rent" || !found.rentInvoiceId || (found.status !== "paid" && found.status !== "refunded"))
        throw new AppError("NOT_FOUND", "errors.notFound");
      if (opts.invoiceId !== undefined && found.rentInvoiceId !== opts.invoiceId) throw new AppError("NOT_FOUND", "errors.notFound");
      await ensureReceipt(tx, paymentId, this.clock());
      const p = await tx.payment.findUniqueOrThrow({
        where: { id: paymentId },
        include: {
          rentInvoice: {
            include: {
              lines: { orderBy: [{ position: "asc" }, { id: "asc" }] },
              contract: { include: { renter: true, unit: { include: { property: true } } } },
            },
          },
        },
      });
      const inv = p.rentInvoice!;
      const applied = p.receiptApplied ?? 0;
      const balanceAfter = p.receiptBalanceAfter ?? 0;
      const invoice = withEnums(inv, { status: RENT_INVOICE_STATUS_VALUES });
      return {
        paymentId: p.id,
        number: p.receiptNumber!,
        amount: p.amount,
        currency: p.currency,
        method: asEnumValue(PAYMENT_METHOD_VALUES, p.method),
        reference: p.reference,
        received:
          p.receivedAmount !== null && p.receivedCurrency && p.khrPerUsd
            ? { amount: p.receivedAmount, currency: p.receivedCurrency, khrPerUsd: p.khrPerUsd }
            : null,
        paidAt: p.paidAt ?? p.createdAt,
        refunded: p.status === "refunded",
        applied,
        credit: Math.max(0, p.amount - applied),
        balanceAfter,
        covered: coveredLines<ReceiptInvoiceLine>(inv.lines, inv, { applied, balanceAfter }),
        invoice: { id: inv.id, number: inv.number, period: inv.period, total: inv.total, status: invoice.status },
        renter: { nameKm: inv.contract.renter.nameKm, nameLatin: inv.contract.renter.nameLatin, phone: inv.contract.renter.phone },
        unit: { code: inv.contract.unit.code },
        property: { name: inv.contract.unit.property.name, address: inv.contract.unit.property.address },
      };
    });
  }
}
