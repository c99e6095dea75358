import "server-only";
import { lockRow } from "@/server/core/locks";
import type { z } from "zod";
import { platformDb } from "@/server/db/platform-db";
import type { DbTx } from "@/server/db/tenant-db";
import { Prisma, type Payment } from "@/server/db/generated/client";
import { afterCursor, decodeOptionalCursor, keysetOrder, pageOf, type KeysetSpec } from "@/server/core/keyset";
import { escapeLike } from "@/server/audit/audit-query";
import { AppError } from "@/server/core/errors";
import { AuditLogger } from "@/server/audit/audit-logger";
import { transitionPayment } from "./settlement";
import type { AdminPaymentFilters, adminPaymentsSchema, refundPaymentSchema } from "@/lib/schemas/billing";
import {
  BILLING_CSV_BATCH,
  BillingConsoleService,
  keysetRows,
  dayRange,
  iso,
  keysetCsv,
  matchingTenantIds,
  tenantSlugs,
  type CsvDownload,
  type Page,
} from "../subscriptions/billing-console.admin";
import { minorToDecimal } from "@/lib/money";
import { asEnumValue, PAYMENT_METHOD_VALUES, PAYMENT_STATUS_VALUES } from "@/lib/enums";

// The console's subscription payments (the platform's own money; rent payments belong to the
// workspaces): list and filters, CSV export, refunds. Money moves only through the settlement
// module's one transition function; this service adds the admin's checks, locks and audit rows.

export interface AdminPaymentRow {
  id: string;
  tenant: { id: string; slug: string };
  invoice: { id: string; number: string } | null;
  method: "khqr" | "cash" | "bank_transfer";
  status: "pending" | "paid" | "failed" | "expired" | "refunded";
  amount: number;
  currency: string;
  md5: string | null;
  bakongHash: string | null;
  fromAccountId: string | null;
  reference: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  paidAt: Date | null;
  failedAt: Date | null;
  failureReason: string | null;
  refundedAt: Date | null;
  refundReason: string | null;
  flaggedAt: Date | null;
  flagReason: string | null;
  recordedBy: string | null;
}

type PaymentWithInvoice = Payment & { invoice: { id: string; number: string } | null };

function paymentRow(r: PaymentWithInvoice, tenants: Map<string, { slug: string }>, users: Map<string, string>): AdminPaymentRow {
  return {
    id: r.id,
    tenant: { id: r.tenantId, slug: tenants.get(r.tenantId)?.slug ?? r.tenantId },
    invoice: r.invoice,
    method: asEnumValue(PAYMENT_METHOD_VALUES, r.method),
    status: asEnumValue(PAYMENT_STATUS_VALUES, r.status),
    amount: r.amount,
    currency: r.currency,
    md5: r.md5,
    bakongHash: r.bakongHash,
    fromAccountId: r.fromAccountId,
    reference: r.reference,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    paidAt: r.paidAt,
    failedAt: r.failedAt,
    failureReason: r.failureReason,
    refundedAt: r.refundedAt,
    refundReason: r.refundReason,
    flaggedAt: r.flaggedAt,
    flagReason: r.flagReason,
    recordedBy: r.recordedById ? (users.get(r.recordedById) ?? r.recordedById) : null,
  };
}

const paymentOrder = (dir: "asc" | "desc") => [{ createdAt: dir }, { id: dir }] satisfies Prisma.PaymentOrderByWithRelationInput[];

export class AdminPaymentService extends BillingConsoleService {
  private async paymentWhere(tx: DbTx, f: AdminPaymentFilters, asOf?: Date): Promise<Prisma.PaymentWhereInput> {
    // the console handles the platform's own money: rent payments belong to the workspaces
    const and: Prisma.PaymentWhereInput[] = [{ purpose: "subscription" }];
    if (f.status) and.push({ status: f.status });
    if (f.method) and.push({ method: f.method });
    if (f.flagged === true) and.push({ flaggedAt: { not: null } });
    if (f.flagged === false) and.push({ flaggedAt: null });
    const range = dayRange(f.from, f.to);
    if (range) and.push({ createdAt: range });
    if (asOf) and.push({ createdAt: { lte: asOf } });
    if (f.search) {
      const s = f.search;
      const tenantIds = await matchingTenantIds(tx, s);
      and.push({
        OR: [
          { invoice: { number: { contains: s, mode: "insensitive" } } },
          { md5: s.toLowerCase() },
          { bakongHash: { contains: s, mode: "insensitive" } },
          { reference: { contains: s, mode: "insensitive" } },
          ...(tenantIds.length ? [{ tenantId: { in: tenantIds } }] : []),
        ],
      });
    }
    return { AND: and };
  }

  private async paymentRows(tx: DbTx, rows: PaymentWithInvoice[]): Promise<AdminPaymentRow[]> {
    const tenants = await tenantSlugs(
      tx,
      rows.map((r) => r.tenantId),
    );
    const userIds = [...new Set(rows.map((r) => r.recordedById).filter((id): id is string => id !== null))];
    const users = new Map(
      (userIds.length ? await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }) : []).map((u) => [
        u.id,
        u.email,
      ]),
    );
    return rows.map((r) => paymentRow(r, tenants, users));
  }

  /**
   * One keyset page: `(createdAt, id)` after the cursor, every filter in SQL, on the console
   * indexes `(purpose, [status | method,] createdAt, id)` (a page of index entries at any depth);
   * then the page's rows by id with their invoice.
   */
  async payments(input: z.output<typeof adminPaymentsSchema>): Promise<Page<AdminPaymentRow>> {
    const spec: KeysetSpec = { tag: "admin.payments", kinds: ["timestamp"], desc: input.sort !== "asc" };
    const after = decodeOptionalCursor(spec, input.cursor);
    return platformDb.run(async (tx) => {
      const keys = await keysetRows<{ id: string; createdAt: Date }>(
        tx,
        Prisma.sql`
        SELECT p.id::text AS "id", p."createdAt" FROM "Payment" p
        WHERE ${Prisma.join(await this.paymentConditions(tx, input, after ? afterCursor(spec, [Prisma.sql`p."createdAt"`], Prisma.sql`p.id`, after) : null), " AND ")}
        ORDER BY ${keysetOrder(spec, [Prisma.sql`p."createdAt"`], Prisma.sql`p.id`)}
        LIMIT ${input.limit + 1}::int`,
      );
      const { rows: page, nextCursor } = pageOf(spec, keys, input.limit, (r) => ({ keys: [r.createdAt], id: r.id }));
      const found = page.length
        ? await tx.payment.findMany({
            where: { id: { in: page.map((r) => r.id) } },
            include: { invoice: { select: { id: true, number: true } } },
          })
        : [];
      const byId = new Map(found.map((r) => [r.id, r]));
      const ordered = page.map((r) => byId.get(r.id)).filter((r): r is PaymentWithInvoice => r !== undefined);
      return { items: await this.paymentRows(tx, ordered), nextCursor };
    });
  }

  /** The list's filters as SQL conditions (the same as paymentWhere), plus the keyset condition. */
  private async paymentConditions(tx: DbTx, f: AdminPaymentFilters, keyset: Prisma.Sql | null): Promise<Prisma.Sql[]> {
    // the console handles the platform's own money: rent payments belong to the workspaces
    const c: Prisma.Sql[] = [Prisma.sql`p.purpose = 'subscription'`];
    if (f.status) c.push(Prisma.sql`p.status = ${f.status}`);
    if (f.method) c.push(Prisma.sql`p.method = ${f.method}`);
    if (f.flagged === true) c.push(Prisma.sql`p."flaggedAt" IS NOT NULL`);
    if (f.flagged === false) c.push(Prisma.sql`p."flaggedAt" IS NULL`);
    const range = dayRange(f.from, f.to);
    if (range?.gte) c.push(Prisma.sql`p."createdAt" >= (${range.gte.toISOString()}::timestamptz AT TIME ZONE 'UTC')`);
    if (range?.lt) c.push(Prisma.sql`p."createdAt" < (${range.lt.toISOString()}::timestamptz AT TIME ZONE 'UTC')`);
    if (f.search) {
      const s = f.search;
      const like = `%${escapeLike(s)}%`;
      const tenantIds = await matchingTenantIds(tx, s);
      c.push(Prisma.sql`(EXISTS (SELECT 1 FROM "SubscriptionInvoice" i WHERE i.id = p."subscriptionInvoiceId" AND i.number ILIKE ${like})
        OR p.md5 = ${s.toLowerCase()} OR p."bakongHash" ILIKE ${like} OR p.reference ILIKE ${like}
        ${tenantIds.length ? Prisma.sql`OR p."tenantId" = ANY(${tenantIds}::uuid[])` : Prisma.empty})`);
    }
    if (keyset) c.push(keyset);
    return c;
  }

  /**
   * paid → refunded (the state machine allows it to admins only). The money goes back outside
   * the system; the subscription keeps the period it paid for (entitlement is not taken back).
   */
  async refundPayment(input: z.output<typeof refundPaymentSchema>) {
    const now = this.clock();
    return platformDb.run(async (tx) => {
      await lockRow(tx, "Payment", input.paymentId);
      const payment = await tx.payment.findUnique({ where: { id: input.paymentId } });
      // rent payments went to the workspace's own Bakong account: not the operator's to refund
      if (!payment || payment.purpose !== "subscription") throw new AppError("NOT_FOUND", "errors.notFound");
      // a refund settles a flag ("refund this payment"): it leaves the review list, the reason stays
      await transitionPayment(tx, payment, "refunded", "admin", { refundedAt: now, refundReason: input.reason, flaggedAt: null });
      await new AuditLogger(this.meta).log(tx, payment.tenantId, {
        action: "billing.payment.refunded",
        actorUserId: this.admin.userId,
        actorEmail: this.admin.email,
        targetType: "payment",
        targetId: payment.id,
        metadata: {
          before: { status: payment.status },
          after: { status: "refunded" },
          reason: input.reason,
          amount: payment.amount,
          currency: payment.currency,
          method: payment.method,
          invoiceId: payment.subscriptionInvoiceId,
          flagReason: payment.flagReason,
        },
      });
      return { paymentId: payment.id, status: "refunded" as const, refundedAt: now };
    });
  }

  /** Every matching payment up to `asOf`, as CSV text in keyset batches (one batch in memory at a time). */
  paymentCsv(filters: AdminPaymentFilters, opts: { asOf?: Date; batchSize?: number } = {}): AsyncGenerator<string, void, undefined> {
    const asOf = opts.asOf ?? this.clock();
    return keysetCsv(PAYMENT_CSV_HEADER, opts.batchSize ?? BILLING_CSV_BATCH, async (tx, batch) => {
      const rows = await tx.payment.findMany({
        where: await this.paymentWhere(tx, filters, asOf),
        include: { invoice: { select: { id: true, number: true } } },
        orderBy: paymentOrder(filters.sort),
        ...batch,
      });
      return { lines: (await this.paymentRows(tx, rows)).map(paymentCsvLine), lastId: rows[rows.length - 1]?.id };
    });
  }

  /** The payments CSV as a download, audited first. */
  exportPayments(filters: AdminPaymentFilters): Promise<CsvDownload> {
    return this.csvDownload("payments", filters, (asOf) => this.paymentCsv(filters, { asOf }));
  }
}

const PAYMENT_CSV_HEADER = [
  "created_at",
  "tenant",
  "invoice",
  "method",
  "status",
  "amount",
  "amount_minor",
  "currency",
  "reference",
  "md5",
  "bakong_hash",
  "from_account",
  "paid_at",
  "refunded_at",
  "refund_reason",
  "flagged_at",
  "flag_reason",
  "recorded_by",
] as const;

function paymentCsvLine(r: AdminPaymentRow) {
  return [
    iso(r.createdAt),
    r.tenant.slug,
    r.invoice?.number,
    r.method,
    r.status,
    minorToDecimal(r.amount, r.currency),
    String(r.amount),
    r.currency,
    r.reference,
    r.md5,
    r.bakongHash,
    r.fromAccountId,
    iso(r.paidAt),
    iso(r.refundedAt),
    r.refundReason,
    iso(r.flaggedAt),
    r.flagReason,
    r.recordedBy,
  ];
}
