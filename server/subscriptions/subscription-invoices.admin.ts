import "server-only";
import { lockRow } from "@/server/core/locks";
import type { z } from "zod";
import { platformDb } from "@/server/db/platform-db";
import type { DbTx } from "@/server/db/tenant-db";
import { Prisma, type Payment, type SubscriptionInvoice } from "@/server/db/generated/client";
import { afterCursor, decodeOptionalCursor, keysetOrder, pageOf, type KeysetSpec } from "@/server/core/keyset";
import { escapeLike } from "@/server/audit/audit-query";
import { AppError } from "@/server/core/errors";
import { recordManualPayment } from "@/server/payments/settlement";
import type { AdminInvoiceFilters, adminInvoicesSchema, markInvoicePaidSchema } from "@/lib/schemas/billing";
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
} from "./billing-console.admin";
import { minorToDecimal } from "@/lib/money";
import {
  asEnumValue,
  BILLING_INTERVAL_VALUES,
  INVOICE_KIND_VALUES,
  PAYMENT_METHOD_VALUES,
  SUBSCRIPTION_INVOICE_STATUS_VALUES,
} from "@/lib/enums";

// The console's subscription invoices: list and filters, CSV export, and recording a cash or
// bank-transfer payment ("mark paid") through the settlement module.

export interface AdminInvoiceRow {
  id: string;
  number: string;
  tenant: { id: string; slug: string };
  kind: "renewal" | "plan_change" | "upgrade";
  planName: string;
  interval: "month" | "year";
  periodStart: Date;
  periodEnd: Date;
  amount: number;
  currency: string;
  status: "open" | "paid" | "void";
  issuedAt: Date;
  dueAt: Date;
  paidAt: Date | null;
  voidedAt: Date | null;
  /** the payment that settled it (paid, or refunded since) */
  settledBy: { id: string; method: "khqr" | "cash" | "bank_transfer"; status: string; reference: string | null } | null;
}

type InvoiceWithPayments = SubscriptionInvoice & {
  payments: Pick<Payment, "id" | "method" | "status" | "reference" | "paidAt">[];
};

function invoiceRow(r: InvoiceWithPayments, tenants: Map<string, { slug: string }>): AdminInvoiceRow {
  const p = r.status === "paid" && r.paidAt ? r.payments.find((x) => x.paidAt?.getTime() === r.paidAt!.getTime()) : undefined;
  return {
    id: r.id,
    number: r.number,
    tenant: { id: r.tenantId, slug: tenants.get(r.tenantId)?.slug ?? r.tenantId },
    kind: asEnumValue(INVOICE_KIND_VALUES, r.kind),
    planName: r.planName,
    interval: asEnumValue(BILLING_INTERVAL_VALUES, r.interval),
    periodStart: r.periodStart,
    periodEnd: r.periodEnd,
    amount: r.amount,
    currency: r.currency,
    status: asEnumValue(SUBSCRIPTION_INVOICE_STATUS_VALUES, r.status),
    issuedAt: r.issuedAt,
    dueAt: r.dueAt,
    paidAt: r.paidAt,
    voidedAt: r.voidedAt,
    settledBy: p ? { id: p.id, method: asEnumValue(PAYMENT_METHOD_VALUES, p.method), status: p.status, reference: p.reference } : null,
  };
}

// the settling payment is the one paid at the invoice's paidAt (settlement sets both in one
// transaction); a flagged extra transfer (double scan, stale amount) is paid but settles nothing
const settlingPayments = {
  where: { status: { in: ["paid", "refunded"] } },
  orderBy: [{ paidAt: "asc" }, { id: "asc" }],
  select: { id: true, method: true, status: true, reference: true, paidAt: true },
} satisfies Prisma.SubscriptionInvoice$paymentsArgs;

const invoiceOrder = (dir: "asc" | "desc") =>
  [{ issuedAt: dir }, { id: dir }] satisfies Prisma.SubscriptionInvoiceOrderByWithRelationInput[];

export class AdminInvoiceService extends BillingConsoleService {
  private async invoiceWhere(tx: DbTx, f: AdminInvoiceFilters, asOf?: Date): Promise<Prisma.SubscriptionInvoiceWhereInput> {
    const and: Prisma.SubscriptionInvoiceWhereInput[] = [];
    if (f.status) and.push({ status: f.status });
    const range = dayRange(f.from, f.to);
    if (range) and.push({ issuedAt: range });
    if (asOf) and.push({ createdAt: { lte: asOf } });
    if (f.search) {
      const tenantIds = await matchingTenantIds(tx, f.search);
      and.push({
        OR: [{ number: { contains: f.search, mode: "insensitive" } }, ...(tenantIds.length ? [{ tenantId: { in: tenantIds } }] : [])],
      });
    }
    return { AND: and };
  }

  async invoices(input: z.output<typeof adminInvoicesSchema>): Promise<Page<AdminInvoiceRow>> {
    // keyset on (issuedAt, id) on the indexes ([status,] issuedAt, id); then the page's rows by id
    const spec: KeysetSpec = { tag: "admin.invoices", kinds: ["timestamp"], desc: input.sort !== "asc" };
    const after = decodeOptionalCursor(spec, input.cursor);
    return platformDb.run(async (tx) => {
      const c: Prisma.Sql[] = [Prisma.sql`TRUE`];
      if (input.status) c.push(Prisma.sql`i.status = ${input.status}`);
      const range = dayRange(input.from, input.to);
      if (range?.gte) c.push(Prisma.sql`i."issuedAt" >= (${range.gte.toISOString()}::timestamptz AT TIME ZONE 'UTC')`);
      if (range?.lt) c.push(Prisma.sql`i."issuedAt" < (${range.lt.toISOString()}::timestamptz AT TIME ZONE 'UTC')`);
      if (input.search) {
        const tenantIds = await matchingTenantIds(tx, input.search);
        c.push(Prisma.sql`(i.number ILIKE ${`%${escapeLike(input.search)}%`}
          ${tenantIds.length ? Prisma.sql`OR i."tenantId" = ANY(${tenantIds}::uuid[])` : Prisma.empty})`);
      }
      if (after) c.push(afterCursor(spec, [Prisma.sql`i."issuedAt"`], Prisma.sql`i.id`, after));
      const keys = await keysetRows<{ id: string; issuedAt: Date }>(
        tx,
        Prisma.sql`
        SELECT i.id::text AS "id", i."issuedAt" FROM "SubscriptionInvoice" i
        WHERE ${Prisma.join(c, " AND ")}
        ORDER BY ${keysetOrder(spec, [Prisma.sql`i."issuedAt"`], Prisma.sql`i.id`)}
        LIMIT ${input.limit + 1}::int`,
      );
      const { rows: pageKeys, nextCursor } = pageOf(spec, keys, input.limit, (r) => ({ keys: [r.issuedAt], id: r.id }));
      const found = pageKeys.length
        ? await tx.subscriptionInvoice.findMany({
            where: { id: { in: pageKeys.map((r) => r.id) } },
            include: { payments: settlingPayments },
          })
        : [];
      const byId = new Map(found.map((r) => [r.id, r]));
      const page = pageKeys.map((k) => byId.get(k.id)).filter((r) => r !== undefined);
      const tenants = await tenantSlugs(
        tx,
        page.map((r) => r.tenantId),
      );
      return { items: page.map((r) => invoiceRow(r, tenants)), nextCursor };
    });
  }

  /**
   * Records a cash or bank-transfer payment for an open invoice: the settlement step marks the
   * payment and the invoice paid, extends the subscription and writes the audit row (with this
   * admin as the actor) and the outbox event, all in this transaction.
   */
  async markInvoicePaid(input: z.output<typeof markInvoicePaidSchema>) {
    const now = this.clock();
    return platformDb.run(async (tx) => {
      // lock order subscription → invoice, as every other writer (plan change, billing cycle,
      // settlement); concurrent "mark paid" clicks queue here and the second is refused
      const target = await tx.subscriptionInvoice.findUnique({ where: { id: input.invoiceId }, select: { subscriptionId: true } });
      if (!target) throw new AppError("NOT_FOUND", "errors.notFound");
      await lockRow(tx, "Subscription", target.subscriptionId);
      await lockRow(tx, "SubscriptionInvoice", input.invoiceId);
      const invoice = await tx.subscriptionInvoice.findUnique({ where: { id: input.invoiceId } });
      if (!invoice) throw new AppError("NOT_FOUND", "errors.notFound");
      const payment = await recordManualPayment(tx, invoice, {
        method: input.method,
        reference: input.reference,
        now,
        meta: this.meta,
        actor: { userId: this.admin.userId, email: this.admin.email },
      });
      // a QR still on someone's screen must not take the money a second time
      await tx.payment.updateMany({
        where: { subscriptionInvoiceId: invoice.id, method: "khqr", status: "pending" },
        data: { status: "expired" },
      });
      const sub = await tx.subscription.findUniqueOrThrow({
        where: { id: invoice.subscriptionId },
        select: { status: true, currentPeriodEnd: true },
      });
      return { invoiceId: invoice.id, number: invoice.number, paymentId: payment.id, subscription: sub };
    });
  }

  /** Every matching invoice up to `asOf`, as CSV text in keyset batches (one batch in memory at a time). */
  invoiceCsv(filters: AdminInvoiceFilters, opts: { asOf?: Date; batchSize?: number } = {}): AsyncGenerator<string, void, undefined> {
    const asOf = opts.asOf ?? this.clock();
    return keysetCsv(INVOICE_CSV_HEADER, opts.batchSize ?? BILLING_CSV_BATCH, async (tx, batch) => {
      const rows = await tx.subscriptionInvoice.findMany({
        where: await this.invoiceWhere(tx, filters, asOf),
        include: { payments: settlingPayments },
        orderBy: invoiceOrder(filters.sort),
        ...batch,
      });
      const tenants = await tenantSlugs(
        tx,
        rows.map((r) => r.tenantId),
      );
      return { lines: rows.map((x) => invoiceCsvLine(invoiceRow(x, tenants))), lastId: rows[rows.length - 1]?.id };
    });
  }

  /** The invoices CSV as a download, audited first. */
  exportInvoices(filters: AdminInvoiceFilters): Promise<CsvDownload> {
    return this.csvDownload("invoices", filters, (asOf) => this.invoiceCsv(filters, { asOf }));
  }
}

const INVOICE_CSV_HEADER = [
  "number",
  "tenant",
  "status",
  "kind",
  "plan",
  "interval",
  "period_start",
  "period_end",
  "amount",
  "amount_minor",
  "currency",
  "issued_at",
  "due_at",
  "paid_at",
  "voided_at",
  "payment_method",
  "payment_reference",
] as const;

function invoiceCsvLine(r: AdminInvoiceRow) {
  return [
    r.number,
    r.tenant.slug,
    r.status,
    r.kind,
    r.planName,
    r.interval,
    iso(r.periodStart),
    iso(r.periodEnd),
    minorToDecimal(r.amount, r.currency),
    String(r.amount),
    r.currency,
    iso(r.issuedAt),
    iso(r.dueAt),
    iso(r.paidAt),
    iso(r.voidedAt),
    r.settledBy?.method,
    r.settledBy?.reference,
  ];
}
