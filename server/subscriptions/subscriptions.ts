import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import type { Plan, Subscription, SubscriptionInvoice } from "@/server/db/generated/client";
import { planPrice, TRIAL_PLAN_CODE, DEFAULT_PLANS, type BillingCurrency } from "@/lib/billing/plans";
import { AuditLogger } from "@/server/audit/audit-logger";
import type { RequestMeta } from "@/server/core/request-meta";
import { enqueueEvent } from "@/server/core/outbox";
import { nextPeriodEnd, periodEnd, REMINDER_OFFSETS_DAYS, RENEWAL_LEAD_DAYS } from "./periods";
import { addDays } from "@/lib/dates";
import { issueSubscriptionInvoice, planLine, voidOpenInvoices } from "./subscription-invoices";
import { logSubscriptionChange } from "./status-log";
import { lockRow } from "../core/locks";
import { asEnumValue, BILLING_INTERVAL_VALUES, type BillingInterval } from "@/lib/enums";

// The subscription lifecycle, one idempotent step per function, each on one subscription in the
// caller's transaction. The daily job (server/subscriptions/billing-cycle.jobs.ts) walks
// the subscriptions that are due and calls these; running it twice on a day changes nothing.

function currencyOf(sub: Pick<Subscription, "currency">): BillingCurrency {
  return sub.currency === "KHR" ? "KHR" : "USD";
}

/** Sign-up: a trial of the trial plan (Starter) for its trial days. */
export async function startTrial(tx: DbTx, tenantId: string, now: Date, currency: BillingCurrency = "USD"): Promise<Subscription> {
  const plan = await tx.plan.findUnique({ where: { code: TRIAL_PLAN_CODE } });
  if (!plan) throw new Error(`plan ${TRIAL_PLAN_CODE} is missing: run the seed (plans are created by migrations' seed step)`);
  const end = addDays(now, plan.trialDays);
  return tx.subscription.create({
    data: {
      tenantId,
      planId: plan.id,
      status: plan.trialDays > 0 ? "trialing" : "active",
      currency,
      trialEndsAt: end,
      currentPeriodStart: now,
      currentPeriodEnd: end,
    },
  });
}

/** Workspaces created before billing existed get a free subscription on first use. */
export async function ensureSubscription(tx: DbTx, tenantId: string, now: Date): Promise<Subscription> {
  const found = await tx.subscription.findUnique({ where: { tenantId } });
  if (found) return found;
  const free = await tx.plan.findUnique({ where: { code: DEFAULT_PLANS[0].code } });
  if (!free) throw new Error("the free plan is missing");
  await tx.subscription.createMany({
    data: [{ tenantId, planId: free.id, status: "active", currentPeriodStart: now, currentPeriodEnd: periodEnd(now, "month") }],
    skipDuplicates: true,
  });
  return tx.subscription.findUniqueOrThrow({ where: { tenantId } });
}

/** The plan and interval the next period is billed at (a scheduled downgrade wins). */
export async function nextPeriodPlan(tx: DbTx, sub: Subscription): Promise<{ plan: Plan; interval: BillingInterval }> {
  const plan = await tx.plan.findUniqueOrThrow({ where: { id: sub.pendingPlanId ?? sub.planId } });
  return { plan, interval: asEnumValue(BILLING_INTERVAL_VALUES, sub.pendingInterval ?? sub.interval) };
}

/** The end of the period after the subscription's current one (keeping a 31st's anchor through short months). */
export function followingPeriodEnd(
  sub: Pick<Subscription, "currentPeriodStart" | "currentPeriodEnd" | "interval">,
  interval: BillingInterval,
): Date {
  return nextPeriodEnd(
    { start: sub.currentPeriodStart, end: sub.currentPeriodEnd, interval: asEnumValue(BILLING_INTERVAL_VALUES, sub.interval) },
    interval,
  );
}

/** Renewal invoice for the next period, issued RENEWAL_LEAD_DAYS before the period ends. */
export async function issueRenewalIfDue(tx: DbTx, sub: Subscription, now: Date): Promise<boolean> {
  if (sub.status !== "trialing" && sub.status !== "active") return false;
  if (sub.currentPeriodEnd.getTime() - now.getTime() > RENEWAL_LEAD_DAYS * 86_400_000) return false;
  const { plan, interval } = await nextPeriodPlan(tx, sub);
  const amount = planPrice(plan, interval, currencyOf(sub));
  if (amount === 0) return false; // a free next period needs no invoice; rollPeriod handles it
  const start = sub.currentPeriodEnd;
  const end = followingPeriodEnd(sub, interval);
  const invoice = await issueSubscriptionInvoice(tx, {
    sub,
    plan,
    kind: "renewal",
    interval,
    periodStart: start,
    periodEnd: end,
    amount,
    lines: [planLine(plan, interval, amount, start, end)],
    dueAt: start,
    now,
  });
  return invoice !== null;
}

/** A scheduled downgrade (or its cancellation) re-prices the renewal invoice that is already out. */
export async function repriceOpenRenewal(tx: DbTx, sub: Subscription, now: Date, meta: RequestMeta): Promise<void> {
  const open = await tx.subscriptionInvoice.findFirst({
    where: { subscriptionId: sub.id, kind: "renewal", status: "open", periodStart: sub.currentPeriodEnd },
  });
  if (!open) return;
  const { plan, interval } = await nextPeriodPlan(tx, sub);
  const amount = planPrice(plan, interval, currencyOf(sub));
  if (amount === open.amount && plan.id === open.planId && interval === open.interval) return;
  const end = followingPeriodEnd(sub, interval);
  await tx.subscriptionInvoice.update({
    where: { id: open.id },
    data:
      amount === 0
        ? { status: "void", voidedAt: now }
        : {
            planId: plan.id,
            planName: plan.name,
            interval,
            amount,
            periodEnd: end,
            lines: [{ ...planLine(plan, interval, amount, open.periodStart, end) }],
          },
  });
  // QR codes already shown carry the old amount: they must not be paid
  await tx.payment.updateMany({ where: { subscriptionInvoiceId: open.id, status: "pending" }, data: { status: "expired" } });
  await new AuditLogger(meta).log(tx, sub.tenantId, {
    action: "billing.invoice.repriced",
    actorEmail: "system",
    targetType: "subscription_invoice",
    targetId: open.id,
    metadata: { before: { amount: open.amount, plan: open.planName }, after: { amount, plan: plan.name } },
  });
}

/**
 * Period end with the next period already paid (a renewal at a scheduled plan, paid early): move
 * onto it — plan, interval and dates of that invoice.
 */
export async function startPaidPeriodIfDue(tx: DbTx, sub: Subscription, now: Date, meta: RequestMeta): Promise<boolean> {
  if (sub.status !== "trialing" && sub.status !== "active") return false;
  if (sub.currentPeriodEnd > now) return false;
  const paid = await tx.subscriptionInvoice.findFirst({
    where: { subscriptionId: sub.id, kind: "renewal", status: "paid", periodStart: sub.currentPeriodEnd },
  });
  if (!paid) return false;
  const { count } = await tx.subscription.updateMany({
    where: { id: sub.id, status: sub.status, currentPeriodEnd: sub.currentPeriodEnd },
    data: {
      planId: paid.planId,
      interval: paid.interval,
      currency: paid.currency,
      status: "active",
      currentPeriodStart: paid.periodStart,
      currentPeriodEnd: paid.periodEnd,
      pendingPlanId: null,
      pendingInterval: null,
    },
  });
  if (count === 1)
    await logSubscriptionChange(tx, meta, sub.tenantId, sub.id, sub.status, "active", `period:${paid.id}`, { invoice: paid.number });
  return count === 1;
}

/**
 * Period end. A free next period rolls over; otherwise an unpaid renewal makes the
 * subscription past due, with the plan's grace days.
 */
export async function endPeriodIfDue(tx: DbTx, sub: Subscription, now: Date, meta: RequestMeta): Promise<boolean> {
  if (sub.status !== "trialing" && sub.status !== "active") return false;
  if (sub.currentPeriodEnd > now) return false;
  const { plan, interval } = await nextPeriodPlan(tx, sub);
  if (planPrice(plan, interval, currencyOf(sub)) === 0) {
    const start = sub.currentPeriodEnd;
    const { count } = await tx.subscription.updateMany({
      where: { id: sub.id, currentPeriodEnd: sub.currentPeriodEnd, status: sub.status },
      data: {
        planId: plan.id,
        interval,
        pendingPlanId: null,
        pendingInterval: null,
        status: "active",
        currentPeriodStart: start,
        currentPeriodEnd: followingPeriodEnd(sub, interval),
      },
    });
    if (count === 1)
      await logSubscriptionChange(tx, meta, sub.tenantId, sub.id, sub.status, "active", `free:${start.toISOString()}`, { plan: plan.code });
    return count === 1;
  }
  const current = await tx.plan.findUniqueOrThrow({ where: { id: sub.planId } });
  const graceEndsAt = addDays(sub.currentPeriodEnd, current.graceDays);
  const { count } = await tx.subscription.updateMany({
    where: { id: sub.id, status: sub.status, currentPeriodEnd: sub.currentPeriodEnd },
    data: { status: "past_due", pastDueAt: now, graceEndsAt },
  });
  if (count === 1) {
    await logSubscriptionChange(tx, meta, sub.tenantId, sub.id, sub.status, "past_due", sub.currentPeriodEnd.toISOString(), {
      graceEndsAt: graceEndsAt.toISOString(),
    });
  }
  return count === 1;
}

/** Grace over → suspended (read-only; nothing is deleted). */
export async function suspendIfGraceOver(tx: DbTx, sub: Subscription, now: Date, meta: RequestMeta): Promise<boolean> {
  if (sub.status !== "past_due" || !sub.graceEndsAt || sub.graceEndsAt > now) return false;
  const { count } = await tx.subscription.updateMany({
    where: { id: sub.id, status: "past_due" },
    data: { status: "suspended", suspendedAt: now },
  });
  if (count === 1) await logSubscriptionChange(tx, meta, sub.tenantId, sub.id, "past_due", "suspended", sub.graceEndsAt.toISOString());
  return count === 1;
}

/** Suspended for `cancelAfterDays` → canceled (still nothing deleted; paying reactivates). */
export async function cancelIfLongSuspended(
  tx: DbTx,
  sub: Subscription,
  now: Date,
  cancelAfterDays: number,
  meta: RequestMeta,
): Promise<boolean> {
  if (sub.status !== "suspended" || !sub.suspendedAt || addDays(sub.suspendedAt, cancelAfterDays) > now) return false;
  const { count } = await tx.subscription.updateMany({
    where: { id: sub.id, status: "suspended" },
    data: { status: "canceled", canceledAt: now },
  });
  if (count === 1) await logSubscriptionChange(tx, meta, sub.tenantId, sub.id, "suspended", "canceled", sub.suspendedAt.toISOString());
  return count === 1;
}

/** One reminder per open invoice and offset (D-3, D+1, D+3), whatever the number of runs. */
export async function queueInvoiceReminders(tx: DbTx, sub: Subscription, now: Date): Promise<number> {
  // renewals only: an unpaid plan change is an abandoned checkout, not a debt
  const open = await tx.subscriptionInvoice.findMany({
    where: { subscriptionId: sub.id, status: "open", kind: "renewal", amount: { gt: 0 } },
  });
  let queued = 0;
  for (const invoice of open) {
    // only the latest offset that has passed: a job that was down for days sends one reminder, not three
    const due = [...REMINDER_OFFSETS_DAYS]
      .reverse()
      // and only within two days of its date, so a reminder never comes weeks late
      .find((d) => addDays(invoice.dueAt, d) <= now && addDays(invoice.dueAt, d + 2) > now && addDays(invoice.dueAt, d) > invoice.issuedAt);
    if (due === undefined) continue;
    const created = await enqueueEvent(
      tx,
      sub.tenantId,
      "billing/invoice.reminder-due",
      { invoiceId: invoice.id, offsetDays: due },
      `invoice-reminder:${invoice.id}:${due}`,
    );
    if (created) queued += 1;
  }
  return queued;
}

/** Days an unpaid plan choice stays payable before it is voided (an abandoned checkout). */
export const CHECKOUT_INVOICE_DAYS = 7;

/**
 * Voids what can no longer be paid sensibly: an upgrade whose period is over (it priced the rest
 * of that period) and a plan choice left unpaid for CHECKOUT_INVOICE_DAYS. Their QR codes expire.
 */
export async function voidStaleCheckouts(tx: DbTx, sub: Subscription, now: Date): Promise<number> {
  return voidOpenInvoices(
    tx,
    {
      subscriptionId: sub.id,
      OR: [
        { kind: "upgrade", periodEnd: { lte: now } },
        { kind: "plan_change", issuedAt: { lte: addDays(now, -CHECKOUT_INVOICE_DAYS) } },
      ],
    },
    now,
  );
}

/** The subscription effect of a paid invoice: extend, start a new period, or switch plan. */
export async function applyPaidInvoice(tx: DbTx, invoice: SubscriptionInvoice, now: Date, meta: RequestMeta): Promise<void> {
  await lockRow(tx, "Subscription", invoice.subscriptionId);
  const sub = await tx.subscription.findUniqueOrThrow({ where: { id: invoice.subscriptionId } });
  const lapsed = sub.status === "suspended" || sub.status === "canceled";
  const changesPlan = invoice.planId !== sub.planId || invoice.interval !== sub.interval;
  if (invoice.kind === "renewal" && !lapsed && changesPlan && invoice.periodStart > now) {
    // a renewal at a scheduled (smaller) plan paid before its period: the current plan runs to its
    // end; the billing cycle moves onto the paid period then (startPaidPeriodIfDue)
    if (sub.status !== "active" && sub.status !== "trialing") {
      await tx.subscription.update({ where: { id: sub.id }, data: { status: "active", pastDueAt: null, graceEndsAt: null } });
      await logSubscriptionChange(tx, meta, sub.tenantId, sub.id, sub.status, "active", `paid:${invoice.id}`, {
        invoice: invoice.number,
        kind: invoice.kind,
      });
    }
    return;
  }
  let period: { currentPeriodStart: Date; currentPeriodEnd: Date } | Record<string, never> = {};
  if (invoice.kind === "plan_change" || (invoice.kind === "renewal" && lapsed)) {
    period = { currentPeriodStart: now, currentPeriodEnd: periodEnd(now, asEnumValue(BILLING_INTERVAL_VALUES, invoice.interval)) };
  } else if (invoice.kind === "renewal") {
    period = { currentPeriodStart: invoice.periodStart, currentPeriodEnd: invoice.periodEnd };
  }
  const updated = await tx.subscription.update({
    where: { id: sub.id },
    data: {
      ...period,
      planId: invoice.planId,
      interval: invoice.interval,
      currency: invoice.currency,
      status: "active",
      pastDueAt: null,
      graceEndsAt: null,
      suspendedAt: null,
      canceledAt: null,
      ...(sub.pendingPlanId === invoice.planId || invoice.kind !== "renewal" ? { pendingPlanId: null, pendingInterval: null } : {}),
    },
  });
  if (invoice.kind !== "upgrade") {
    // an older open invoice (e.g. the trial's renewal at the old plan) no longer applies; a
    // renewal for a period that starts inside the new one neither (a trial upgraded before it ended)
    await tx.subscriptionInvoice.updateMany({
      where: {
        subscriptionId: sub.id,
        status: "open",
        id: { not: invoice.id },
        OR: [{ periodEnd: { lte: updated.currentPeriodEnd } }, { kind: "renewal", periodStart: { lt: updated.currentPeriodEnd } }],
      },
      data: { status: "void", voidedAt: now },
    });
  } else {
    // a renewal already issued at the old plan would switch the plan back when paid: re-price it
    await repriceOpenRenewal(tx, updated, now, meta);
  }
  await logSubscriptionChange(tx, meta, sub.tenantId, sub.id, sub.status, "active", `paid:${invoice.id}`, {
    invoice: invoice.number,
    kind: invoice.kind,
  });
}
