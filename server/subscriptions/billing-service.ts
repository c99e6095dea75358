import "server-only";
import { lockRow } from "@/server/core/locks";
import type { z } from "zod";
import { AppError } from "@/server/core/errors";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { TenantContext } from "@/server/core/tenant-context";
import type { DbTx } from "@/server/db/tenant-db";
import type { Plan, Subscription, SubscriptionInvoice } from "@/server/db/generated/client";
import { systemClock, type Clock } from "@/server/core/request-meta";
import { bakongConfig } from "@/server/payments/bakong-config";
import { logSubscriptionChange } from "@/server/subscriptions/status-log";
import { parsePlanLimits, planPrice, type BillingCurrency, type PlanLimit } from "@/lib/billing/plans";
import { decidePlanChange } from "@/lib/billing/plan-change";
import type { changePlanSchema, listInvoicesSchema } from "@/lib/schemas/billing";
import { PlanGate, overLimits, type PlanUsage } from "./plan-gate";
import { issueSubscriptionInvoice, planLine, voidOpenInvoices } from "@/server/subscriptions/subscription-invoices";
import { periodEnd, proratedAmount } from "@/server/subscriptions/periods";
import { repriceOpenRenewal, ensureSubscription } from "@/server/subscriptions/subscriptions";
import { asEnumValue, BILLING_INTERVAL_VALUES, SUBSCRIPTION_STATUS_VALUES, withEnums, PAYMENT_METHOD_VALUES } from "@/lib/enums";

export interface PlanOption {
  code: string;
  name: string;
  tier: number;
  prices: { month: Record<BillingCurrency, number>; year: Record<BillingCurrency, number> };
  trialDays: number;
  features: string[];
  limits: Record<PlanLimit, number | null>;
}

export class BillingService {
  constructor(
    private readonly ctx: TenantContext,
    private readonly clock: Clock = systemClock,
  ) {}

  private gate(): PlanGate {
    return new PlanGate(this.ctx, this.clock);
  }

  async overview() {
    const now = this.clock();
    return this.ctx.db.run(async (tx) => {
      const sub = await ensureSubscription(tx, this.ctx.tenantId, now);
      const [usage, plans, openInvoices, pendingPlan] = await Promise.all([
        this.gate().usage(tx),
        tx.plan.findMany({ where: { OR: [{ isPublic: true }, { id: sub.planId }] }, orderBy: { tier: "asc" } }),
        tx.subscriptionInvoice.findMany({ where: { status: "open" }, orderBy: { issuedAt: "desc" } }),
        sub.pendingPlanId ? tx.plan.findUnique({ where: { id: sub.pendingPlanId } }) : null,
      ]);
      const plan = plans.find((p) => p.id === sub.planId)!;
      return {
        subscription: {
          id: sub.id,
          status: asEnumValue(SUBSCRIPTION_STATUS_VALUES, sub.status),
          interval: asEnumValue(BILLING_INTERVAL_VALUES, sub.interval),
          currency: sub.currency,
          trialEndsAt: sub.trialEndsAt,
          currentPeriodStart: sub.currentPeriodStart,
          currentPeriodEnd: sub.currentPeriodEnd,
          graceEndsAt: sub.graceEndsAt,
          suspendedAt: sub.suspendedAt,
          pendingPlan: pendingPlan
            ? {
                code: pendingPlan.code,
                name: pendingPlan.name,
                interval: asEnumValue(BILLING_INTERVAL_VALUES, sub.pendingInterval ?? sub.interval),
              }
            : null,
        },
        plan: {
          code: plan.code,
          name: plan.name,
          tier: plan.tier,
          features: plan.features,
          limits: parsePlanLimits(plan.limits),
          prices: planOption(plan).prices,
        },
        usage,
        plans: plans.filter((p) => p.isPublic).map(planOption),
        openInvoices: openInvoices.map(invoiceRow),
        readOnly: this.ctx.plan.readOnly,
        khqrAvailable: bakongConfig().apiBaseUrl !== null,
        simulator: bakongConfig().simulator,
      };
    });
  }

  async listInvoices(input: z.output<typeof listInvoicesSchema>) {
    const rows = await this.ctx.db.run((tx) =>
      tx.subscriptionInvoice.findMany({
        orderBy: [{ issuedAt: "desc" }, { id: "desc" }],
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
        include: {
          payments: { where: { status: { in: ["paid", "refunded"] } }, select: { id: true, method: true, paidAt: true, status: true } },
        },
      }),
    );
    const page = rows.slice(0, input.limit);
    return {
      items: page.map((r) => ({ ...invoiceRow(r), payments: r.payments })),
      nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null,
    };
  }

  /**
   * Chooses a plan. Bigger plan: an invoice now (prorated for the rest of a paid period); it
   * takes effect the moment it is paid. Smaller plan or another interval during a paid period:
   * scheduled for the period end, refused while usage exceeds the smaller plan's limits.
   */
  async changePlan(input: z.output<typeof changePlanSchema>) {
    const now = this.clock();
    const audit = tenantAudit(this.ctx);
    return this.ctx.db.run(async (tx) => {
      const sub = await lockedSubscription(tx, this.ctx.tenantId, now);
      const [current, target] = await Promise.all([
        tx.plan.findUniqueOrThrow({ where: { id: sub.planId } }),
        tx.plan.findFirst({ where: { code: input.planCode, isPublic: true } }),
      ]);
      if (!target) throw new AppError("NOT_FOUND", "errors.notFound");
      const currency: BillingCurrency = input.currency ?? (sub.currency === "KHR" ? "KHR" : "USD");
      const subCurrency: BillingCurrency = sub.currency === "KHR" ? "KHR" : "USD";
      const action = decidePlanChange(
        {
          status: asEnumValue(SUBSCRIPTION_STATUS_VALUES, sub.status),
          interval: asEnumValue(BILLING_INTERVAL_VALUES, sub.interval),
          currency: subCurrency,
          current,
        },
        target,
        input.interval,
        currency,
      );
      const lapsed = action === "switch_now";

      if (action === "current") {
        if (sub.pendingPlanId) return this.cancelPending(tx, sub, audit);
        throw new AppError("CONFLICT", "billing.errors.samePlan");
      }

      if (action === "schedule" || action === "switch_now") {
        const over = overLimits(await this.gate().usage(tx), parsePlanLimits(target.limits));
        if (over.length > 0) {
          throw new AppError("LIMIT_EXCEEDED", "billing.errors.downgradeOverLimits", {
            plan: target.name,
            items: over.map((o) => `${o.limit} ${o.used}/${o.max}`).join(", "),
          });
        }
        if (lapsed) {
          // a lapsed workspace that fits the free plan moves to it at once and is writable again;
          // the unpaid invoices are voided (nothing to pay for a plan it no longer has)
          await tx.subscription.update({
            where: { id: sub.id },
            data: {
              planId: target.id,
              interval: input.interval,
              status: "active",
              currentPeriodStart: now,
              currentPeriodEnd: periodEnd(now, input.interval),
              pendingPlanId: null,
              pendingInterval: null,
              pastDueAt: null,
              graceEndsAt: null,
              suspendedAt: null,
              canceledAt: null,
            },
          });
          await voidOpenInvoices(tx, { subscriptionId: sub.id }, now);
          await logSubscriptionChange(
            tx,
            this.ctx.meta,
            this.ctx.tenantId,
            sub.id,
            sub.status,
            "active",
            `free:${now.toISOString()}`,
            { plan: target.code },
            {
              userId: this.ctx.userId,
              email: this.ctx.userEmail,
            },
          );
          return { kind: "switched" as const, effectiveAt: now, invoiceId: null };
        }
        await tx.subscription.update({ where: { id: sub.id }, data: { pendingPlanId: target.id, pendingInterval: input.interval } });
        await repriceOpenRenewal(tx, { ...sub, pendingPlanId: target.id, pendingInterval: input.interval }, now, this.ctx.meta);
        await audit.log(tx, {
          action: "billing.plan.downgrade_scheduled",
          targetType: "subscription",
          targetId: sub.id,
          metadata: { before: current.code, after: target.code, interval: input.interval, effectiveAt: sub.currentPeriodEnd.toISOString() },
        });
        return { kind: "scheduled" as const, effectiveAt: sub.currentPeriodEnd, invoiceId: null };
      }

      // a renewal already waiting for this exact plan (past due, suspended): pay that one
      const waiting = await tx.subscriptionInvoice.findFirst({
        where: { subscriptionId: sub.id, status: "open", kind: "renewal", planId: target.id, interval: input.interval, currency },
        orderBy: { issuedAt: "desc" },
      });
      if (waiting) return { kind: "invoice" as const, invoiceId: waiting.id, effectiveAt: null };

      const targetPrice = planPrice(target, input.interval, currency);
      const upgradeAmount = proratedAmount(
        planPrice(current, asEnumValue(BILLING_INTERVAL_VALUES, sub.interval), currency),
        targetPrice,
        sub.currentPeriodStart,
        sub.currentPeriodEnd,
        now,
      );
      // nothing left of the period to prorate (its end is due, the job has not run yet): a new period
      const prorate = action === "upgrade" && upgradeAmount > 0;
      // the same choice again (a double click, a second tab): the invoice already out, if it still prices it
      const same = await tx.subscriptionInvoice.findFirst({
        where: {
          subscriptionId: sub.id,
          status: "open",
          kind: prorate ? "upgrade" : "plan_change",
          planId: target.id,
          interval: input.interval,
          currency,
          amount: prorate ? upgradeAmount : targetPrice,
          ...(prorate ? { periodEnd: { gt: now } } : {}),
        },
      });
      if (same) return { kind: "invoice" as const, invoiceId: same.id, effectiveAt: null };
      // a previous, unpaid plan choice is replaced by this one (and its QR codes stop working)
      await voidOpenInvoices(tx, { subscriptionId: sub.id, kind: { in: ["plan_change", "upgrade"] } }, now);
      const invoice = prorate
        ? await issueSubscriptionInvoice(tx, {
            sub: { ...sub, currency },
            plan: target,
            kind: "upgrade",
            interval: input.interval,
            periodStart: now,
            periodEnd: sub.currentPeriodEnd,
            amount: upgradeAmount,
            lines: [
              {
                key: "billing.line.upgrade",
                params: { from: current.name, plan: target.name, to: sub.currentPeriodEnd.toISOString() },
                amount: upgradeAmount,
              },
            ],
            dueAt: now,
            now,
          })
        : await issueSubscriptionInvoice(tx, {
            sub: { ...sub, currency },
            plan: target,
            kind: "plan_change",
            interval: input.interval,
            periodStart: now,
            periodEnd: periodEnd(now, input.interval),
            amount: targetPrice,
            lines: [planLine(target, input.interval, targetPrice, now, periodEnd(now, input.interval))],
            dueAt: now,
            now,
          });
      if (!invoice) throw new AppError("CONFLICT", "errors.conflict");
      await audit.log(tx, {
        action: "billing.plan.change_requested",
        targetType: "subscription_invoice",
        targetId: invoice.id,
        metadata: {
          before: current.code,
          after: target.code,
          interval: input.interval,
          amount: invoice.amount,
          currency,
          number: invoice.number,
        },
      });
      return { kind: "invoice" as const, invoiceId: invoice.id, effectiveAt: null };
    });
  }

  async cancelScheduledChange() {
    const now = this.clock();
    const audit = tenantAudit(this.ctx);
    return this.ctx.db.run(async (tx) => {
      const sub = await lockedSubscription(tx, this.ctx.tenantId, now);
      if (!sub.pendingPlanId) throw new AppError("INVALID_STATE", "billing.errors.nothingScheduled");
      return this.cancelPending(tx, sub, audit);
    });
  }

  private async cancelPending(tx: DbTx, sub: Subscription, audit: ReturnType<typeof tenantAudit>) {
    await tx.subscription.update({ where: { id: sub.id }, data: { pendingPlanId: null, pendingInterval: null } });
    await repriceOpenRenewal(tx, { ...sub, pendingPlanId: null, pendingInterval: null }, this.clock(), this.ctx.meta);
    await audit.log(tx, { action: "billing.plan.downgrade_canceled", targetType: "subscription", targetId: sub.id });
    return { kind: "canceled" as const, invoiceId: null, effectiveAt: null };
  }

  /** The numbers and lines of an invoice (and its settling payment) for the PDF. */
  async invoiceDocument(invoiceId: string) {
    return this.ctx.db.run(async (tx) => {
      const invoice = await tx.subscriptionInvoice.findUnique({
        where: { id: invoiceId },
        include: { payments: { where: { status: { in: ["paid", "refunded"] } }, orderBy: { paidAt: "asc" }, take: 1 } },
      });
      if (!invoice) throw new AppError("NOT_FOUND", "errors.notFound");
      const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: this.ctx.tenantId }, select: { name: true, slug: true } });
      const payment = invoice.payments[0];
      return { invoice, payment: payment ? withEnums(payment, { method: PAYMENT_METHOD_VALUES }) : null, tenant };
    });
  }

  entitlements() {
    return this.ctx.db.run((tx) => this.gate().entitlements(tx));
  }

  usage(tx: DbTx): Promise<PlanUsage> {
    return this.gate().usage(tx);
  }
}

async function lockedSubscription(tx: DbTx, tenantId: string, now: Date): Promise<Subscription> {
  const sub = await ensureSubscription(tx, tenantId, now);
  await lockRow(tx, "Subscription", sub.id);
  return tx.subscription.findUniqueOrThrow({ where: { id: sub.id } });
}

function planOption(p: Plan): PlanOption {
  return {
    code: p.code,
    name: p.name,
    tier: p.tier,
    prices: {
      month: { USD: p.priceMonthlyUsd, KHR: p.priceMonthlyKhr },
      year: { USD: p.priceYearlyUsd, KHR: p.priceYearlyKhr },
    },
    trialDays: p.trialDays,
    features: p.features,
    limits: parsePlanLimits(p.limits),
  };
}

export function invoiceRow(i: SubscriptionInvoice) {
  return {
    id: i.id,
    number: i.number,
    kind: i.kind,
    planName: i.planName,
    interval: i.interval,
    periodStart: i.periodStart,
    periodEnd: i.periodEnd,
    amount: i.amount,
    currency: i.currency,
    status: i.status,
    issuedAt: i.issuedAt,
    dueAt: i.dueAt,
    paidAt: i.paidAt,
  };
}
