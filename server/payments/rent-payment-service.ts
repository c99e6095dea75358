import "server-only";
import type { z } from "zod";
import { AppError } from "@/server/core/errors";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { TenantContext } from "@/server/core/tenant-context";
import { systemClock, type Clock } from "@/server/core/request-meta";
import { lockRow } from "@/server/core/locks";
import { transitionPayment } from "@/server/payments/settlement";
import { applyRentPayment } from "@/server/payments/rent-payments";
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
 * Rent payments staff record by hand (cash, bank transfer) and the payments list. The KHQR path
 * settles through settlement.ts; both end in applyRentPayment. The contract's statement is
 * contract-ledger.ts; the invoice's pay link, rent-invoices/pay-link-service.ts.
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
}
