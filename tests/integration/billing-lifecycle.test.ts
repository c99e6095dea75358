// The subscription lifecycle on a controlled clock (BillingCycleService, BillingService,
// settlement), against the real database: renewal invoices, reminders, past due → grace →
// suspended (read-only) → paid → active, long suspension → canceled, scheduled downgrades, plan
// changes with proration, and gap-free invoice numbers under concurrency.
//
// BillingCycleService walks every subscription in the database, other files' included. So the
// scenarios here happen in 2025 (and the invoice-number race in 1999), with fixed dates: a
// cycle run at those instants finds nothing due among the workspaces other tests create around
// the real "now", and the fixed dates keep the proration arithmetic exact.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TenantDb } from "@/server/db/tenant-db";
import { platformDb } from "@/server/db/platform-db";
import { BillingCycleService } from "@/server/subscriptions/billing-cycle.jobs";
import { BakongWebhookService } from "@/server/payments/bakong-webhook.public";
import { nextInvoiceNumber } from "@/server/core/invoice-number";
import { addMonths } from "@/lib/dates";
import {
  addMember,
  createTenant,
  issueRenewalInvoice,
  uniqueSlug,
  type CreatedTenant,
  type TestSubscription,
} from "@/server/testing/factories";
import { expectTRPCError, hostOf, signedIn, uniqueEmail } from "./support/world";
import { captureMail } from "./support/team";
import {
  DAY,
  MIN,
  auditOf,
  billingRows,
  billingServiceFor,
  checkoutFor,
  callbackBody,
  callbackSecret,
  englishMessage,
  invoiceRow,
  khqrAttempt,
  outboxOf,
  paymentRow,
  signedCallback,
  subscriptionRow,
  transactionFor,
  withFakeBakong,
} from "./support/billing";

withFakeBakong();
captureMail();

const HOUR = 3_600_000;
const utc = (iso: string) => new Date(`${iso}Z`);
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

/** One run of the daily/hourly billing job at `now`. */
const cycle = (now: Date, cancelAfterDays = 60) => new BillingCycleService(() => now, cancelAfterDays).run();

async function tenantWith(prefix: string, subscription: TestSubscription) {
  const t = await createTenant({ slug: uniqueSlug(prefix), subscription });
  return { t, owner: await signedIn(t.owner.userId, hostOf(t.slug)) };
}

/** The Bakong relay confirms `payment` at `now` (the webhook service on the same clock). */
async function confirm(payment: { md5: string | null; amount: number; currency: string }, now: Date) {
  const cb = signedCallback(callbackBody(payment.md5!, transactionFor(payment)), { at: now });
  const result = await new BakongWebhookService(() => now, callbackSecret()).receive(cb.raw, cb.headers);
  expect(result).toEqual({ status: 200, body: { ok: true, outcome: "paid" } });
}

/** A KHQR attempt for the invoice, paid at `now`. */
async function pay(t: CreatedTenant, invoiceId: string, now: Date) {
  const invoice = await invoiceRow(t.tenantId, invoiceId);
  const payment = await khqrAttempt(t.tenantId, invoice, { expiresAt: plus(now, 10 * MIN) });
  await confirm(payment, now);
  return paymentRow(t.tenantId, payment.id);
}

const openInvoices = async (tenantId: string) => (await billingRows(tenantId)).invoices.filter((i) => i.status === "open");

describe("an unpaid trial: renewal → reminders → past due → suspended (read-only) → paid → active", () => {
  const start = utc("2025-02-01T03:00:00.000");
  const trialEnd = utc("2025-02-15T03:00:00.000");
  const graceEnd = utc("2025-02-22T03:00:00.000"); // Starter: 7 grace days
  let t: CreatedTenant;
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let renewalId: string;
  let invitationId: string;

  it("issues the renewal invoice 7 days before the trial ends, exactly once", async () => {
    ({ t, owner } = await tenantWith("lcy", { plan: "starter", status: "trialing", periodStart: start, periodEnd: trialEnd }));

    await cycle(plus(trialEnd, -7 * DAY - MIN));
    expect((await billingRows(t.tenantId)).invoices).toEqual([]);

    const issuedAt = plus(trialEnd, -7 * DAY);
    await cycle(issuedAt);
    await cycle(issuedAt); // a re-run
    await Promise.all([cycle(plus(issuedAt, HOUR)), cycle(plus(issuedAt, HOUR))]); // two runs at once

    const { invoices, sub } = await billingRows(t.tenantId);
    expect(invoices).toHaveLength(1);
    const renewal = invoices[0]!;
    renewalId = renewal.id;
    expect(renewal).toMatchObject({
      kind: "renewal",
      status: "open",
      planId: sub.planId,
      planName: "Starter",
      interval: "month",
      amount: 1900,
      currency: "USD",
      periodStart: trialEnd,
      periodEnd: utc("2025-03-15T03:00:00.000"),
      dueAt: trialEnd,
      issuedAt,
    });
    expect(renewal.number).toMatch(/^INV-2025-\d{6}$/);
    expect(sub).toMatchObject({ status: "trialing", currentPeriodEnd: trialEnd });
    expect(await outboxOf(t.tenantId, "billing/invoice.issued")).toEqual([
      expect.objectContaining({
        dedupeKey: `invoice-issued:${renewal.id}`,
        payload: { tenantId: t.tenantId, invoiceId: renewal.id, number: renewal.number },
      }),
    ]);
  });

  it("queues one reminder per invoice and offset, whatever the number of runs", async () => {
    await cycle(plus(trialEnd, -3 * DAY - MIN));
    expect(await outboxOf(t.tenantId, "billing/invoice.reminder-due")).toEqual([]);
    for (const at of [plus(trialEnd, -3 * DAY), plus(trialEnd, -3 * DAY), plus(trialEnd, -2 * DAY), plus(trialEnd, -1 * DAY)])
      await cycle(at);
    await Promise.all([cycle(plus(trialEnd, -HOUR)), cycle(plus(trialEnd, -HOUR))]);
    const reminders = await outboxOf(t.tenantId, "billing/invoice.reminder-due");
    expect(reminders.map((r) => [r.dedupeKey, r.payload])).toEqual([
      [`invoice-reminder:${renewalId}:-3`, { tenantId: t.tenantId, invoiceId: renewalId, offsetDays: -3 }],
    ]);
  });

  it("at the end of the trial, unpaid: past due with graceEndsAt = end + the plan's grace days; still writable", async () => {
    const at = plus(trialEnd, HOUR);
    await cycle(at);
    await cycle(plus(at, HOUR));
    const sub = await subscriptionRow(t.tenantId);
    expect(sub).toMatchObject({ status: "past_due", pastDueAt: at, graceEndsAt: graceEnd, suspendedAt: null });
    expect(graceEnd.getTime() - trialEnd.getTime()).toBe(sub.plan.graceDays * DAY);
    const changes = await outboxOf(t.tenantId, "billing/subscription.status-changed");
    expect(changes.map((c) => c.payload)).toEqual([{ tenantId: t.tenantId, subscriptionId: sub.id, from: "trialing", to: "past_due" }]);

    // past due is not read-only yet
    expect((await owner.billing.overview()).readOnly).toBe(false);
    invitationId = (await owner.members.invite({ email: uniqueEmail("pastdue", t.slug), roleId: t.roles.viewer })).id;

    // D+1 and D+3 reminders while past due, once each
    for (const d of [1, 1, 2, 3, 3]) await cycle(plus(trialEnd, d * DAY));
    const offsets = (await outboxOf(t.tenantId, "billing/invoice.reminder-due")).map(
      (r) => (r.payload as { offsetDays: number }).offsetDays,
    );
    expect(offsets).toEqual([-3, 1, 3]);
  });

  it("when the grace period is over: suspended, and the workspace is read-only except billing", async () => {
    await cycle(plus(graceEnd, -MIN));
    expect((await subscriptionRow(t.tenantId)).status).toBe("past_due");
    await cycle(graceEnd);
    await cycle(plus(graceEnd, HOUR));
    expect(await subscriptionRow(t.tenantId)).toMatchObject({ status: "suspended", suspendedAt: graceEnd, canceledAt: null });

    await expectTRPCError(owner.members.invite({ email: uniqueEmail("ro", t.slug), roleId: t.roles.viewer }), "FORBIDDEN", {
      code: "FORBIDDEN",
      key: "errors.workspaceReadOnly",
    });
    await expectTRPCError(owner.members.revokeInvitation({ invitationId }), "FORBIDDEN", { key: "errors.workspaceReadOnly" });
    // reads keep working
    expect((await owner.members.list({})).items.length).toBeGreaterThanOrEqual(1);
    const overview = await owner.billing.overview();
    expect(overview).toMatchObject({
      readOnly: true,
      subscription: { status: "suspended" },
      openInvoices: [expect.objectContaining({ id: renewalId })],
    });
    const changes = await outboxOf(t.tenantId, "billing/subscription.status-changed");
    expect(changes.map((c) => (c.payload as { to: string }).to)).toEqual(["past_due", "suspended"]);
  });

  it("paying the renewal (KHQR checkout, then the Bakong callback) reactivates it with a new period; writes work again", async () => {
    const view = await owner.billing.checkout({ invoiceId: renewalId });
    expect(view).toMatchObject({ status: "pending", amount: 1900, currency: "USD" });
    const paidAt = utc("2025-02-25T10:00:00.000");
    await confirm(await paymentRow(t.tenantId, view.paymentId), paidAt);

    const sub = await subscriptionRow(t.tenantId);
    expect(sub).toMatchObject({
      status: "active",
      currentPeriodStart: paidAt,
      currentPeriodEnd: addMonths(paidAt, 1),
      pastDueAt: null,
      graceEndsAt: null,
      suspendedAt: null,
      canceledAt: null,
    });
    expect(await invoiceRow(t.tenantId, renewalId)).toMatchObject({ status: "paid", paidAt });
    const changes = await outboxOf(t.tenantId, "billing/subscription.status-changed");
    expect(changes.map((c) => (c.payload as { to: string }).to)).toEqual(["past_due", "suspended", "active"]);

    expect((await owner.billing.overview()).readOnly).toBe(false);
    await owner.members.invite({ email: uniqueEmail("back", t.slug), roleId: t.roles.viewer });
    await owner.members.revokeInvitation({ invitationId });

    // the next runs find nothing to do until the next renewal is due
    await cycle(plus(paidAt, HOUR));
    await cycle(plus(paidAt, 3 * DAY + HOUR));
    expect(await subscriptionRow(t.tenantId)).toMatchObject({ status: "active", currentPeriodEnd: addMonths(paidAt, 1) });
    expect(await openInvoices(t.tenantId)).toEqual([]);
    expect((await outboxOf(t.tenantId, "billing/invoice.reminder-due")).length).toBe(3);
  });
});

describe("a long suspension", () => {
  it("is canceled after BILLING_CANCEL_AFTER_DAYS, deleting nothing; paying reactivates it", async () => {
    const suspendedAt = utc("2025-05-10T00:00:00.000");
    const { t, owner } = await tenantWith("lcan", {
      plan: "starter",
      status: "suspended",
      periodStart: utc("2025-04-03T00:00:00.000"),
      periodEnd: utc("2025-05-03T00:00:00.000"),
      graceEndsAt: suspendedAt,
      suspendedAt,
    });
    await addMember(t, { email: uniqueEmail("keep", t.slug), role: "manager" });
    const renewal = await issueRenewalInvoice(t.tenantId, utc("2025-04-26T00:00:00.000"));
    const counts = () =>
      new TenantDb(t.tenantId).run(async (tx) => ({
        memberships: await tx.membership.count(),
        roles: await tx.role.count(),
        invoices: await tx.subscriptionInvoice.count(),
        subscriptions: await tx.subscription.count(),
      }));
    const before = await counts();

    await cycle(plus(suspendedAt, 30 * DAY - MIN), 30);
    expect((await subscriptionRow(t.tenantId)).status).toBe("suspended");
    const canceledAt = plus(suspendedAt, 30 * DAY);
    await cycle(canceledAt, 30);
    await cycle(plus(canceledAt, DAY), 30);

    expect(await subscriptionRow(t.tenantId)).toMatchObject({ status: "canceled", canceledAt, suspendedAt });
    expect(await counts()).toEqual(before);
    expect(await invoiceRow(t.tenantId, renewal!.id)).toMatchObject({ status: "open" });
    const overview = await owner.billing.overview();
    expect(overview).toMatchObject({ readOnly: true, subscription: { status: "canceled" } });
    await expectTRPCError(owner.members.invite({ email: uniqueEmail("no", t.slug), roleId: t.roles.viewer }), "FORBIDDEN", {
      key: "errors.workspaceReadOnly",
    });

    const paidAt = plus(canceledAt, 5 * DAY);
    await pay(t, renewal!.id, paidAt);
    expect(await subscriptionRow(t.tenantId)).toMatchObject({
      status: "active",
      currentPeriodStart: paidAt,
      currentPeriodEnd: addMonths(paidAt, 1),
      canceledAt: null,
      suspendedAt: null,
    });
    await owner.members.invite({ email: uniqueEmail("yes", t.slug), roleId: t.roles.viewer });
  });
});

describe("scheduled downgrades", () => {
  it("Pro → Starter: scheduled, the renewal is issued at the Starter price, and the plan changes for the next period", async () => {
    const start = utc("2025-07-01T00:00:00.000");
    const end = utc("2025-08-01T00:00:00.000");
    const { t, owner } = await tenantWith("ldown", { plan: "pro", status: "active", periodStart: start, periodEnd: end });
    const service = await billingServiceFor(t, () => utc("2025-07-10T00:00:00.000"));

    expect(await service.changePlan({ planCode: "starter", interval: "month" })).toEqual({
      kind: "scheduled",
      effectiveAt: end,
      invoiceId: null,
    });
    const overview = await service.overview();
    expect(overview.plan.code).toBe("pro");
    expect(overview.subscription.pendingPlan).toEqual({ code: "starter", name: "Starter", interval: "month" });
    expect(await auditOf(t.tenantId, "billing.plan.downgrade_scheduled")).toHaveLength(1);

    await cycle(plus(end, -7 * DAY));
    const [renewal] = await openInvoices(t.tenantId);
    expect(renewal).toMatchObject({
      kind: "renewal",
      planName: "Starter",
      amount: 1900,
      periodStart: end,
      periodEnd: utc("2025-09-01T00:00:00.000"),
    });
    // still Pro (and Pro's features) until the period ends
    const sub = await subscriptionRow(t.tenantId);
    expect(sub.plan.code).toBe("pro");
    await owner.roles.create({ name: "Still pro", permissions: ["properties.view"] });

    await cycle(plus(end, HOUR));
    expect((await subscriptionRow(t.tenantId)).status).toBe("past_due");
    await pay(t, renewal!.id, plus(end, 2 * HOUR));

    const after = await subscriptionRow(t.tenantId);
    expect(after).toMatchObject({
      status: "active",
      pendingPlanId: null,
      pendingInterval: null,
      currentPeriodStart: end,
      currentPeriodEnd: utc("2025-09-01T00:00:00.000"),
    });
    expect(after.plan.code).toBe("starter");
    await expectTRPCError(owner.roles.create({ name: "Not any more", permissions: ["properties.view"] }), "FORBIDDEN", {
      key: "billing.errors.featureNotInPlan",
    });
  });

  it("Pro → Starter paid early: Pro runs to its period end, then the job moves onto the paid Starter period", async () => {
    const start = utc("2025-11-01T00:00:00.000");
    const end = utc("2025-12-01T00:00:00.000");
    const { t, owner } = await tenantWith("learly", { plan: "pro", status: "active", periodStart: start, periodEnd: end });
    const service = await billingServiceFor(t, () => utc("2025-11-10T00:00:00.000"));
    await service.changePlan({ planCode: "starter", interval: "month" });
    await cycle(plus(end, -7 * DAY));
    const [renewal] = await openInvoices(t.tenantId);
    expect(renewal).toMatchObject({ planName: "Starter", periodStart: end });

    await pay(t, renewal!.id, plus(end, -5 * DAY));
    // paid, but the period the customer bought Pro for is not cut short
    const before = await subscriptionRow(t.tenantId);
    expect(before).toMatchObject({ status: "active", currentPeriodStart: start, currentPeriodEnd: end });
    expect(before.plan.code).toBe("pro");
    expect(before.pendingPlanId).not.toBeNull();
    await owner.roles.create({ name: "Pro until the end", permissions: ["properties.view"] });

    await cycle(plus(end, -HOUR));
    expect((await subscriptionRow(t.tenantId)).plan.code).toBe("pro");
    await cycle(plus(end, HOUR));
    await cycle(plus(end, 2 * HOUR)); // a re-run changes nothing
    const after = await subscriptionRow(t.tenantId);
    expect(after).toMatchObject({
      status: "active",
      pendingPlanId: null,
      currentPeriodStart: end,
      currentPeriodEnd: utc("2026-01-01T00:00:00.000"),
    });
    expect(after.plan.code).toBe("starter");
    expect(await openInvoices(t.tenantId)).toEqual([]);
  });

  it("an unpaid upgrade dies with its period and an abandoned plan choice after a week, QR codes with them", async () => {
    const start = utc("2025-12-01T00:00:00.000");
    const end = utc("2026-01-01T00:00:00.000");
    const { t } = await tenantWith("lstale", { plan: "starter", status: "active", periodStart: start, periodEnd: end });
    const at = utc("2025-12-20T00:00:00.000");
    const service = await billingServiceFor(t, () => at);
    const upgrade = await service.changePlan({ planCode: "pro", interval: "month" });
    // the same choice again is the same invoice (a double click), not a second one
    expect(await service.changePlan({ planCode: "pro", interval: "month" })).toEqual(upgrade);
    const invoice = await invoiceRow(t.tenantId, upgrade.invoiceId!);
    expect(invoice.kind).toBe("upgrade");
    const attempt = await khqrAttempt(t.tenantId, invoice, { expiresAt: plus(end, HOUR) });

    await cycle(plus(end, -HOUR));
    expect((await invoiceRow(t.tenantId, invoice.id)).status).toBe("open");
    await cycle(plus(end, HOUR));
    expect((await invoiceRow(t.tenantId, invoice.id)).status).toBe("void");
    expect((await paymentRow(t.tenantId, attempt.id)).status).toBe("expired");
    // and it cannot be checked out any more
    await expect((await checkoutFor(t, () => plus(end, 2 * HOUR))).start(invoice.id)).rejects.toMatchObject({
      key: "billing.errors.invoiceNotOpen",
    });

    // a trial's plan choice left unpaid for a week
    const trialEnd = utc("2026-02-10T00:00:00.000");
    const { t: trial } = await tenantWith("lstale2", {
      plan: "starter",
      status: "trialing",
      periodStart: utc("2026-01-27T00:00:00.000"),
      periodEnd: trialEnd,
    });
    const chosenAt = utc("2026-01-28T00:00:00.000");
    const choice = await (await billingServiceFor(trial, () => chosenAt)).changePlan({ planCode: "pro", interval: "month" });
    await cycle(plus(chosenAt, 6 * DAY));
    expect((await invoiceRow(trial.tenantId, choice.invoiceId!)).status).toBe("open");
    await cycle(plus(chosenAt, 7 * DAY));
    expect((await invoiceRow(trial.tenantId, choice.invoiceId!)).status).toBe("void");
  });

  it("Pro → Free: no invoice at all; the subscription rolls over onto Free at the period end", async () => {
    const start = utc("2025-09-01T00:00:00.000");
    const end = utc("2025-10-01T00:00:00.000");
    const { t, owner } = await tenantWith("lfree", { plan: "pro", status: "active", periodStart: start, periodEnd: end });
    const service = await billingServiceFor(t, () => utc("2025-09-05T00:00:00.000"));
    expect(await service.changePlan({ planCode: "free", interval: "month" })).toMatchObject({ kind: "scheduled", effectiveAt: end });

    await cycle(plus(end, -7 * DAY));
    await cycle(plus(end, -MIN));
    expect((await billingRows(t.tenantId)).invoices).toEqual([]);
    expect((await subscriptionRow(t.tenantId)).plan.code).toBe("pro");

    await cycle(plus(end, MIN));
    await cycle(plus(end, HOUR));
    const { sub, invoices } = await billingRows(t.tenantId);
    expect(invoices).toEqual([]);
    expect(sub).toMatchObject({
      status: "active",
      pendingPlanId: null,
      currentPeriodStart: end,
      currentPeriodEnd: utc("2025-11-01T00:00:00.000"),
    });
    expect(sub.plan.code).toBe("free");
    expect((await owner.billing.overview()).plan.code).toBe("free");
    // and the next free period rolls over again without an invoice
    await cycle(utc("2025-11-01T01:00:00.000"));
    expect(await billingRows(t.tenantId)).toMatchObject({ invoices: [], sub: { currentPeriodStart: utc("2025-11-01T00:00:00.000") } });
  });
});

describe("plan changes", () => {
  it("an upgrade during a paid month bills the prorated difference and switches the plan only when paid", async () => {
    const start = utc("2025-04-01T00:00:00.000");
    const end = utc("2025-05-01T00:00:00.000"); // 30 days = 720 h
    const { t, owner } = await tenantWith("lup", { plan: "starter", status: "active", periodStart: start, periodEnd: end });
    const now = utc("2025-04-11T08:00:00.000"); // 19 d 16 h = 472 h left
    const service = await billingServiceFor(t, () => now);

    const change = await service.changePlan({ planCode: "pro", interval: "month" });
    expect(change).toMatchObject({ kind: "invoice", effectiveAt: null });
    const invoice = await invoiceRow(t.tenantId, change.invoiceId!);
    // (4900 − 1900) × 472 / 720 = 1966.67 → rounded up to 1967 cents
    expect(invoice).toMatchObject({
      kind: "upgrade",
      planName: "Pro",
      amount: 1967,
      currency: "USD",
      periodStart: now,
      periodEnd: end,
      dueAt: now,
      status: "open",
    });
    expect(invoice.lines).toEqual([
      { key: "billing.line.upgrade", params: { from: "Starter", plan: "Pro", to: end.toISOString() }, amount: 1967 },
    ]);
    expect(await auditOf(t.tenantId, "billing.plan.change_requested")).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({ before: "starter", after: "pro", amount: 1967, number: invoice.number }),
      }),
    ]);

    // not paid yet: still Starter
    expect((await subscriptionRow(t.tenantId)).plan.code).toBe("starter");
    await expectTRPCError(owner.roles.create({ name: "Too early", permissions: ["properties.view"] }), "FORBIDDEN", {
      key: "billing.errors.featureNotInPlan",
    });
    // asking again gives a fresh invoice for the same choice, never two open ones
    const again = await service.changePlan({ planCode: "pro", interval: "month" });
    expect((await openInvoices(t.tenantId)).map((i) => i.id)).toEqual([again.invoiceId]);

    await pay(t, again.invoiceId!, plus(now, HOUR));
    const sub = await subscriptionRow(t.tenantId);
    expect(sub.plan.code).toBe("pro");
    // the period is not moved by an upgrade
    expect(sub).toMatchObject({ status: "active", currentPeriodStart: start, currentPeriodEnd: end });
    await owner.roles.create({ name: "Now allowed", permissions: ["properties.view"] });
  });

  it("an unpaid upgrade invoice (an abandoned checkout) gets no reminders and changes nothing", async () => {
    const { t } = await tenantWith("luprem", {
      plan: "starter",
      status: "active",
      periodStart: utc("2025-06-01T00:00:00.000"),
      periodEnd: utc("2025-07-01T00:00:00.000"),
    });
    const now = utc("2025-06-05T00:00:00.000");
    const change = await (await billingServiceFor(t, () => now)).changePlan({ planCode: "pro", interval: "month" });
    for (const d of [0, 1, 2, 3, 4]) await cycle(plus(now, d * DAY + HOUR));
    expect(await outboxOf(t.tenantId, "billing/invoice.reminder-due")).toEqual([]);
    expect(await invoiceRow(t.tenantId, change.invoiceId!)).toMatchObject({ kind: "upgrade", status: "open" });
    const sub = await subscriptionRow(t.tenantId);
    expect(sub).toMatchObject({ status: "active", currentPeriodEnd: utc("2025-07-01T00:00:00.000") });
    expect(sub.plan.code).toBe("starter");
  });

  it("an upgrade after the renewal went out re-prices that renewal, so paying it does not undo the upgrade", async () => {
    const start = utc("2025-10-01T00:00:00.000");
    const end = utc("2025-11-01T00:00:00.000"); // 31 days
    const { t } = await tenantWith("lupren", { plan: "starter", status: "active", periodStart: start, periodEnd: end });
    await cycle(plus(end, -7 * DAY));
    const [renewal] = await openInvoices(t.tenantId);
    expect(renewal).toMatchObject({ kind: "renewal", planName: "Starter", amount: 1900 });

    const now = utc("2025-10-26T00:00:00.000"); // 6 of 31 days left: 3000 × 6/31 = 580.6 → 581
    const change = await (await billingServiceFor(t, () => now)).changePlan({ planCode: "pro", interval: "month" });
    expect(await invoiceRow(t.tenantId, change.invoiceId!)).toMatchObject({ kind: "upgrade", amount: 581 });
    await pay(t, change.invoiceId!, plus(now, HOUR));
    expect((await subscriptionRow(t.tenantId)).plan.code).toBe("pro");

    expect(await invoiceRow(t.tenantId, renewal!.id)).toMatchObject({ status: "open", planName: "Pro", amount: 4900 });
    await pay(t, renewal!.id, utc("2025-10-29T00:00:00.000"));
    const sub = await subscriptionRow(t.tenantId);
    expect(sub.plan.code).toBe("pro");
    expect(sub).toMatchObject({ status: "active", currentPeriodStart: end, currentPeriodEnd: utc("2025-12-01T00:00:00.000") });
  });

  it("an upgrade from the trial bills the full price and starts a new period when paid; the trial's renewal is voided", async () => {
    const start = utc("2025-12-01T00:00:00.000");
    const trialEnd = utc("2025-12-15T00:00:00.000");
    const { t } = await tenantWith("ltrial", { plan: "starter", status: "trialing", periodStart: start, periodEnd: trialEnd });
    await cycle(plus(trialEnd, -7 * DAY));
    const [trialRenewal] = await openInvoices(t.tenantId);
    expect(trialRenewal).toMatchObject({ kind: "renewal", planName: "Starter" });

    const now = utc("2025-12-10T00:00:00.000");
    const change = await (await billingServiceFor(t, () => now)).changePlan({ planCode: "pro", interval: "month" });
    const invoice = await invoiceRow(t.tenantId, change.invoiceId!);
    expect(invoice).toMatchObject({ kind: "plan_change", amount: 4900, periodStart: now, periodEnd: utc("2026-01-10T00:00:00.000") });
    expect((await subscriptionRow(t.tenantId)).status).toBe("trialing");

    const paidAt = plus(now, 5 * HOUR);
    await pay(t, invoice.id, paidAt);
    const sub = await subscriptionRow(t.tenantId);
    expect(sub.plan.code).toBe("pro");
    expect(sub).toMatchObject({ status: "active", currentPeriodStart: paidAt, currentPeriodEnd: addMonths(paidAt, 1) });
    expect(await invoiceRow(t.tenantId, trialRenewal!.id)).toMatchObject({ status: "void", voidedAt: paidAt });
    expect(await openInvoices(t.tenantId)).toEqual([]);

    // the trial's end passes without effect; the next renewal comes 7 days before the new period ends
    await cycle(plus(trialEnd, HOUR));
    expect(await subscriptionRow(t.tenantId)).toMatchObject({ status: "active", currentPeriodEnd: addMonths(paidAt, 1) });
    await cycle(plus(addMonths(paidAt, 1), -7 * DAY));
    expect(await openInvoices(t.tenantId)).toEqual([
      expect.objectContaining({ kind: "renewal", planName: "Pro", amount: 4900, periodStart: addMonths(paidAt, 1) }),
    ]);
  });

  it("a downgrade is refused while usage exceeds the smaller plan, naming what to reduce", async () => {
    const { t, owner } = await tenantWith("lover", { plan: "pro", status: "active" });
    await addMember(t, { email: uniqueEmail("a", t.slug), role: "viewer" });
    await addMember(t, { email: uniqueEmail("b", t.slug), role: "viewer" });
    const e = await expectTRPCError(owner.billing.changePlan({ planCode: "free", interval: "month" }), "FORBIDDEN", {
      code: "LIMIT_EXCEEDED",
      key: "billing.errors.downgradeOverLimits",
    });
    expect(englishMessage(e)).toBe("To move to Free, first reduce: members 3/2.");
    expect((await subscriptionRow(t.tenantId)).pendingPlanId).toBeNull();
    // Starter allows 5: that one is fine
    expect(await owner.billing.changePlan({ planCode: "starter", interval: "month" })).toMatchObject({ kind: "scheduled" });
  });

  it("a downgrade within limits is scheduled, shown in the overview, re-prices the open renewal; cancelScheduledChange undoes it", async () => {
    const now = Date.now();
    const { t, owner } = await tenantWith("lsched", {
      plan: "pro",
      status: "active",
      periodStart: new Date(now - 26 * DAY),
      periodEnd: new Date(now + 4 * DAY),
    });
    const renewal = (await issueRenewalInvoice(t.tenantId))!;
    expect(renewal).toMatchObject({ planName: "Pro", amount: 4900 });
    const qr = await owner.billing.checkout({ invoiceId: renewal.id });

    const scheduled = await owner.billing.changePlan({ planCode: "starter", interval: "month" });
    const sub = await subscriptionRow(t.tenantId);
    expect(scheduled).toEqual({ kind: "scheduled", effectiveAt: sub.currentPeriodEnd, invoiceId: null });
    expect((await owner.billing.overview()).subscription.pendingPlan).toEqual({ code: "starter", name: "Starter", interval: "month" });
    expect((await owner.billing.overview()).plan.code).toBe("pro");
    expect(await invoiceRow(t.tenantId, renewal.id)).toMatchObject({ status: "open", planName: "Starter", amount: 1900 });
    // the QR already shown carries the old amount: it must not be paid any more
    expect((await paymentRow(t.tenantId, qr.paymentId)).status).toBe("expired");
    expect(await auditOf(t.tenantId, "billing.invoice.repriced")).toEqual([
      expect.objectContaining({
        targetId: renewal.id,
        metadata: { before: { amount: 4900, plan: "Pro" }, after: { amount: 1900, plan: "Starter" } },
      }),
    ]);

    expect(await owner.billing.cancelScheduledChange()).toEqual({ kind: "canceled", invoiceId: null, effectiveAt: null });
    expect((await owner.billing.overview()).subscription.pendingPlan).toBeNull();
    expect(await invoiceRow(t.tenantId, renewal.id)).toMatchObject({ status: "open", planName: "Pro", amount: 4900 });
    expect(await auditOf(t.tenantId, "billing.plan.downgrade_canceled")).toHaveLength(1);
    await expectTRPCError(owner.billing.cancelScheduledChange(), "PRECONDITION_FAILED", { key: "billing.errors.nothingScheduled" });
    await expectTRPCError(owner.billing.changePlan({ planCode: "pro", interval: "month" }), "CONFLICT", { key: "billing.errors.samePlan" });
  });
});

describe("a monthly subscription that started on the 31st", () => {
  // 2024: a leap year no other test's cycle reaches (they run in 2025, 2026 and around the real clock)
  it("keeps renewing on the month's last day (31 Jan → 29 Feb → 31 Mar → 30 Apr), not on the 29th ever after", async () => {
    const start = utc("2024-01-31T03:00:00.000");
    const febEnd = utc("2024-02-29T03:00:00.000");
    const { t } = await tenantWith("l31", { plan: "starter", status: "active", periodStart: start, periodEnd: febEnd });

    await cycle(plus(febEnd, -7 * DAY));
    const [first] = await openInvoices(t.tenantId);
    expect(first).toMatchObject({ kind: "renewal", periodStart: febEnd, periodEnd: utc("2024-03-31T03:00:00.000") });

    await pay(t, first!.id, plus(febEnd, -DAY));
    await cycle(febEnd);
    expect(await subscriptionRow(t.tenantId)).toMatchObject({
      status: "active",
      currentPeriodStart: febEnd,
      currentPeriodEnd: utc("2024-03-31T03:00:00.000"),
    });

    await cycle(utc("2024-03-24T03:00:00.000"));
    const [second] = await openInvoices(t.tenantId);
    expect(second).toMatchObject({ periodStart: utc("2024-03-31T03:00:00.000"), periodEnd: utc("2024-04-30T03:00:00.000") });
  });
});

describe("invoice numbers", () => {
  it("20 workspaces choosing a plan at once get consecutive numbers, no gaps, no duplicates", async () => {
    // 1999: a year no other test issues invoices in, whatever the real date (every other test is on
    // the real clock or pins 2025-2026), so the year's sequence is ours alone
    const now = utc("1999-03-01T02:00:00.000");
    // set up one by one (the race under test is the plan changes below, not the set-up)
    const tenants: CreatedTenant[] = [];
    for (let i = 0; i < 20; i++)
      tenants.push(await createTenant({ slug: uniqueSlug(`lnum${i}`), subscription: { plan: "starter", status: "trialing" } }));
    const services = await Promise.all(tenants.map((t) => billingServiceFor(t, () => now)));
    const results = await Promise.all(services.map((s) => s.changePlan({ planCode: "pro", interval: "month" })));
    expect(results.every((r) => r.kind === "invoice")).toBe(true);

    const all = await platformDb.run((tx) =>
      tx.subscriptionInvoice.findMany({ where: { number: { startsWith: "INV-1999-" } }, select: { number: true, tenantId: true } }),
    );
    expect(all.map((i) => i.number).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `INV-1999-${String(i + 1).padStart(6, "0")}`));
    expect(new Set(all.map((i) => i.tenantId))).toEqual(new Set(tenants.map((t) => t.tenantId)));
  }, 60_000);

  it("a rolled-back transaction gives its number back, even among concurrent ones", async () => {
    const scope = `test-${randomUUID()}`;
    const at = utc("2026-06-01T00:00:00.000");
    const take = (rollback: boolean) =>
      platformDb
        .run(async (tx) => {
          const n = await nextInvoiceNumber(tx, scope, at);
          await new Promise((r) => setTimeout(r, 10)); // hold the counter a moment: the others queue
          if (rollback) throw new Error("rolled back");
          return n;
        })
        .catch((e: Error) => (e.message === "rolled back" ? null : Promise.reject(e)));

    expect(await take(false)).toBe("INV-2026-000001");
    expect(await take(true)).toBeNull();
    expect(await take(false)).toBe("INV-2026-000002");

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => take(i % 3 === 0)));
    const committed = results.filter((n): n is string => n !== null).sort();
    expect(committed).toHaveLength(13);
    expect(committed).toEqual(Array.from({ length: 13 }, (_, i) => `INV-2026-${String(i + 3).padStart(6, "0")}`));
    expect(await take(false)).toBe("INV-2026-000016");
  });

  it("the year is Phnom Penh's: 31 Dec 17:30 UTC is already next year", async () => {
    const scope = `test-${randomUUID()}`;
    const n = await platformDb.run((tx) => nextInvoiceNumber(tx, scope, utc("2026-12-31T17:30:00.000")));
    expect(n).toBe("INV-2027-000001");
  });

  it("the database refuses a second renewal for the same subscription period", async () => {
    const { t } = await tenantWith("luniq", { plan: "starter", status: "active" });
    const renewal = (await issueRenewalInvoice(t.tenantId))!;
    // the service skips an existing period; a racing writer that got past that check hits the constraint
    expect(await issueRenewalInvoice(t.tenantId)).toBeNull();
    const insert = (kind: "renewal" | "plan_change") =>
      new TenantDb(t.tenantId).run(
        (tx) => tx.$executeRaw`
          INSERT INTO "SubscriptionInvoice"
            ("id", "tenantId", "subscriptionId", "number", "kind", "planId", "planName", "interval", "periodStart", "periodEnd",
             "amount", "currency", "lines", "dueAt", "updatedAt")
          VALUES (${randomUUID()}::uuid, ${t.tenantId}::uuid, ${renewal.subscriptionId}::uuid, ${`TEST-${randomUUID()}`},
             ${kind}, ${renewal.planId}::uuid, 'Starter', 'month', ${renewal.periodStart}, ${renewal.periodEnd},
             1900, 'USD', '[]'::jsonb, ${renewal.dueAt}, now())`,
      );
    await expect(insert("renewal")).rejects.toThrow(/SubscriptionInvoice_subscriptionId_kind_periodStart_key|23505|unique/i);
    // another kind of invoice for the same start is a different thing and allowed
    await expect(insert("plan_change")).resolves.toBe(1);
    expect((await billingRows(t.tenantId)).invoices.filter((i) => i.kind === "renewal")).toHaveLength(1);
  });
});
