import "server-only";
import { credited, otherCurrency, type RateCurrency } from "@/server/rates/conversion";
import { rateOn } from "@/server/rates/rate-of-day";
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
import { addDaysToDay, dayIn, nextPeriodStart, noonIn, periodOfDay, shiftPeriod, startOfDayIn } from "@/lib/dates";
import { Prisma } from "@/server/db/generated/client";
import type { DbTx } from "@/server/db/tenant-db";
import {
  afterCursor,
  decodeCursor,
  keyParam,
  keysetOrder,
  pageOf,
  type KeysetCursor,
  type KeysetSpec,
  type KeyValue,
} from "@/server/core/keyset";
import { contractSearchCondition, searchContractIds, type SearchContracts } from "@/server/rent-invoices/contract-search";
import {
  RENT_PAYMENT_LIST_METHODS,
  RENT_PAYMENT_STATUSES,
  type listRentPaymentsSchema,
  type recordRentPaymentSchema,
  type RentPaymentListMethod,
  type RentPaymentStatus,
} from "@/lib/schemas/rent-payments";
import { asEnumValue, withEnums, PAYMENT_METHOD_VALUES, PAYMENT_STATUS_VALUES, RENT_INVOICE_STATUS_VALUES } from "@/lib/enums";

/** One row of the payments list (/payments). */
export interface RentPaymentRow {
  id: string;
  status: RentPaymentStatus;
  method: RentPaymentListMethod;
  amount: number;
  currency: string;
  /** received in the invoice's other currency (docs/CURRENCY.md): what came in and the rate; all null otherwise */
  receivedAmount: number | null;
  receivedCurrency: string | null;
  khrPerUsd: number | null;
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
  /**
   * the filtered set per currency; on the first page only (null on the next ones). Without a period
   * or a first day (`from`), over the last TOTALS_MONTHS months only (see totalsSince).
   */
  totals: RentPaymentTotal[] | null;
  /** the first day ("YYYY-MM-DD") the totals count from when the filters chose none, else null */
  totalsSince: string | null;
  /** the workspace's timezone: the list's days and months are read in it */
  timezone: string;
}

/** Statuses whose payments carry a paidAt: the list reads their days on it, the others on createdAt. */
const PAID_STATUSES: readonly RentPaymentStatus[] = ["paid", "refunded"];

// ── the list (/payments): one explicit keyset query on an index ──
// `WHERE "tenantId" = … AND purpose = 'rent' AND status = … AND <filters> AND (key, id) < (cursor)
// ORDER BY key, id LIMIT n + 1` on an index (tenantId, purpose, status, [method,] key, id) (migration
// 20261206120714_list_keyset_indexes). The key is never null: paidAt for paid and refunded payments
// (which always carry it; `paidAt IS NOT NULL` is written anyway), createdAt for the others, or the
// amount. Only the page's rows are joined to their invoice, renter, unit and property.

type PaymentKey = "paidAt" | "createdAt" | "amount";
const PAYMENT_KEY_COLUMN: Record<PaymentKey, string> = { paidAt: '"paidAt"', createdAt: '"createdAt"', amount: "amount" };

type ListInput = z.output<typeof listRentPaymentsSchema>;

/** The day column the list reads for a status: paidAt once money was received, createdAt before. */
function dateKeyOf(status: RentPaymentStatus): "paidAt" | "createdAt" {
  return PAID_STATUSES.includes(status) ? "paidAt" : "createdAt";
}

function keyOf(input: Pick<ListInput, "status" | "sort">): PaymentKey {
  return input.sort.id === "amount" ? "amount" : dateKeyOf(input.status);
}

/** The cursor's shape: a cursor of another sort, direction or status family is refused. */
export function paymentKeyset(input: Pick<ListInput, "status" | "sort">): KeysetSpec {
  const key = keyOf(input);
  return { tag: `rentPayments.${key}`, kinds: [key === "amount" ? "int" : "timestamp"], desc: input.sort.desc };
}

/** A row of rentPaymentListSql. */
export interface PaymentListRaw {
  id: string;
  status: string;
  method: string;
  amount: number;
  currency: string;
  receivedAmount: number | null;
  receivedCurrency: string | null;
  khrPerUsd: number | null;
  reference: string | null;
  paidAt: Date | null;
  createdAt: Date;
  invoiceId: string | null;
  invoiceNumber: string | null;
  invoiceAmountPaid: number | null;
  nameKm: string | null;
  nameLatin: string | null;
  unitCode: string | null;
  propertyId: string | null;
  propertyName: string | null;
}

interface TotalRaw {
  currency: string;
  count: number | bigint;
  amount: number | bigint | string;
}

function paymentSortKey(r: Pick<PaymentListRaw, "paidAt" | "createdAt" | "amount">, spec: KeysetSpec): KeyValue {
  if (spec.kinds[0] === "int") return r.amount;
  const at = spec.tag.endsWith("paidAt") ? r.paidAt : r.createdAt;
  if (!at) throw new Error("rent payment list: a paid payment without paidAt");
  return at;
}

function asRentPaymentStatus(v: string): RentPaymentStatus {
  if ((RENT_PAYMENT_STATUSES as readonly string[]).includes(v)) return v as RentPaymentStatus;
  throw new Error(`Unexpected rent payment status "${v}"`);
}

function asRentPaymentMethod(v: string): RentPaymentListMethod {
  if ((RENT_PAYMENT_LIST_METHODS as readonly string[]).includes(v)) return v as RentPaymentListMethod;
  throw new Error(`Unexpected rent payment method "${v}"`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An opaque cursor, or the previous format (a bare payment id) whose key is read by primary key. */
async function resolvePaymentCursor(tx: DbTx, spec: KeysetSpec, cursor: string | undefined): Promise<KeysetCursor | undefined> {
  if (!cursor) return undefined;
  if (!UUID.test(cursor)) return decodeCursor(spec, cursor);
  const rows = await tx.$queryRaw<Array<{ id: string; paidAt: Date | null; createdAt: Date; amount: number }>>`
    SELECT id::text AS id, "paidAt", "createdAt", amount FROM "Payment" WHERE id = ${cursor.toLowerCase()}::uuid AND purpose = 'rent'`;
  const r = rows[0];
  if (!r || (spec.kinds[0] === "timestamp" && spec.tag.endsWith("paidAt") && !r.paidAt)) {
    throw new AppError("VALIDATION", "errors.invalidCursor");
  }
  return { keys: [paymentSortKey(r, spec)], id: r.id };
}

interface ListScope {
  tenantId: string;
  timezone: string;
  /** the search's contracts (searchContractIds), when input.search is set */
  contracts?: SearchContracts;
}

/** Every filter of the list (not the cursor): the page and the totals read the same rows. */
function paymentFilters(q: ListScope, input: ListInput): Prisma.Sql[] {
  const dateKey = dateKeyOf(input.status);
  const dateColumn = Prisma.raw(`p.${PAYMENT_KEY_COLUMN[dateKey]}`);
  const at = (day: string) => keyParam("timestamp", startOfDayIn(day, q.timezone));
  const c: Prisma.Sql[] = [
    Prisma.sql`p."tenantId" = ${q.tenantId}::uuid`,
    Prisma.sql`p.purpose = 'rent'`,
    Prisma.sql`p.status = ${input.status}`,
  ];
  if (dateKey === "paidAt") c.push(Prisma.sql`p."paidAt" IS NOT NULL`);
  if (input.method) c.push(Prisma.sql`p.method = ${input.method}`);
  if (input.currency) c.push(Prisma.sql`p.currency = ${input.currency}`);
  if (input.period)
    c.push(Prisma.sql`${dateColumn} >= ${at(`${input.period}-01`)} AND ${dateColumn} < ${at(nextPeriodStart(input.period))}`);
  if (input.from) c.push(Prisma.sql`${dateColumn} >= ${at(input.from)}`);
  if (input.to) c.push(Prisma.sql`${dateColumn} < ${at(addDaysToDay(input.to, 1))}`);
  // the payment's own copy of its invoice's property: indexes (tenantId, propertyId, status, <sort>, id)
  if (input.propertyId) c.push(Prisma.sql`p."propertyId" = ${input.propertyId}::uuid`);
  const search = input.search?.trim();
  if (search) {
    // the typed reference as typed, upper- or lower-case (index (tenantId, reference)), or the payments of
    // the invoice with that number or of the contracts whose renter or unit matched (index (tenantId, rentInvoiceId))
    const contracts = q.contracts ?? "many";
    const ofContracts =
      contracts === "many"
        ? Prisma.sql`si."contractId" IN (SELECT c.id FROM "Contract" c WHERE ${contractSearchCondition(q.tenantId, search)})`
        : contracts.length > 0
          ? Prisma.sql`si."contractId" = ANY(${contracts}::uuid[])`
          : Prisma.sql`FALSE`;
    c.push(Prisma.sql`(p.reference IN (${search}, ${search.toUpperCase()}, ${search.toLowerCase()})
      OR p."rentInvoiceId" = ANY(ARRAY(SELECT si.id FROM "RentInvoice" si WHERE si."tenantId" = ${q.tenantId}::uuid
        AND (si.number = ${search.toUpperCase()} OR ${ofContracts}))))`);
  }
  return c;
}

/** The page's one query (the service sends exactly this; tests EXPLAIN it). */
export function rentPaymentListSql(q: ListScope, input: ListInput, after: KeysetCursor | undefined): Prisma.Sql {
  const spec = paymentKeyset(input);
  const column = PAYMENT_KEY_COLUMN[keyOf(input)];
  const c = paymentFilters(q, input);
  if (after) c.push(afterCursor(spec, [Prisma.raw(`p.${column}`)], Prisma.sql`p.id`, after));
  return Prisma.sql`
    SELECT l.id::text AS id, l.status::text AS status, l.method::text AS method, l.amount, l.currency,
           l."receivedAmount", l."receivedCurrency", l."khrPerUsd", l.reference, l."paidAt", l."createdAt",
           i.id::text AS "invoiceId", i.number AS "invoiceNumber", i."amountPaid" AS "invoiceAmountPaid",
           r."nameKm", r."nameLatin", u.code AS "unitCode", pr.id::text AS "propertyId", pr.name AS "propertyName"
    FROM (
      SELECT p.id, p."tenantId", p.status, p.method, p.amount, p.currency, p."receivedAmount", p."receivedCurrency", p."khrPerUsd",
             p.reference, p."paidAt", p."createdAt", p."rentInvoiceId"
      FROM "Payment" p
      WHERE ${Prisma.join(c, " AND ")}
      ORDER BY ${keysetOrder(spec, [Prisma.raw(`p.${column}`)], Prisma.sql`p.id`)}
      LIMIT ${input.limit + 1}::int
    ) l
    LEFT JOIN "RentInvoice" i ON i."tenantId" = l."tenantId" AND i.id = l."rentInvoiceId"
    LEFT JOIN "Contract" c ON c."tenantId" = i."tenantId" AND c.id = i."contractId"
    LEFT JOIN "Renter" r ON r."tenantId" = c."tenantId" AND r.id = c."renterId"
    LEFT JOIN "Unit" u ON u."tenantId" = c."tenantId" AND u.id = c."unitId"
    LEFT JOIN "Property" pr ON pr."tenantId" = u."tenantId" AND pr.id = u."propertyId"
    ORDER BY ${keysetOrder(spec, [Prisma.raw(`l.${column}`)], Prisma.sql`l.id`)}`;
}

/** Months the totals cover when the filters choose no first day: the dashboard's chart window. */
export const TOTALS_MONTHS = 12;

/**
 * The first day the totals count from when neither a period nor `from` is chosen: the first of the
 * month TOTALS_MONTHS − 1 months before the month of `to` (or of today). Null when the filters bound
 * the range themselves. So the totals are always an index range, never all of the workspace's history.
 */
export function totalsWindowStart(input: Pick<ListInput, "period" | "from" | "to">, today: string): string | null {
  if (input.period || input.from) return null;
  return `${shiftPeriod(periodOfDay(input.to ?? today), -(TOTALS_MONTHS - 1))}-01`;
}

/**
 * The first page's totals per currency over the filtered rows. A payment counts once, in its
 * invoice's currency (`amount`, what it settled), also when it was received in the other currency
 * (a USD invoice paid in riel is in the USD total, never in the riel one). Over the date range: an
 * index range on the status and date.
 */
export function rentPaymentTotalsSql(q: ListScope, input: ListInput, since: string | null): Prisma.Sql {
  return Prisma.sql`
    SELECT p.currency, count(*)::int AS count, COALESCE(sum(p.amount), 0)::bigint AS amount
    FROM "Payment" p
    WHERE ${Prisma.join(paymentFilters(q, since ? { ...input, from: since } : input), " AND ")}
    GROUP BY p.currency
    ORDER BY p.currency`;
}

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
      if (!isOpenRentInvoice(asEnumValue(RENT_INVOICE_STATUS_VALUES, invoice.status)))
        throw new AppError("INVALID_STATE", "rentPayments.errors.invoiceNotOpen");
      // received in the other currency (docs/CURRENCY.md): the value in the invoice's currency at the rate given or of that day
      const other = input.receivedCurrency && input.receivedCurrency !== invoice.currency ? input.receivedCurrency : null;
      let worth = input.amount;
      let received: { receivedAmount: number; receivedCurrency: string; khrPerUsd: number } | null = null;
      if (other) {
        if (otherCurrency(invoice.currency) !== other) throw new AppError("VALIDATION", "currency.errors.currency");
        const rate = input.khrPerUsd ?? (await rateOn(tx, this.ctx.tenantId, input.paidOn))?.khrPerUsd;
        if (!rate) throw new AppError("INVALID_STATE", "currency.record.noRate");
        worth = credited(input.amount, invoice.currency as RateCurrency, Math.max(0, invoice.total - invoice.amountPaid), rate);
        if (worth < 1) throw new AppError("VALIDATION", "rentPayments.errors.amount");
        received = { receivedAmount: input.amount, receivedCurrency: other, khrPerUsd: rate };
      }
      const created = await tx.payment.create({
        data: {
          tenantId: this.ctx.tenantId,
          purpose: "rent",
          rentInvoiceId: invoice.id,
          propertyId: invoice.propertyId,
          method: input.method,
          amount: worth,
          currency: invoice.currency,
          ...received,
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
          amount: worth,
          currency: invoice.currency,
          ...(received ? { received } : {}),
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
   * The workspace's rent payments, filtered, sorted and paged (keyset on the sort key and id: one
   * query on an index, see rentPaymentListSql), with the filtered total per currency on the first
   * page. With the default status (paid) and a `period`, the total is the dashboard's "collected"
   * figure for that month and currency: same rows (purpose rent, status paid, paidAt in the month of
   * the workspace's calendar).
   */
  async list(input: z.output<typeof listRentPaymentsSchema>): Promise<RentPaymentPage> {
    const timezone = this.ctx.tenant.timezone;
    const spec = paymentKeyset(input);
    return this.ctx.db.run(async (tx) => {
      const after = await resolvePaymentCursor(tx, spec, input.cursor);
      const search = input.search?.trim();
      const contracts = search ? await searchContractIds(tx, this.ctx.tenantId, search) : undefined;
      const q = { tenantId: this.ctx.tenantId, timezone, contracts };
      const rows = await tx.$queryRaw<PaymentListRaw[]>(rentPaymentListSql(q, input, after));
      const totalsSince = totalsWindowStart(input, dayIn(this.clock(), timezone));
      const totals = input.cursor ? null : await tx.$queryRaw<TotalRaw[]>(rentPaymentTotalsSql(q, input, totalsSince));
      const page = pageOf(spec, rows, input.limit, (r) => ({ keys: [paymentSortKey(r, spec)], id: r.id }));
      const items: RentPaymentRow[] = page.rows.map((p) => ({
        id: p.id,
        status: asRentPaymentStatus(p.status),
        method: asRentPaymentMethod(p.method),
        amount: p.amount,
        currency: p.currency,
        receivedAmount: p.receivedAmount,
        receivedCurrency: p.receivedCurrency,
        khrPerUsd: p.khrPerUsd,
        reference: p.reference,
        paidAt: p.paidAt,
        createdAt: p.createdAt,
        invoiceId: p.invoiceId,
        invoiceNumber: p.invoiceNumber,
        hasReceipt: (p.invoiceAmountPaid ?? 0) > 0,
        renterName: p.invoiceId ? renterDisplayName({ nameKm: p.nameKm ?? "", nameLatin: p.nameLatin ?? "" }, this.ctx.tenant.locale) : "",
        unitCode: p.unitCode ?? "",
        propertyId: p.propertyId,
        propertyName: p.propertyName ?? "",
      }));
      return {
        items,
        nextCursor: page.nextCursor,
        totals: totals ? totals.map((r) => ({ currency: r.currency, count: Number(r.count), amount: Number(r.amount) })) : null,
        totalsSince: input.cursor ? null : totalsSince,
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
        select: {
          id: true,
          method: true,
          status: true,
          amount: true,
          currency: true,
          receivedAmount: true,
          receivedCurrency: true,
          khrPerUsd: true,
          reference: true,
          paidAt: true,
          recordedById: true,
          receiptNumber: true,
        },
      });
      return rows.map((r) => withEnums(r, { method: PAYMENT_METHOD_VALUES, status: PAYMENT_STATUS_VALUES }));
    });
  }
}
