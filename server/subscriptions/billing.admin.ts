import "server-only";
import { lockRow } from "@/server/core/locks";
import type { z } from "zod";
import { platformDb } from "@/server/db/platform-db";
import type { DbTx } from "@/server/db/tenant-db";
import type { OutboundMessage, Payment, Plan, Prisma, SubscriptionInvoice } from "@/server/db/generated/client";
import { AppError } from "@/server/core/errors";
import { AuditLogger } from "@/server/audit/audit-logger";
import { systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import { recordManualPayment, transitionPayment } from "@/server/payments/settlement";
import { CSV_BOM, csvLine, dayIn, toByteStream } from "@/server/audit/audit-query";
import { isPlanFeature, parsePlanLimits, type PlanFeature, type PlanLimits } from "@/lib/billing/plans";
import {
  ADMIN_BILLING_TIMEZONE,
  type AdminInvoiceFilters,
  type AdminPaymentFilters,
  type adminInvoicesSchema,
  type adminPaymentsSchema,
  type adminSubscriptionsSchema,
  type markInvoicePaidSchema,
  type refundPaymentSchema,
  type updatePlanSchema,
  type webhookListSchema,
} from "@/lib/schemas/billing";
import { BakongWebhookService, PROVIDER as BAKONG_PROVIDER } from "../payments/bakong-webhook.public";
import { ResendWebhookService, PROVIDER as RESEND_PROVIDER } from "../notifications/resend-webhook.public";

// The admin console's billing views (platform handle): the plan catalog, every tenant's
// subscription, invoices and payments (lists, filters, CSV), recording cash / bank transfers,
// refunds and the webhook inbox. Money moves only through the settlement module's one
// transition function; this service adds the admin's checks, locks and audit rows.

export interface AdminActor {
  userId: string;
  email: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AdminPlanRow {
  id: string;
  code: string;
  name: string;
  tier: number;
  priceMonthlyUsd: number;
  priceYearlyUsd: number;
  priceMonthlyKhr: number;
  priceYearlyKhr: number;
  trialDays: number;
  graceDays: number;
  isPublic: boolean;
  features: PlanFeature[];
  limits: PlanLimits;
  subscriptions: number;
  updatedAt: Date;
}

export interface AdminSubscriptionRow {
  id: string;
  tenant: { id: string; slug: string; name: string };
  plan: { code: string; name: string };
  pendingPlan: { code: string; name: string; interval: "month" | "year" } | null;
  status: "trialing" | "active" | "past_due" | "suspended" | "canceled";
  interval: "month" | "year";
  currency: string;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  trialEndsAt: Date | null;
  pastDueAt: Date | null;
  graceEndsAt: Date | null;
  suspendedAt: Date | null;
  canceledAt: Date | null;
}

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

export interface AdminWebhookRow {
  id: string;
  provider: string;
  idempotencyKey: string;
  status: "received" | "processed" | "ignored" | "needs_review" | "failed";
  signatureValid: boolean;
  attempts: number;
  lastError: string | null;
  receivedAt: Date;
  processedAt: Date | null;
  tenant: { id: string; slug: string } | null;
  paymentId: string | null;
  /** the inbox can run processing again (Bakong events) */
  replayable: boolean;
}

export interface AdminWebhookDetail extends AdminWebhookRow {
  headers: Record<string, string>;
  /** the raw body, pretty-printed when it is JSON */
  body: string;
  bodyIsJson: boolean;
  payment: {
    id: string;
    status: AdminPaymentRow["status"];
    method: AdminPaymentRow["method"];
    amount: number;
    currency: string;
    md5: string | null;
    flagReason: string | null;
    invoiceNumber: string | null;
  } | null;
  /** Resend events: the message the event's `email_id` names (what the webhook service matched), if any */
  message: {
    id: string;
    key: string;
    to: string;
    status: OutboundMessage["status"];
    subject: string | null;
    sentAt: Date | null;
    tenant: { slug: string; name: string } | null;
  } | null;
  tenantName: string | null;
}

/** Rows per CSV batch: one query and one chunk of text at a time. */
export const BILLING_CSV_BATCH = 1_000;

/** Tenants whose slug or name matches (for the list searches); bounded, the search is a filter, not a report. */
const TENANT_MATCH_LIMIT = 1_000;

/** The first instant of a calendar day in `timezone` (plus `plusDays`), as a UTC Date. */
export function zonedDayStart(day: string, timezone: string, plusDays = 0): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d + plusDays);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(guess))
      .map((p) => [p.type, p.value]),
  );
  const asIfUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return new Date(guess - (asIfUtc - guess));
}

function dayRange(from: string | undefined, to: string | undefined): { gte?: Date; lt?: Date } | undefined {
  if (!from && !to) return undefined;
  return {
    ...(from ? { gte: zonedDayStart(from, ADMIN_BILLING_TIMEZONE) } : {}),
    ...(to ? { lt: zonedDayStart(to, ADMIN_BILLING_TIMEZONE, 1) } : {}),
  };
}

async function matchingTenantIds(tx: DbTx, search: string): Promise<string[]> {
  const rows = await tx.tenant.findMany({
    where: { OR: [{ slug: { contains: search, mode: "insensitive" } }, { name: { contains: search, mode: "insensitive" } }] },
    select: { id: true },
    take: TENANT_MATCH_LIMIT,
  });
  return rows.map((r) => r.id);
}

async function tenantSlugs(tx: DbTx, ids: string[]): Promise<Map<string, { slug: string; name: string }>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx.tenant.findMany({ where: { id: { in: unique } }, select: { id: true, slug: true, name: true } });
  return new Map(rows.map((r) => [r.id, { slug: r.slug, name: r.name }]));
}

function planRow(p: Plan & { _count: { subscriptions: number } }): AdminPlanRow {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    tier: p.tier,
    priceMonthlyUsd: p.priceMonthlyUsd,
    priceYearlyUsd: p.priceYearlyUsd,
    priceMonthlyKhr: p.priceMonthlyKhr,
    priceYearlyKhr: p.priceYearlyKhr,
    trialDays: p.trialDays,
    graceDays: p.graceDays,
    isPublic: p.isPublic,
    features: p.features.filter(isPlanFeature),
    limits: parsePlanLimits(p.limits),
    subscriptions: p._count.subscriptions,
    updatedAt: p.updatedAt,
  };
}

/** What an admin can edit on a plan, for before/after audit rows and "no change" checks. */
function editable(p: Pick<Plan, keyof Omit<z.output<typeof updatePlanSchema>, "planId">>) {
  return {
    name: p.name,
    priceMonthlyUsd: p.priceMonthlyUsd,
    priceYearlyUsd: p.priceYearlyUsd,
    priceMonthlyKhr: p.priceMonthlyKhr,
    priceYearlyKhr: p.priceYearlyKhr,
    trialDays: p.trialDays,
    graceDays: p.graceDays,
    isPublic: p.isPublic,
    features: [...p.features].sort(),
    limits: parsePlanLimits(p.limits),
  };
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
    kind: r.kind,
    planName: r.planName,
    interval: r.interval,
    periodStart: r.periodStart,
    periodEnd: r.periodEnd,
    amount: r.amount,
    currency: r.currency,
    status: r.status,
    issuedAt: r.issuedAt,
    dueAt: r.dueAt,
    paidAt: r.paidAt,
    voidedAt: r.voidedAt,
    settledBy: p ? { id: p.id, method: p.method, status: p.status, reference: p.reference } : null,
  };
}

type PaymentWithInvoice = Payment & { invoice: { id: string; number: string } | null };

function paymentRow(r: PaymentWithInvoice, tenants: Map<string, { slug: string }>, users: Map<string, string>): AdminPaymentRow {
  return {
    id: r.id,
    tenant: { id: r.tenantId, slug: tenants.get(r.tenantId)?.slug ?? r.tenantId },
    invoice: r.invoice,
    method: r.method,
    status: r.status,
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

// the settling payment is the one paid at the invoice's paidAt (settlement sets both in one
// transaction); a flagged extra transfer (double scan, stale amount) is paid but settles nothing
const settlingPayments = {
  where: { status: { in: ["paid", "refunded"] } },
  orderBy: [{ paidAt: "asc" }, { id: "asc" }],
  select: { id: true, method: true, status: true, reference: true, paidAt: true },
} satisfies Prisma.SubscriptionInvoice$paymentsArgs;

const invoiceOrder = (dir: "asc" | "desc") =>
  [{ issuedAt: dir }, { id: dir }] satisfies Prisma.SubscriptionInvoiceOrderByWithRelationInput[];
const paymentOrder = (dir: "asc" | "desc") => [{ createdAt: dir }, { id: dir }] satisfies Prisma.PaymentOrderByWithRelationInput[];

/** A minor-unit amount as a plain decimal for spreadsheets (USD 4900 → "49.00", KHR 200000 → "200000"). */
export function majorAmount(amount: number, currency: string): string {
  return currency === "KHR" ? String(amount) : (amount / 100).toFixed(2);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export class AdminBillingService {
  constructor(
    private readonly admin: AdminActor,
    private readonly meta: RequestMeta,
    private readonly clock: Clock = systemClock,
  ) {}

  // ── plans ──

  async plans(): Promise<AdminPlanRow[]> {
    const rows = await platformDb.run((tx) =>
      tx.plan.findMany({ orderBy: [{ tier: "asc" }, { code: "asc" }], include: { _count: { select: { subscriptions: true } } } }),
    );
    return rows.map(planRow);
  }

  /**
   * Edits a plan. Invoices already issued keep their amounts (they copied them when issued);
   * new invoices, renewals included, use the new prices.
   */
  async updatePlan(input: z.output<typeof updatePlanSchema>): Promise<AdminPlanRow> {
    return platformDb.run(async (tx) => {
      await lockRow(tx, "Plan", input.planId);
      const plan = await tx.plan.findUnique({ where: { id: input.planId } });
      if (!plan) throw new AppError("NOT_FOUND", "errors.notFound");
      const { planId: _planId, ...fields } = input;
      const before = editable(plan);
      const after = editable({ ...fields, features: [...new Set(fields.features)], limits: fields.limits });
      if (JSON.stringify(before) === JSON.stringify(after)) throw new AppError("INVALID_STATE", "errors.noChange");
      const updated = await tx.plan.update({
        where: { id: plan.id },
        data: { ...fields, features: after.features, limits: after.limits },
        include: { _count: { select: { subscriptions: true } } },
      });
      await new AuditLogger(this.meta).log(tx, null, {
        action: "admin.plan.updated",
        actorUserId: this.admin.userId,
        actorEmail: this.admin.email,
        targetType: "plan",
        targetId: plan.id,
        metadata: { code: plan.code, before, after },
      });
      return planRow(updated);
    });
  }

  // ── subscriptions ──

  async subscriptions(input: z.output<typeof adminSubscriptionsSchema>): Promise<Page<AdminSubscriptionRow>> {
    return platformDb.run(async (tx) => {
      const rows = await tx.subscription.findMany({
        where: {
          status: input.status,
          ...(input.search
            ? {
                tenant: {
                  OR: [
                    { slug: { contains: input.search, mode: "insensitive" } },
                    { name: { contains: input.search, mode: "insensitive" } },
                  ],
                },
              }
            : {}),
        },
        include: { tenant: { select: { id: true, slug: true, name: true } }, plan: { select: { code: true, name: true } } },
        // by default the periods that end soonest first: the ones an operator watches
        orderBy: [{ currentPeriodEnd: input.sort }, { id: input.sort }],
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      });
      const page = rows.slice(0, input.limit);
      const pendingIds = [...new Set(page.map((r) => r.pendingPlanId).filter((id): id is string => id !== null))];
      const pending = new Map(
        (pendingIds.length
          ? await tx.plan.findMany({ where: { id: { in: pendingIds } }, select: { id: true, code: true, name: true } })
          : []
        ).map((p) => [p.id, p]),
      );
      return {
        items: page.map((r) => {
          const p = r.pendingPlanId ? pending.get(r.pendingPlanId) : undefined;
          return {
            id: r.id,
            tenant: r.tenant,
            plan: r.plan,
            pendingPlan: p ? { code: p.code, name: p.name, interval: r.pendingInterval ?? r.interval } : null,
            status: r.status,
            interval: r.interval,
            currency: r.currency,
            currentPeriodStart: r.currentPeriodStart,
            currentPeriodEnd: r.currentPeriodEnd,
            trialEndsAt: r.trialEndsAt,
            pastDueAt: r.pastDueAt,
            graceEndsAt: r.graceEndsAt,
            suspendedAt: r.suspendedAt,
            canceledAt: r.canceledAt,
          };
        }),
        nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    });
  }

  // ── invoices ──

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
    return platformDb.run(async (tx) => {
      const rows = await tx.subscriptionInvoice.findMany({
        where: await this.invoiceWhere(tx, input),
        include: { payments: settlingPayments },
        orderBy: invoiceOrder(input.sort),
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      });
      const page = rows.slice(0, input.limit);
      const tenants = await tenantSlugs(
        tx,
        page.map((r) => r.tenantId),
      );
      return {
        items: page.map((r) => invoiceRow(r, tenants)),
        nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
      };
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

  // ── payments ──

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

  async payments(input: z.output<typeof adminPaymentsSchema>): Promise<Page<AdminPaymentRow>> {
    return platformDb.run(async (tx) => {
      const rows = await tx.payment.findMany({
        where: await this.paymentWhere(tx, input),
        include: { invoice: { select: { id: true, number: true } } },
        orderBy: paymentOrder(input.sort),
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      });
      const page = rows.slice(0, input.limit);
      return {
        items: await this.paymentRows(tx, page),
        nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    });
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

  // ── webhook inbox ──

  async webhooks(input: z.output<typeof webhookListSchema>): Promise<Page<AdminWebhookRow>> {
    return platformDb.run(async (tx) => {
      const rows = await tx.webhookEvent.findMany({
        where: { provider: input.provider, status: input.status },
        omit: { rawBody: true, headers: true },
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      });
      const page = rows.slice(0, input.limit);
      const tenants = await tenantSlugs(
        tx,
        page.map((r) => r.tenantId).filter((id): id is string => id !== null),
      );
      return {
        items: page.map((r) => webhookRow(r, tenants)),
        nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    });
  }

  async webhook(webhookEventId: string): Promise<AdminWebhookDetail> {
    return platformDb.run(async (tx) => {
      const e = await tx.webhookEvent.findUnique({ where: { id: webhookEventId } });
      if (!e) throw new AppError("NOT_FOUND", "errors.notFound");
      // a Resend event names its message by the provider's id (as the webhook service looks it up)
      const emailId = e.provider === RESEND_PROVIDER ? resendEmailId(e.rawBody) : null;
      const message = emailId
        ? await tx.outboundMessage.findUnique({
            where: { providerId: emailId },
            select: { id: true, tenantId: true, key: true, to: true, status: true, subject: true, sentAt: true },
          })
        : null;
      const tenants = await tenantSlugs(
        tx,
        [e.tenantId, message?.tenantId].filter((id): id is string => Boolean(id)),
      );
      const payment = e.paymentId
        ? await tx.payment.findUnique({ where: { id: e.paymentId }, include: { invoice: { select: { number: true } } } })
        : null;
      let body = e.rawBody;
      let bodyIsJson = false;
      try {
        body = JSON.stringify(JSON.parse(e.rawBody), null, 2);
        bodyIsJson = true;
      } catch {
        bodyIsJson = false;
      }
      const headers: Record<string, string> = {};
      if (e.headers && typeof e.headers === "object" && !Array.isArray(e.headers)) {
        for (const [k, v] of Object.entries(e.headers)) headers[k] = typeof v === "string" ? v : JSON.stringify(v);
      }
      return {
        ...webhookRow(e, tenants),
        headers,
        body,
        bodyIsJson,
        tenantName: e.tenantId ? (tenants.get(e.tenantId)?.name ?? null) : null,
        payment: payment
          ? {
              id: payment.id,
              status: payment.status,
              method: payment.method,
              amount: payment.amount,
              currency: payment.currency,
              md5: payment.md5,
              flagReason: payment.flagReason,
              invoiceNumber: payment.invoice?.number ?? null,
            }
          : null,
        message: message
          ? {
              id: message.id,
              key: message.key,
              to: message.to,
              status: message.status,
              subject: message.subject,
              sentAt: message.sentAt,
              tenant: tenants.get(message.tenantId) ?? null,
            }
          : null,
      };
    });
  }

  /**
   * Runs a stored Bakong event through processing again (the webhook service audits it as
   * `admin.webhook.replayed`). Idempotent: a processed event stays processed; a flagged one is
   * checked again and stays flagged unless the facts changed; a failed one is re-processed.
   */
  async replayWebhook(webhookEventId: string) {
    const found = await platformDb.run((tx) => tx.webhookEvent.findUnique({ where: { id: webhookEventId }, select: { provider: true } }));
    if (!found) throw new AppError("NOT_FOUND", "errors.notFound");
    // each provider's own service re-processes its events
    const service =
      found.provider === BAKONG_PROVIDER
        ? new BakongWebhookService(this.clock)
        : found.provider === RESEND_PROVIDER
          ? new ResendWebhookService(this.clock)
          : null;
    if (!service) throw new AppError("INVALID_STATE", "adminBilling.errors.replayUnsupported", { provider: found.provider });
    const result = await service.replay(webhookEventId, this.admin, this.meta);
    if (result.status === 404) throw new AppError("NOT_FOUND", "errors.notFound");
    const after = await platformDb.run((tx) =>
      tx.webhookEvent.findUniqueOrThrow({ where: { id: webhookEventId }, select: { status: true, attempts: true, lastError: true } }),
    );
    return {
      webhookEventId,
      ...after,
      httpStatus: result.status,
      result: JSON.parse(JSON.stringify(result.body)) as Record<string, unknown>,
    };
  }

  // ── CSV exports ──

  /** Every matching invoice up to `asOf`, as CSV text in keyset batches (one batch in memory at a time). */
  async *invoiceCsv(filters: AdminInvoiceFilters, opts: { asOf?: Date; batchSize?: number } = {}): AsyncGenerator<string, void, undefined> {
    const asOf = opts.asOf ?? this.clock();
    const batchSize = opts.batchSize ?? BILLING_CSV_BATCH;
    yield (
      CSV_BOM +
      csvLine([
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
      ])
    );
    let cursor: string | undefined;
    for (;;) {
      const { text, count, last } = await platformDb.run(async (tx) => {
        const rows = await tx.subscriptionInvoice.findMany({
          where: await this.invoiceWhere(tx, filters, asOf),
          include: { payments: settlingPayments },
          orderBy: invoiceOrder(filters.sort),
          take: batchSize,
          ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
        });
        const tenants = await tenantSlugs(
          tx,
          rows.map((r) => r.tenantId),
        );
        let text = "";
        for (const r of rows.map((x) => invoiceRow(x, tenants))) {
          text += csvLine([
            r.number,
            r.tenant.slug,
            r.status,
            r.kind,
            r.planName,
            r.interval,
            iso(r.periodStart),
            iso(r.periodEnd),
            majorAmount(r.amount, r.currency),
            String(r.amount),
            r.currency,
            iso(r.issuedAt),
            iso(r.dueAt),
            iso(r.paidAt),
            iso(r.voidedAt),
            r.settledBy?.method,
            r.settledBy?.reference,
          ]);
        }
        return { text, count: rows.length, last: rows[rows.length - 1]?.id };
      });
      if (count > 0) yield text;
      if (count < batchSize || !last) return;
      cursor = last;
    }
  }

  async *paymentCsv(filters: AdminPaymentFilters, opts: { asOf?: Date; batchSize?: number } = {}): AsyncGenerator<string, void, undefined> {
    const asOf = opts.asOf ?? this.clock();
    const batchSize = opts.batchSize ?? BILLING_CSV_BATCH;
    yield (
      CSV_BOM +
      csvLine([
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
      ])
    );
    let cursor: string | undefined;
    for (;;) {
      const { text, count, last } = await platformDb.run(async (tx) => {
        const rows = await tx.payment.findMany({
          where: await this.paymentWhere(tx, filters, asOf),
          include: { invoice: { select: { id: true, number: true } } },
          orderBy: paymentOrder(filters.sort),
          take: batchSize,
          ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
        });
        let text = "";
        for (const r of await this.paymentRows(tx, rows)) {
          text += csvLine([
            iso(r.createdAt),
            r.tenant.slug,
            r.invoice?.number,
            r.method,
            r.status,
            majorAmount(r.amount, r.currency),
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
          ]);
        }
        return { text, count: rows.length, last: rows[rows.length - 1]?.id };
      });
      if (count > 0) yield text;
      if (count < batchSize || !last) return;
      cursor = last;
    }
  }

  /** The invoices CSV as a download (file name in the console's time zone). */
  /** Records the export (who, which filters, as of when), then streams the file as of that moment. */
  async exportInvoices(filters: AdminInvoiceFilters): Promise<{ filename: string; stream: ReadableStream<Uint8Array> }> {
    const asOf = this.clock();
    await this.auditExport("invoices", filters, asOf);
    return {
      filename: `invoices-${dayIn(asOf, ADMIN_BILLING_TIMEZONE)}.csv`,
      stream: toByteStream(this.invoiceCsv(filters, { asOf }), { export: "invoices", requestId: this.meta.requestId }),
    };
  }

  /** Records the export (who, which filters, as of when), then streams the file as of that moment. */
  async exportPayments(filters: AdminPaymentFilters): Promise<{ filename: string; stream: ReadableStream<Uint8Array> }> {
    const asOf = this.clock();
    await this.auditExport("payments", filters, asOf);
    return {
      filename: `payments-${dayIn(asOf, ADMIN_BILLING_TIMEZONE)}.csv`,
      stream: toByteStream(this.paymentCsv(filters, { asOf }), { export: "payments", requestId: this.meta.requestId }),
    };
  }

  private async auditExport(kind: "invoices" | "payments", filters: object, asOf: Date): Promise<void> {
    await platformDb.run((tx) =>
      new AuditLogger(this.meta).log(tx, null, {
        action: "admin.billing.exported",
        actorUserId: this.admin.userId,
        actorEmail: this.admin.email,
        targetType: kind,
        metadata: { filters: JSON.parse(JSON.stringify(filters)), asOf: asOf.toISOString() },
      }),
    );
  }
}

/** `data.email_id` of a stored Resend event body, or null (not JSON, or no id). */
function resendEmailId(rawBody: string): string | null {
  try {
    const body: unknown = JSON.parse(rawBody);
    const id = (body as { data?: { email_id?: unknown } } | null)?.data?.email_id;
    return typeof id === "string" && id.length > 0 && id.length <= 200 ? id : null;
  } catch {
    return null;
  }
}

function webhookRow(
  r: Pick<
    AdminWebhookRow,
    | "id"
    | "provider"
    | "idempotencyKey"
    | "status"
    | "signatureValid"
    | "attempts"
    | "lastError"
    | "receivedAt"
    | "processedAt"
    | "paymentId"
  > & { tenantId: string | null },
  tenants: Map<string, { slug: string }>,
): AdminWebhookRow {
  return {
    id: r.id,
    provider: r.provider,
    idempotencyKey: r.idempotencyKey,
    status: r.status,
    signatureValid: r.signatureValid,
    attempts: r.attempts,
    lastError: r.lastError,
    receivedAt: r.receivedAt,
    processedAt: r.processedAt,
    tenant: r.tenantId ? { id: r.tenantId, slug: tenants.get(r.tenantId)?.slug ?? r.tenantId } : null,
    paymentId: r.paymentId,
    // a delivery refused for its signature was never processed: nothing to replay
    replayable: (r.provider === BAKONG_PROVIDER || r.provider === RESEND_PROVIDER) && r.signatureValid,
  };
}
