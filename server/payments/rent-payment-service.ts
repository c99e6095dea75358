import "server-only";
import type { z } from "zod";
import { AppError } from "@/server/core/errors";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { TenantContext } from "@/server/core/tenant-context";
import { systemClock, type Clock } from "@/server/core/request-meta";
import { lockRow } from "@/server/core/locks";
import { transitionPayment } from "@/server/payments/settlement";
import { applyRentPayment } from "@/server/payments/rent-payments";
import { newPayToken } from "@/server/rent-invoices/pay-token";
import { payLinkFor } from "@/lib/rentals/pay-link";
import { isOpenRentInvoice } from "@/lib/rentals/invoice-state";
import { renterDisplayName } from "@/server/rent-invoices/rent-messages";
import { addDaysToDay, dayIn, nextPeriodStart, noonIn, startOfDayIn } from "@/lib/dates";
import type { Prisma } from "@/server/db/generated/client";
import type {
  listRentPaymentsSchema,
  recordRentPaymentSchema,
  RentPaymentListMethod,
  RentPaymentStatus,
} from "@/lib/schemas/rent-payments";

export type LedgerEntry =
  | {
      kind: "invoice";
      id: string;
      at: Date;
      number: string;
      period: string;
      status: string;
      /** minor units added to what the renter owes */
      amount: number;
      balance: number;
    }
  | {
      kind: "payment";
      id: string;
      at: Date;
      invoiceId: string;
      invoiceNumber: string;
      method: "khqr" | "cash" | "bank_transfer";
      reference: string | null;
      /** minor units received */
      amount: number;
      balance: number;
    };

export interface ContractLedger {
  contractId: string;
  currency: string;
  entries: LedgerEntry[];
  totalCharged: number;
  totalPaid: number;
  /** charged − paid: > 0 the renter owes, < 0 the renter is in credit */
  balance: number;
  /** Contract.creditBalance: overpayments not yet applied to an invoice */
  credit: number;
  /** still due on open invoices */
  outstanding: number;
}

/** One row of the payments list (/payments). */
export interface RentPaymentRow {
  id: string;
  status: RentPaymentStatus;
  method: RentPaymentListMethod;
  amount: number;
  currency: string;
  reference: string | null;
  /** null for payments that were never paid (pending, failed, expired) */
  paidAt: Date | null;
  createdAt: Date;
  invoiceId: string | null;
  invoiceNumber: string | null;
  /** the invoice page offers a receipt PDF once money was received on it */
  hasReceipt: boolean;
  renterName: string;
  unitCode: string;
  propertyId: string | null;
  propertyName: string;
}

export interface RentPaymentTotal {
  currency: string;
  count: number;
  amount: number;
}

export interface RentPaymentPage {
  items: RentPaymentRow[];
  nextCursor: string | null;
  /** the whole filtered set per currency; on the first page only (null on the next ones) */
  totals: RentPaymentTotal[] | null;
  /** the workspace's timezone: the list's days and months are read in it */
  timezone: string;
}

/** Statuses whose payments carry a paidAt: the list reads their days on it, the others on createdAt. */
const PAID_STATUSES: readonly RentPaymentStatus[] = ["paid", "refunded"];

/**
 * Rent payments staff record by hand (cash, bank transfer), the contract ledger and the invoice's
 * pay link. The KHQR path settles through settlement.ts; both end in applyRentPayment.
 */
export class RentPaymentService {
  constructor(
    private readonly ctx: TenantContext,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Cash or a bank transfer received for an invoice: partial, exact, or more (the rest becomes contract credit). */
  async record(input: z.output<typeof recordRentPaymentSchema>) {
    const now = this.clock();
    const today = dayIn(now, this.ctx.tenant.timezone);
    if (input.paidOn > today) throw new AppError("VALIDATION", "rentPayments.errors.paidOnFuture");
    const paidAt = input.paidOn === today ? now : noonIn(input.paidOn, this.ctx.tenant.timezone);
    const audit = tenantAudit(this.ctx);
    return this.ctx.db.run(async (tx) => {
      const ref = await tx.rentInvoice.findUnique({ where: { id: input.invoiceId }, select: { contractId: true } });
      if (!ref) throw new AppError("NOT_FOUND", "errors.notFound");
      // lock order contract → invoice (applyRentPayment takes the same locks again: no-ops in this transaction)
      await lockRow(tx, "Contract", ref.contractId);
      await lockRow(tx, "RentInvoice", input.invoiceId);
      const invoice = await tx.rentInvoice.findUniqueOrThrow({ where: { id: input.invoiceId } });
      if (!isOpenRentInvoice(invoice.status)) throw new AppError("INVALID_STATE", "rentPayments.errors.invoiceNotOpen");
      const created = await tx.payment.create({
        data: {
          tenantId: this.ctx.tenantId,
          purpose: "rent",
          rentInvoiceId: invoice.id,
          method: input.method,
          amount: input.amount,
          currency: invoice.currency,
          reference: input.reference === "" ? null : input.reference,
          recordedById: this.ctx.userId,
        },
      });
      await transitionPayment(tx, created, "paid", "admin", { paidAt });
      await audit.log(tx, {
        action: "rent.payment.recorded",
        targetType: "payment",
        targetId: created.id,
        metadata: {
          invoice: invoice.number,
          method: input.method,
          amount: input.amount,
          currency: invoice.currency,
          reference: input.reference,
          paidOn: input.paidOn,
        },
      });
      const applied = await applyRentPayment(tx, created.id, now, {
        meta: this.ctx.meta,
        actor: { userId: this.ctx.userId, email: this.ctx.userEmail, impersonatorUserId: this.ctx.impersonatorUserId },
        note: `recorded ${input.method}`,
      });
      return {
        paymentId: created.id,
        invoiceId: invoice.id,
        invoiceNumber: invoice.number,
        currency: invoice.currency,
        applied: applied.applied,
        credit: applied.credit,
        status: applied.statusAfter,
        amountPaid: applied.amountPaid,
        total: invoice.total,
      };
    });
  }

  /**
   * The workspace's rent payments, filtered, sorted and paged (keyset on the id, like the invoices
   * list), with the filtered total per currency on the first page. With the default status (paid)
   * and a `period`, the total is the dashboard's "collected" figure for that month and currency:
   * same rows (purpose rent, status paid, paidAt in the month of the workspace's calendar).
   */
  async list(input: z.output<typeof listRentPaymentsSchema>): Promise<RentPaymentPage> {
    const timezone = this.ctx.tenant.timezone;
    const dateField = PAID_STATUSES.includes(input.status) ? "paidAt" : "createdAt";
    const and: Prisma.PaymentWhereInput[] = [{ purpose: "rent", status: input.status }];
    if (dateField === "paidAt") and.push({ paidAt: { not: null } });
    if (input.method) and.push({ method: input.method });
    if (input.currency) and.push({ currency: input.currency });
    if (input.propertyId) and.push({ rentInvoice: { is: { contract: { unit: { propertyId: input.propertyId } } } } });
    if (input.period) {
      and.push({
        [dateField]: { gte: startOfDayIn(`${input.period}-01`, timezone), lt: startOfDayIn(nextPeriodStart(input.period), timezone) },
      });
    }
    if (input.from) and.push({ [dateField]: { gte: startOfDayIn(input.from, timezone) } });
    if (input.to) and.push({ [dateField]: { lt: startOfDayIn(addDaysToDay(input.to, 1), timezone) } });
    const search = input.search?.trim();
    if (search) {
      and.push({
        OR: [
          { reference: { contains: search, mode: "insensitive" } },
          { rentInvoice: { is: { number: { contains: search, mode: "insensitive" } } } },
          { rentInvoice: { is: { contract: { renter: { nameLatin: { contains: search, mode: "insensitive" } } } } } },
          { rentInvoice: { is: { contract: { renter: { nameKm: { contains: search } } } } } },
        ],
      });
    }
    const where: Prisma.PaymentWhereInput = { AND: and };
    const dir = input.sort.desc ? "desc" : "asc";
    const sortField = input.sort.id === "amount" ? "amount" : dateField;
    return this.ctx.db.run(async (tx) => {
      const [rows, totals] = await Promise.all([
        tx.payment.findMany({
          where,
          orderBy: [{ [sortField]: dir }, { id: dir }],
          take: input.limit + 1,
          ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
          select: {
            id: true,
            status: true,
            method: true,
            amount: true,
            currency: true,
            reference: true,
            paidAt: true,
            createdAt: true,
            rentInvoice: {
              select: {
                id: true,
                number: true,
                amountPaid: true,
                contract: {
                  select: {
                    renter: { select: { nameKm: true, nameLatin: true } },
                    unit: { select: { code: true, property: { select: { id: true, name: true } } } },
                  },
                },
              },
            },
          },
        }),
        input.cursor
          ? Promise.resolve(null)
          : tx.payment.groupBy({ by: ["currency"], where, orderBy: { currency: "asc" }, _sum: { amount: true }, _count: { _all: true } }),
      ]);
      const more = rows.length > input.limit;
      const items: RentPaymentRow[] = rows.slice(0, input.limit).map((p) => {
        const inv = p.rentInvoice;
        return {
          id: p.id,
          status: p.status,
          method: p.method,
          amount: p.amount,
          currency: p.currency,
          reference: p.reference,
          paidAt: p.paidAt,
          createdAt: p.createdAt,
          invoiceId: inv?.id ?? null,
          invoiceNumber: inv?.number ?? null,
          hasReceipt: (inv?.amountPaid ?? 0) > 0,
          renterName: inv ? renterDisplayName(inv.contract.renter, this.ctx.tenant.locale) : "",
          unitCode: inv?.contract.unit.code ?? "",
          propertyId: inv?.contract.unit.property.id ?? null,
          propertyName: inv?.contract.unit.property.name ?? "",
        };
      });
      return {
        items,
        nextCursor: more ? (items.at(-1)?.id ?? null) : null,
        totals: totals ? totals.map((r) => ({ currency: r.currency, count: r._count._all, amount: r._sum.amount ?? 0 })) : null,
        timezone,
      };
    });
  }

  /** Paid payments of one invoice (the invoice page lists them). */
  async forInvoice(invoiceId: string) {
    return this.ctx.db.run(async (tx) => {
      const invoice = await tx.rentInvoice.findUnique({ where: { id: invoiceId }, select: { id: true } });
      if (!invoice) throw new AppError("NOT_FOUND", "errors.notFound");
      const rows = await tx.payment.findMany({
        where: { rentInvoiceId: invoiceId, status: { in: ["paid", "refunded"] } },
        orderBy: [{ paidAt: "asc" }, { id: "asc" }],
        select: { id: true, method: true, status: true, amount: true, currency: true, reference: true, paidAt: true, recordedById: true },
      });
      return rows;
    });
  }

  /**
   * The contract's statement: every non-void (issued) invoice as a charge, every paid rent payment
   * as a payment, in time order, with the running balance. Credit applied to an invoice is not a
   * separate line: the overpayment that created it already lowered the balance.
   */
  async ledger(contractId: string): Promise<ContractLedger> {
    return this.ctx.db.run(async (tx) => {
      const contract = await tx.contract.findUnique({
        where: { id: contractId },
        select: { id: true, currency: true, creditBalance: true },
      });
      if (!contract) throw new AppError("NOT_FOUND", "errors.notFound");
      const invoices = await tx.rentInvoice.findMany({
        where: { contractId, status: { notIn: ["void", "draft"] } },
        select: { id: true, number: true, period: true, status: true, total: true, amountPaid: true, issuedAt: true },
        orderBy: [{ issuedAt: "asc" }, { id: "asc" }],
      });
      const payments = await tx.payment.findMany({
        where: { purpose: "rent", status: "paid", rentInvoice: { contractId } },
        select: { id: true, method: true, amount: true, reference: true, paidAt: true, createdAt: true, rentInvoiceId: true },
      });
      const numbers = new Map(invoices.map((i) => [i.id, i.number]));
      const missing = [...new Set(payments.map((p) => p.rentInvoiceId!).filter((id) => !numbers.has(id)))];
      if (missing.length > 0) {
        for (const i of await tx.rentInvoice.findMany({ where: { id: { in: missing } }, select: { id: true, number: true } })) {
          numbers.set(i.id, i.number);
        }
      }
      type Draft = { sortAt: number; order: number } & (
        Omit<Extract<LedgerEntry, { kind: "invoice" }>, "balance"> | Omit<Extract<LedgerEntry, { kind: "payment" }>, "balance">
      );
      const drafts: Draft[] = [
        ...invoices.map((i) => ({
          kind: "invoice" as const,
          id: i.id,
          at: i.issuedAt,
          number: i.number,
          period: i.period,
          status: i.status,
          amount: i.total,
          sortAt: i.issuedAt.getTime(),
          order: 0,
        })),
        ...payments.map((p) => ({
          kind: "payment" as const,
          id: p.id,
          at: p.paidAt ?? p.createdAt,
          invoiceId: p.rentInvoiceId!,
          invoiceNumber: numbers.get(p.rentInvoiceId!) ?? "",
          method: p.method,
          reference: p.reference,
          amount: p.amount,
          sortAt: (p.paidAt ?? p.createdAt).getTime(),
          order: 1,
        })),
      ];
      drafts.sort((a, b) => a.sortAt - b.sortAt || a.order - b.order || a.id.localeCompare(b.id));
      let balance = 0;
      let totalCharged = 0;
      let totalPaid = 0;
      const entries: LedgerEntry[] = drafts.map(({ sortAt: _s, order: _o, ...e }) => {
        if (e.kind === "invoice") {
          totalCharged += e.amount;
          balance += e.amount;
        } else {
          totalPaid += e.amount;
          balance -= e.amount;
        }
        return { ...e, balance } as LedgerEntry;
      });
      const outstanding = invoices
        .filter((i) => isOpenRentInvoice(i.status))
        .reduce((sum, i) => sum + Math.max(0, i.total - i.amountPaid), 0);
      return {
        contractId,
        currency: contract.currency,
        entries,
        totalCharged,
        totalPaid,
        balance,
        credit: contract.creditBalance,
        outstanding,
      };
    });
  }

  /** The invoice's pay link (null when revoked, or never issued). */
  async payLink(invoiceId: string) {
    return this.ctx.db.run(async (tx) => {
      const invoice = await tx.rentInvoice.findUnique({ where: { id: invoiceId }, select: { id: true, payToken: true, status: true } });
      if (!invoice) throw new AppError("NOT_FOUND", "errors.notFound");
      return {
        invoiceId: invoice.id,
        status: invoice.status,
        url: invoice.payToken ? payLinkFor(this.ctx.tenant.slug, invoice.payToken) : null,
      };
    });
  }

  /** A new token (the old link stops working at once); also re-enables a revoked link. */
  async rotatePayLink(invoiceId: string) {
    return this.ctx.db.run(async (tx) => {
      await lockRow(tx, "RentInvoice", invoiceId);
      const invoice = await tx.rentInvoice.findUnique({
        where: { id: invoiceId },
        select: { id: true, number: true, status: true, payToken: true },
      });
      if (!invoice) throw new AppError("NOT_FOUND", "errors.notFound");
      if (invoice.status === "void" || invoice.status === "draft")
        throw new AppError("INVALID_STATE", "rentPayments.errors.invoiceNotOpen");
      const token = newPayToken();
      await tx.rentInvoice.update({ where: { id: invoice.id }, data: { payToken: token } });
      await tenantAudit(this.ctx).log(tx, {
        action: "rent.pay_link.rotated",
        targetType: "rent_invoice",
        targetId: invoice.id,
        // never the token itself: the audit log is readable by more people than the renter
        metadata: { invoice: invoice.number, before: invoice.payToken ? "active" : "revoked", after: "active" },
      });
      return { invoiceId: invoice.id, status: invoice.status, url: payLinkFor(this.ctx.tenant.slug, token) };
    });
  }

  /** Turns the link off: the pay page answers 404, like for a token that never existed. */
  async revokePayLink(invoiceId: string) {
    return this.ctx.db.run(async (tx) => {
      await lockRow(tx, "RentInvoice", invoiceId);
      const invoice = await tx.rentInvoice.findUnique({
        where: { id: invoiceId },
        select: { id: true, number: true, status: true, payToken: true },
      });
      if (!invoice) throw new AppError("NOT_FOUND", "errors.notFound");
      if (invoice.payToken !== null) {
        await tx.rentInvoice.update({ where: { id: invoice.id }, data: { payToken: null } });
        await tenantAudit(this.ctx).log(tx, {
          action: "rent.pay_link.revoked",
          targetType: "rent_invoice",
          targetId: invoice.id,
          metadata: { invoice: invoice.number, before: "active", after: "revoked" },
        });
      }
      return { invoiceId: invoice.id, status: invoice.status, url: null };
    });
  }
}
