// The admin console's billing through the adminBilling router, as a platform admin on the apex
// with 2FA passed: plan editing (issued invoices keep their amounts), the subscription,
// invoice and payment lists with their filters and CSV exports, recording cash / bank
// transfers, refunds (legal only from paid), and the webhook inbox with replay. Each test
// makes its own tenants and, where a plan changes, its own hidden plan: the seeded catalog is
// shared with the tests running in parallel.
import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { createTenant, issueRenewalInvoice, uniqueSlug, type TestSubscription } from "@/server/testing/factories";
import { addDaysToDay, startOfDayIn } from "@/lib/dates";
import { AdminInvoiceService } from "@/server/subscriptions/subscription-invoices.admin";
import { AdminPaymentService } from "@/server/payments/payments.admin";
import {
  adminInvoiceFiltersSchema,
  adminPaymentFiltersSchema,
  billingFiltersFromSearchParams,
  billingFiltersToSearchParams,
} from "@/lib/schemas/billing";
import { APEX, callerFor, expectTRPCError, hostOf, passMfa, sessionFor, signedIn, testMeta, type Caller } from "./support/world";
import { platformAdmin } from "./support/team";

const DAY = 86_400_000;
const ACCOUNT = "phteah@aclb";
const hex = (n: number) =>
  randomBytes(Math.ceil(n / 2))
    .toString("hex")
    .slice(0, n);

/** A plan of this test's own (hidden, so no workspace is offered it). */
async function testPlan(overrides: { name?: string; priceMonthlyUsd?: number } = {}) {
  const code = `t-${hex(10)}`;
  return platformDb.run((tx) =>
    tx.plan.create({
      data: {
        code,
        name: overrides.name ?? `Plan ${code}`,
        tier: 1,
        priceMonthlyUsd: overrides.priceMonthlyUsd ?? 2500,
        priceYearlyUsd: 25000,
        priceMonthlyKhr: 100000,
        priceYearlyKhr: 1000000,
        trialDays: 14,
        graceDays: 7,
        features: ["audit_export"],
        limits: { properties: 3, units: 30, members: 4, messagesPerMonth: 100, storageMb: 100 },
        isPublic: false,
      },
    }),
  );
}

/** A workspace whose month on `plan` ends in 5 days (or as `sub` says). */
async function tenantOn(plan: string, prefix: string, sub: TestSubscription = {}) {
  const now = Date.now();
  return createTenant({
    slug: uniqueSlug(prefix),
    subscription: { plan, status: "active", periodStart: new Date(now - 25 * DAY), periodEnd: new Date(now + 5 * DAY), ...sub },
  });
}

/** The renewal invoice of the tenant's current period end (what the billing cycle would issue). */
async function openInvoice(tenantId: string, now = new Date()) {
  const invoice = await issueRenewalInvoice(tenantId, now);
  if (!invoice) throw new Error("no invoice issued");
  return invoice;
}

const rows = {
  invoice: (id: string) => platformDb.run((tx) => tx.subscriptionInvoice.findUniqueOrThrow({ where: { id } })),
  payment: (id: string) => platformDb.run((tx) => tx.payment.findUniqueOrThrow({ where: { id } })),
  subscription: (tenantId: string) => platformDb.run((tx) => tx.subscription.findUniqueOrThrow({ where: { tenantId } })),
  plan: (id: string) => platformDb.run((tx) => tx.plan.findUniqueOrThrow({ where: { id } })),
  event: (id: string) => platformDb.run((tx) => tx.webhookEvent.findUniqueOrThrow({ where: { id } })),
  audit: (action: string, targetId: string) =>
    platformDb.run((tx) => tx.auditLog.findMany({ where: { action, targetId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })),
};

/** A pending KHQR attempt for an invoice, as the checkout creates it. */
async function khqrPayment(invoice: { id: string; tenantId: string; amount: number; currency: string; number: string }) {
  return new TenantDb(invoice.tenantId).run((tx) =>
    tx.payment.create({
      data: {
        tenantId: invoice.tenantId,
        purpose: "subscription",
        subscriptionInvoiceId: invoice.id,
        method: "khqr",
        amount: invoice.amount,
        currency: invoice.currency,
        receivingAccount: ACCOUNT,
        billNumber: invoice.number,
        md5: hex(32),
        expiresAt: new Date(Date.now() + 10 * 60_000),
      },
    }),
  );
}

/** A stored Bakong callback for `md5`, as the inbox keeps it (status and attempts as given). */
async function storedEvent(args: {
  md5: string;
  amountMajor: number;
  currency?: string;
  status: "needs_review" | "failed" | "received";
  attempts?: number;
  lastError?: string;
  tenantId?: string;
  paymentId?: string;
}) {
  const eventId = `evt-${randomUUID()}`;
  const hash = hex(64);
  const rawBody = JSON.stringify({
    eventId,
    md5: args.md5,
    transaction: { hash, fromAccountId: "payer@abaa", toAccountId: ACCOUNT, currency: args.currency ?? "USD", amount: args.amountMajor },
  });
  const event = await platformDb.run((tx) =>
    tx.webhookEvent.create({
      data: {
        provider: "bakong",
        idempotencyKey: eventId,
        headers: { "content-type": "application/json", "x-bakong-timestamp": "1760000000", "x-bakong-signature": "sha256=abc" },
        rawBody,
        signatureValid: true,
        status: args.status,
        attempts: args.attempts ?? 1,
        lastError: args.lastError ?? null,
        tenantId: args.tenantId ?? null,
        paymentId: args.paymentId ?? null,
        processedAt: args.status === "needs_review" ? new Date() : null,
      },
    }),
  );
  return { event, hash, eventId };
}

/** The CSV's text and its lines split on commas (the cells compared here hold no commas). */
async function csvOf(gen: AsyncGenerator<string, void, undefined>): Promise<{ text: string; rows: string[][] }> {
  let text = "";
  for await (const chunk of gen) text += chunk;
  expect(text.startsWith("\uFEFF")).toBe(true);
  const rows = text
    .slice(1)
    .split("\r\n")
    .filter(Boolean)
    .map((line) => line.split(","));
  return { text, rows };
}

describe("adminBilling.plans / updatePlan", () => {
  it("lists plans with prices, features, limits and subscription counts", async () => {
    const { caller } = await platformAdmin();
    const plan = await testPlan();
    await tenantOn(plan.code, "apl");
    const list = await caller.adminBilling.plans();
    expect(list.map((p) => p.code)).toEqual(expect.arrayContaining(["free", "starter", "pro", plan.code]));
    expect(list.find((p) => p.code === plan.code)).toMatchObject({
      id: plan.id,
      priceMonthlyUsd: 2500,
      priceYearlyKhr: 1000000,
      features: ["audit_export"],
      limits: { properties: 3, units: 30, members: 4, messagesPerMonth: 100, storageMb: 100 },
      isPublic: false,
      subscriptions: 1,
    });
    expect(list.find((p) => p.code === "pro")?.limits.properties).toBeNull();
  });

  it("edits name, prices, days, visibility, features and limits (null = unlimited), audited with before/after; issued invoices keep their amounts", async () => {
    const admin = await platformAdmin();
    const plan = await testPlan();
    const t = await tenantOn(plan.code, "aped");
    const issued = await openInvoice(t.tenantId);
    expect(issued.amount).toBe(2500);

    const saved = await admin.caller.adminBilling.updatePlan({
      planId: plan.id,
      name: "Edited plan",
      priceMonthlyUsd: 3900,
      priceYearlyUsd: 39000,
      priceMonthlyKhr: 160000,
      priceYearlyKhr: 1600000,
      trialDays: 30,
      graceDays: 10,
      isPublic: false,
      features: ["custom_roles", "audit_export"],
      limits: { properties: null, units: 100, members: 10, messagesPerMonth: null, storageMb: 2048 },
    });
    expect(saved).toMatchObject({
      name: "Edited plan",
      priceMonthlyUsd: 3900,
      trialDays: 30,
      graceDays: 10,
      features: ["audit_export", "custom_roles"],
      limits: { properties: null, units: 100, members: 10, messagesPerMonth: null, storageMb: 2048 },
    });
    const stored = await rows.plan(plan.id);
    expect(stored).toMatchObject({ priceMonthlyUsd: 3900, priceYearlyKhr: 1600000, trialDays: 30, graceDays: 10 });
    expect(stored.limits).toEqual({ properties: null, units: 100, members: 10, messagesPerMonth: null, storageMb: 2048 });

    // the invoice issued before the edit is unchanged; the next one uses the new price
    expect(await rows.invoice(issued.id)).toMatchObject({ amount: 2500, currency: "USD", status: "open", planName: plan.name });
    const other = await tenantOn(plan.code, "aped2");
    expect((await openInvoice(other.tenantId)).amount).toBe(3900);

    const [audit] = await rows.audit("admin.plan.updated", plan.id);
    expect(audit).toMatchObject({ tenantId: null, actorUserId: admin.userId, actorEmail: admin.email, targetType: "plan" });
    expect(audit!.metadata).toMatchObject({
      code: plan.code,
      before: { name: plan.name, priceMonthlyUsd: 2500, trialDays: 14, limits: { properties: 3 } },
      after: { name: "Edited plan", priceMonthlyUsd: 3900, trialDays: 30, limits: { properties: null } },
    });
  });

  it("refuses an edit that changes nothing, an unknown plan and invalid values", async () => {
    const { caller } = await platformAdmin();
    const plan = await testPlan();
    const same = {
      planId: plan.id,
      name: plan.name,
      priceMonthlyUsd: plan.priceMonthlyUsd,
      priceYearlyUsd: plan.priceYearlyUsd,
      priceMonthlyKhr: plan.priceMonthlyKhr,
      priceYearlyKhr: plan.priceYearlyKhr,
      trialDays: plan.trialDays,
      graceDays: plan.graceDays,
      isPublic: plan.isPublic,
      features: ["audit_export" as const],
      limits: { properties: 3, units: 30, members: 4, messagesPerMonth: 100, storageMb: 100 },
    };
    await expectTRPCError(caller.adminBilling.updatePlan(same), "PRECONDITION_FAILED", { code: "INVALID_STATE", key: "errors.noChange" });
    await expectTRPCError(caller.adminBilling.updatePlan({ ...same, planId: randomUUID(), name: "x" }), "NOT_FOUND");
    await expectTRPCError(caller.adminBilling.updatePlan({ ...same, priceMonthlyUsd: -1 }), "BAD_REQUEST");
    await expectTRPCError(caller.adminBilling.updatePlan({ ...same, priceMonthlyKhr: 10.5 }), "BAD_REQUEST");
    expect(await rows.audit("admin.plan.updated", plan.id)).toEqual([]);
  });
});

describe("adminBilling.subscriptions", () => {
  it("joins tenant and plan, filters by status and tenant slug/name, pages by keyset", async () => {
    const { caller } = await platformAdmin();
    const tag = `s${hex(8)}`;
    const now = Date.now();
    const active = await createTenant({
      slug: `${tag}-a`,
      name: "Active Homes",
      subscription: { plan: "pro", status: "active", periodStart: new Date(now - DAY), periodEnd: new Date(now + 29 * DAY) },
    });
    const pastDue = await createTenant({
      slug: uniqueSlug("sbn"),
      name: `Late ${tag.toUpperCase()} Rentals`,
      subscription: {
        plan: "starter",
        status: "past_due",
        periodStart: new Date(now - 31 * DAY),
        periodEnd: new Date(now - DAY),
        graceEndsAt: new Date(now + 6 * DAY),
      },
    });
    const trial = await createTenant({
      slug: `${tag}-c`,
      subscription: { plan: "starter", status: "trialing", periodStart: new Date(now - DAY), periodEnd: new Date(now + 13 * DAY) },
    });
    await createTenant({ slug: uniqueSlug("other") });
    // a downgrade scheduled for the period end shows as the pending plan
    const starter = await platformDb.run((tx) => tx.plan.findUniqueOrThrow({ where: { code: "starter" } }));
    await platformDb.run((tx) =>
      tx.subscription.update({ where: { tenantId: active.tenantId }, data: { pendingPlanId: starter.id, pendingInterval: "year" } }),
    );

    const all = await caller.adminBilling.subscriptions({ search: tag, limit: 100 });
    // ending soonest first
    expect(all.items.map((s) => s.tenant.id)).toEqual([pastDue.tenantId, trial.tenantId, active.tenantId]);
    expect(all.items[2]).toMatchObject({
      tenant: { id: active.tenantId, slug: `${tag}-a`, name: "Active Homes" },
      plan: { code: "pro", name: "Pro" },
      pendingPlan: { code: "starter", name: "Starter", interval: "year" },
      status: "active",
      interval: "month",
      currency: "USD",
    });
    expect(all.items[0]).toMatchObject({ status: "past_due", graceEndsAt: expect.any(Date), pendingPlan: null });
    expect(all.items[1]).toMatchObject({ status: "trialing", trialEndsAt: expect.any(Date) });

    expect((await caller.adminBilling.subscriptions({ search: tag, status: "trialing" })).items.map((s) => s.tenant.id)).toEqual([
      trial.tenantId,
    ]);
    expect((await caller.adminBilling.subscriptions({ search: "active homes", status: "active" })).items.map((s) => s.tenant.id)).toContain(
      active.tenantId,
    );
    const desc = await caller.adminBilling.subscriptions({ search: tag, sort: "desc" });
    expect(desc.items.map((s) => s.tenant.id)).toEqual([active.tenantId, trial.tenantId, pastDue.tenantId]);

    const first = await caller.adminBilling.subscriptions({ search: tag, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe(first.items[1]!.id);
    const second = await caller.adminBilling.subscriptions({ search: tag, limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((s) => s.tenant.id)).toEqual([active.tenantId]);
    expect(second.nextCursor).toBeNull();
  });
});

describe("adminBilling.invoices", () => {
  it("filters by status, invoice number, tenant and issue day (in Phnom Penh), pages by keyset, newest first", async () => {
    const { caller } = await platformAdmin();
    const tag = `i${hex(8)}`;
    const a = await tenantOn("starter", `${tag}-a`);
    const b = await tenantOn("pro", `${tag}-b`);
    // 18:00 UTC on 14 March is 01:00 on 15 March in Phnom Penh
    const march15 = await openInvoice(a.tenantId, new Date("2021-03-14T18:00:00Z"));
    const recent = await openInvoice(b.tenantId);
    await platformDb.run((tx) =>
      tx.subscriptionInvoice.update({ where: { id: recent.id }, data: { status: "void", voidedAt: new Date() } }),
    );

    const all = await caller.adminBilling.invoices({ search: tag });
    expect(all.items.map((i) => i.id)).toEqual([recent.id, march15.id]);
    expect(all.items[1]).toMatchObject({
      number: march15.number,
      tenant: { id: a.tenantId, slug: a.slug },
      kind: "renewal",
      planName: "Starter",
      amount: 1900,
      currency: "USD",
      status: "open",
      settledBy: null,
    });
    expect((await caller.adminBilling.invoices({ search: tag, sort: "asc" })).items.map((i) => i.id)).toEqual([march15.id, recent.id]);
    expect((await caller.adminBilling.invoices({ search: tag, status: "void" })).items.map((i) => i.id)).toEqual([recent.id]);
    expect((await caller.adminBilling.invoices({ search: march15.number.toLowerCase() })).items.map((i) => i.id)).toEqual([march15.id]);
    expect((await caller.adminBilling.invoices({ search: b.slug })).items.map((i) => i.id)).toEqual([recent.id]);
    const day = (from: string, to: string) => caller.adminBilling.invoices({ search: tag, from, to }).then((r) => r.items.map((i) => i.id));
    expect(await day("2021-03-15", "2021-03-15")).toEqual([march15.id]);
    expect(await day("2021-03-14", "2021-03-14")).toEqual([]);
    expect(await day("2021-03-16", "2099-01-01")).toEqual([recent.id]);
    await expectTRPCError(caller.adminBilling.invoices({ from: "2031-03-16", to: "2031-03-15" }), "BAD_REQUEST");
    await expectTRPCError(caller.adminBilling.invoices({ from: "2031-02-30" }), "BAD_REQUEST");

    const page1 = await caller.adminBilling.invoices({ search: tag, limit: 1 });
    const page2 = await caller.adminBilling.invoices({ search: tag, limit: 1, cursor: page1.nextCursor! });
    expect([...page1.items, ...page2.items].map((i) => i.id)).toEqual([recent.id, march15.id]);
    expect(page2.nextCursor).toBeNull();
  });

  it("exports the filtered list as CSV with the tenant, and neutralises cells a spreadsheet would run", async () => {
    const admin = await platformAdmin();
    const plan = await testPlan({ name: "=HYPERLINK(evil)" });
    const t = await tenantOn(plan.code, `ix${hex(6)}`);
    const invoice = await openInvoice(t.tenantId);
    const svc = new AdminInvoiceService(admin, testMeta());
    const { rows: csv } = await csvOf(svc.invoiceCsv(adminInvoiceFiltersSchema.parse({ search: t.slug }), { batchSize: 1 }));
    expect(csv[0]).toEqual([
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
    ]);
    expect(csv).toHaveLength(2);
    expect(csv[1]!.slice(0, 5)).toEqual([invoice.number, t.slug, "open", "renewal", "'=HYPERLINK(evil)"]);
    expect(csv[1]!.slice(8, 11)).toEqual(["25.00", "2500", "USD"]);

    // the export link's query string round-trips to the same filters
    const params = billingFiltersToSearchParams({ search: t.slug, status: "open", from: "2030-01-01", sort: "desc" });
    expect(params.toString()).toBe(`status=open&search=${t.slug}&from=2030-01-01`);
    expect(adminInvoiceFiltersSchema.parse(billingFiltersFromSearchParams(params))).toEqual({
      search: t.slug,
      status: "open",
      from: "2030-01-01",
      to: undefined,
      sort: "desc",
    });
  });
});

describe("adminBilling.markInvoicePaid", () => {
  it("records a bank transfer: invoice paid, subscription active and extended, payment paid with the reference, audited with the admin", async () => {
    const admin = await platformAdmin();
    const now = Date.now();
    const t = await tenantOn("starter", "amp", {
      status: "past_due",
      periodStart: new Date(now - 32 * DAY),
      periodEnd: new Date(now - 2 * DAY),
      graceEndsAt: new Date(now + 5 * DAY),
    });
    const invoice = await openInvoice(t.tenantId, new Date(now - 9 * DAY));

    const result = await admin.caller.adminBilling.markInvoicePaid({
      invoiceId: invoice.id,
      method: "bank_transfer",
      reference: "  ABA-TT-7788 ",
    });
    expect(result).toMatchObject({ invoiceId: invoice.id, number: invoice.number, subscription: { status: "active" } });

    expect(await rows.invoice(invoice.id)).toMatchObject({ status: "paid", paidAt: expect.any(Date) });
    const sub = await rows.subscription(t.tenantId);
    expect(sub).toMatchObject({ status: "active", pastDueAt: null, graceEndsAt: null });
    expect(sub.currentPeriodStart).toEqual(invoice.periodStart);
    expect(sub.currentPeriodEnd).toEqual(invoice.periodEnd);
    expect(sub.currentPeriodEnd.getTime()).toBeGreaterThan(now + 25 * DAY);

    const payment = await rows.payment(result.paymentId);
    expect(payment).toMatchObject({
      tenantId: t.tenantId,
      subscriptionInvoiceId: invoice.id,
      method: "bank_transfer",
      status: "paid",
      amount: 1900,
      currency: "USD",
      reference: "ABA-TT-7788",
      recordedById: admin.userId,
      paidAt: expect.any(Date),
    });
    const audit = await rows.audit("billing.payment.succeeded", payment.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ tenantId: t.tenantId, actorUserId: admin.userId, actorEmail: admin.email, targetType: "payment" });

    // the lists show it settled
    const listed = await admin.caller.adminBilling.invoices({ search: invoice.number });
    expect(listed.items[0]).toMatchObject({
      status: "paid",
      settledBy: { id: payment.id, method: "bank_transfer", reference: "ABA-TT-7788" },
    });
    const payments = await admin.caller.adminBilling.payments({ search: "aba-tt-7788" });
    expect(payments.items.map((p) => p.id)).toEqual([payment.id]);
    expect(payments.items[0]).toMatchObject({
      recordedBy: admin.email,
      invoice: { id: invoice.id, number: invoice.number },
      tenant: { slug: t.slug },
    });
  });

  it("refuses a paid or void invoice, an unknown one and a missing reference, and changes nothing", async () => {
    const { caller } = await platformAdmin();
    const t = await tenantOn("starter", "ampx");
    const invoice = await openInvoice(t.tenantId);
    await caller.adminBilling.markInvoicePaid({ invoiceId: invoice.id, method: "cash", reference: "R-1" });
    await expectTRPCError(
      caller.adminBilling.markInvoicePaid({ invoiceId: invoice.id, method: "cash", reference: "R-2" }),
      "PRECONDITION_FAILED",
      {
        code: "INVALID_STATE",
        key: "billing.errors.invoiceNotOpen",
      },
    );

    const v = await tenantOn("starter", "ampv");
    const voided = await openInvoice(v.tenantId);
    await platformDb.run((tx) =>
      tx.subscriptionInvoice.update({ where: { id: voided.id }, data: { status: "void", voidedAt: new Date() } }),
    );
    const before = await rows.subscription(v.tenantId);
    await expectTRPCError(
      caller.adminBilling.markInvoicePaid({ invoiceId: voided.id, method: "bank_transfer", reference: "X-9" }),
      "PRECONDITION_FAILED",
      {
        code: "INVALID_STATE",
      },
    );
    expect(await rows.subscription(v.tenantId)).toEqual(before);
    expect(await platformDb.run((tx) => tx.payment.count({ where: { subscriptionInvoiceId: { in: [invoice.id, voided.id] } } }))).toBe(1);

    await expectTRPCError(caller.adminBilling.markInvoicePaid({ invoiceId: randomUUID(), method: "cash", reference: "R-3" }), "NOT_FOUND");
    await expectTRPCError(caller.adminBilling.markInvoicePaid({ invoiceId: voided.id, method: "cash", reference: " " }), "BAD_REQUEST");
    await expectTRPCError(
      caller.adminBilling.markInvoicePaid({ invoiceId: voided.id, method: "khqr" as "cash", reference: "R-4" }),
      "BAD_REQUEST",
    );
  });

  it("two concurrent clicks record one payment", async () => {
    const { caller } = await platformAdmin();
    const t = await tenantOn("starter", "ampc");
    const invoice = await openInvoice(t.tenantId);
    const results = await Promise.allSettled([
      caller.adminBilling.markInvoicePaid({ invoiceId: invoice.id, method: "cash", reference: "C-1" }),
      caller.adminBilling.markInvoicePaid({ invoiceId: invoice.id, method: "cash", reference: "C-2" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await platformDb.run((tx) => tx.payment.count({ where: { subscriptionInvoiceId: invoice.id } }))).toBe(1);
  });
});

describe("adminBilling.refundPayment", () => {
  it("refunds a paid payment (audited, entitlement unchanged) and refuses every other state", async () => {
    const admin = await platformAdmin();
    const t = await tenantOn("starter", "arf");
    const invoice = await openInvoice(t.tenantId);
    const { paymentId } = await admin.caller.adminBilling.markInvoicePaid({ invoiceId: invoice.id, method: "cash", reference: "RC-55" });
    const subBefore = await rows.subscription(t.tenantId);

    const r = await admin.caller.adminBilling.refundPayment({ paymentId, reason: "Paid twice by mistake" });
    expect(r).toMatchObject({ paymentId, status: "refunded" });
    expect(await rows.payment(paymentId)).toMatchObject({
      status: "refunded",
      refundReason: "Paid twice by mistake",
      refundedAt: expect.any(Date),
    });
    const sub = await rows.subscription(t.tenantId);
    expect({ status: sub.status, planId: sub.planId, end: sub.currentPeriodEnd }).toEqual({
      status: subBefore.status,
      planId: subBefore.planId,
      end: subBefore.currentPeriodEnd,
    });
    expect((await rows.invoice(invoice.id)).status).toBe("paid");
    const [audit] = await rows.audit("billing.payment.refunded", paymentId);
    expect(audit).toMatchObject({ tenantId: t.tenantId, actorUserId: admin.userId, actorEmail: admin.email });
    expect(audit!.metadata).toMatchObject({ before: { status: "paid" }, after: { status: "refunded" }, reason: "Paid twice by mistake" });

    // refunded → refunded is not a move
    await expectTRPCError(admin.caller.adminBilling.refundPayment({ paymentId, reason: "again" }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "billing.errors.illegalTransition",
    });
    // pending → refunded neither
    const other = await tenantOn("starter", "arfp");
    const pending = await khqrPayment(await openInvoice(other.tenantId));
    await expectTRPCError(admin.caller.adminBilling.refundPayment({ paymentId: pending.id, reason: "nope" }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
    });
    expect((await rows.payment(pending.id)).status).toBe("pending");
    expect(await rows.audit("billing.payment.refunded", pending.id)).toEqual([]);
    await expectTRPCError(admin.caller.adminBilling.refundPayment({ paymentId: randomUUID(), reason: "nope" }), "NOT_FOUND");
    await expectTRPCError(admin.caller.adminBilling.refundPayment({ paymentId, reason: "" }), "BAD_REQUEST");
  });
});

describe("adminBilling.payments", () => {
  it("filters by status, method, flagged and searches md5, Bakong hash, reference, invoice number and tenant; exports CSV", async () => {
    const admin = await platformAdmin();
    const tag = `p${hex(8)}`;
    const t = await tenantOn("pro", `${tag}-x`);
    const invoice = await openInvoice(t.tenantId);
    const khqr = await khqrPayment(invoice);
    const hash = hex(64);
    await platformDb.run((tx) =>
      tx.payment.update({
        where: { id: khqr.id },
        data: { bakongHash: hash, flaggedAt: new Date(), flagReason: "amount: expected 4900, got 100" },
      }),
    );
    const { paymentId: cash } = await admin.caller.adminBilling.markInvoicePaid({
      invoiceId: invoice.id,
      method: "cash",
      reference: "=SUM(A1)",
    });
    const ids = (p: Promise<{ items: { id: string }[] }>) => p.then((r) => r.items.map((i) => i.id));
    const list = (f: Parameters<Caller["adminBilling"]["payments"]>[0]) => ids(admin.caller.adminBilling.payments(f));

    expect(await list({ search: t.slug })).toEqual([cash, khqr.id]);
    expect(await list({ search: t.slug, sort: "asc" })).toEqual([khqr.id, cash]);
    // marking the invoice paid expired the QR attempt still open for it (it must not take money twice)
    expect(await list({ search: t.slug, status: "pending" })).toEqual([]);
    expect(await list({ search: t.slug, status: "expired" })).toEqual([khqr.id]);
    expect(await list({ search: t.slug, method: "cash" })).toEqual([cash]);
    expect(await list({ search: t.slug, flagged: true })).toEqual([khqr.id]);
    expect(await list({ search: t.slug, flagged: false })).toEqual([cash]);
    expect(await list({ search: khqr.md5!.toUpperCase() })).toEqual([khqr.id]);
    expect(await list({ search: hash.slice(10, 40) })).toEqual([khqr.id]);
    expect(await list({ search: invoice.number })).toEqual([cash, khqr.id]);
    expect(await list({ search: t.slug, from: "2000-01-01", to: "2000-12-31" })).toEqual([]);
    const flagged = (await admin.caller.adminBilling.payments({ search: t.slug, flagged: true })).items[0];
    expect(flagged).toMatchObject({
      flagReason: "amount: expected 4900, got 100",
      flaggedAt: expect.any(Date),
      md5: khqr.md5,
      bakongHash: hash,
    });

    const svc = new AdminPaymentService(admin, testMeta());
    const { rows: csv } = await csvOf(svc.paymentCsv(adminPaymentFiltersSchema.parse({ search: t.slug }), { batchSize: 1 }));
    expect(csv[0]!.slice(0, 9)).toEqual([
      "created_at",
      "tenant",
      "invoice",
      "method",
      "status",
      "amount",
      "amount_minor",
      "currency",
      "reference",
    ]);
    expect(csv.slice(1).map((r) => [r[1], r[2], r[3], r[4], r[5], r[8]])).toEqual([
      [t.slug, invoice.number, "cash", "paid", "49.00", "'=SUM(A1)"],
      [t.slug, invoice.number, "khqr", "expired", "49.00", ""],
    ]);
    const flaggedCsv = await csvOf(svc.paymentCsv(adminPaymentFiltersSchema.parse({ search: t.slug, flagged: true })));
    expect(flaggedCsv.rows).toHaveLength(2);
    // a cell with a comma is quoted
    expect(flaggedCsv.text).toContain(`,"amount: expected 4900, got 100",`);
  });
});

describe("adminBilling webhook inbox", () => {
  it("replaying a needs_review event with nothing fixed leaves it needing review and the payment unpaid (audited)", async () => {
    const admin = await platformAdmin();
    const t = await tenantOn("starter", "awr");
    const invoice = await openInvoice(t.tenantId);
    const payment = await khqrPayment(invoice);
    // the transfer was for $1, not $19
    const { event } = await storedEvent({
      md5: payment.md5!,
      amountMajor: 1,
      status: "needs_review",
      lastError: "amount: expected 1900, got 100",
      tenantId: t.tenantId,
      paymentId: payment.id,
    });

    const r = await admin.caller.adminBilling.replayWebhook({ webhookEventId: event.id });
    expect(r).toMatchObject({ webhookEventId: event.id, status: "needs_review", attempts: 2, httpStatus: 200 });
    expect(r.lastError).toContain("amount: expected 1900, got 100");
    expect(await rows.payment(payment.id)).toMatchObject({ status: "pending", flagReason: expect.stringContaining("amount") });
    expect((await rows.invoice(invoice.id)).status).toBe("open");
    const audit = await rows.audit("admin.webhook.replayed", event.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorUserId: admin.userId, actorEmail: admin.email, targetType: "webhook_event" });

    // the detail shows everything the inbox stored
    const detail = await admin.caller.adminBilling.webhook({ webhookEventId: event.id });
    expect(detail).toMatchObject({
      id: event.id,
      provider: "bakong",
      status: "needs_review",
      signatureValid: true,
      attempts: 2,
      tenant: { id: t.tenantId, slug: t.slug },
      replayable: true,
      bodyIsJson: true,
      headers: { "content-type": "application/json", "x-bakong-timestamp": "1760000000" },
      payment: { id: payment.id, status: "pending", amount: 1900, currency: "USD", md5: payment.md5, invoiceNumber: invoice.number },
    });
    expect(detail.body).toBe(JSON.stringify(JSON.parse(event.rawBody), null, 2));
    expect(detail.payment?.flagReason).toContain("amount");
  });

  it("replaying a failed event processes it again: payment, invoice and subscription settle once", async () => {
    const admin = await platformAdmin();
    const t = await tenantOn("starter", "awf", {
      status: "past_due",
      periodEnd: new Date(Date.now() - DAY),
      graceEndsAt: new Date(Date.now() + 6 * DAY),
    });
    const invoice = await openInvoice(t.tenantId);
    const payment = await khqrPayment(invoice);
    const { event, hash } = await storedEvent({ md5: payment.md5!, amountMajor: 19, status: "failed", lastError: "connection reset" });

    const r = await admin.caller.adminBilling.replayWebhook({ webhookEventId: event.id });
    expect(r).toMatchObject({ status: "processed", attempts: 2, lastError: null, httpStatus: 200, result: { ok: true, outcome: "paid" } });
    expect(await rows.payment(payment.id)).toMatchObject({ status: "paid", bakongHash: hash });
    expect((await rows.invoice(invoice.id)).status).toBe("paid");
    expect((await rows.subscription(t.tenantId)).status).toBe("active");
    expect(await rows.event(event.id)).toMatchObject({ tenantId: t.tenantId, paymentId: payment.id, status: "processed" });
    // the event had no tenant before the replay linked it: the audit row is filed under that tenant
    const [replayed] = await rows.audit("admin.webhook.replayed", event.id);
    expect(replayed).toMatchObject({
      tenantId: t.tenantId,
      actorUserId: admin.userId,
      metadata: { provider: "bakong", result: { outcome: "paid" } },
    });

    // a second replay of a processed event changes nothing
    const again = await admin.caller.adminBilling.replayWebhook({ webhookEventId: event.id });
    expect(again).toMatchObject({ status: "processed", attempts: 2, result: { duplicate: true } });
    expect(await platformDb.run((tx) => tx.payment.count({ where: { subscriptionInvoiceId: invoice.id, status: "paid" } }))).toBe(1);
    expect(await rows.audit("admin.webhook.replayed", event.id)).toHaveLength(2);
  });

  it("lists newest first with provider and status filters; shows non-JSON bodies as received; only Bakong events replay", async () => {
    const { caller } = await platformAdmin();
    const t = await tenantOn("starter", "awl");
    const payment = await khqrPayment(await openInvoice(t.tenantId));
    const older = await storedEvent({ md5: payment.md5!, amountMajor: 1, status: "needs_review", tenantId: t.tenantId });
    const newer = await storedEvent({ md5: payment.md5!, amountMajor: 2, status: "failed", lastError: "boom" });
    const providerName = `p${hex(6)}`;
    const other = await platformDb.run((tx) =>
      tx.webhookEvent.create({
        data: {
          provider: providerName,
          idempotencyKey: hex(12),
          headers: {},
          rawBody: "not <json>",
          signatureValid: false,
          status: "received",
        },
      }),
    );

    const bakong = await caller.adminBilling.webhooks({ provider: "bakong", limit: 100 });
    const mine = bakong.items.filter((e) => [older.event.id, newer.event.id].includes(e.id));
    expect(mine.map((e) => e.id)).toEqual([newer.event.id, older.event.id]);
    expect(mine[0]).toMatchObject({
      status: "failed",
      lastError: "boom",
      attempts: 1,
      signatureValid: true,
      replayable: true,
      tenant: null,
    });
    expect(mine[1]).toMatchObject({ status: "needs_review", tenant: { id: t.tenantId, slug: t.slug } });
    expect(bakong.items.some((e) => e.id === other.id)).toBe(false);
    const failed = await caller.adminBilling.webhooks({ status: "failed", limit: 100 });
    expect(failed.items.every((e) => e.status === "failed")).toBe(true);
    expect(failed.items.some((e) => e.id === newer.event.id)).toBe(true);
    expect((await caller.adminBilling.webhooks({ provider: providerName })).items).toEqual([
      expect.objectContaining({ id: other.id, signatureValid: false, replayable: false }),
    ]);

    const detail = await caller.adminBilling.webhook({ webhookEventId: other.id });
    expect(detail).toMatchObject({ body: "not <json>", bodyIsJson: false, headers: {}, payment: null, tenant: null });
    await expectTRPCError(caller.adminBilling.replayWebhook({ webhookEventId: other.id }), "PRECONDITION_FAILED", {
      code: "INVALID_STATE",
      key: "adminBilling.errors.replayUnsupported",
    });
    await expectTRPCError(caller.adminBilling.webhook({ webhookEventId: randomUUID() }), "NOT_FOUND");
    await expectTRPCError(caller.adminBilling.replayWebhook({ webhookEventId: randomUUID() }), "NOT_FOUND");
  });
});

describe("who may call adminBilling", () => {
  const calls: [string, (c: Caller) => Promise<unknown>][] = [
    ["plans", (c) => c.adminBilling.plans()],
    ["subscriptions", (c) => c.adminBilling.subscriptions({})],
    ["invoices", (c) => c.adminBilling.invoices({})],
    ["payments", (c) => c.adminBilling.payments({})],
    ["webhooks", (c) => c.adminBilling.webhooks({})],
    ["markInvoicePaid", (c) => c.adminBilling.markInvoicePaid({ invoiceId: randomUUID(), method: "cash", reference: "R-1" })],
    ["refundPayment", (c) => c.adminBilling.refundPayment({ paymentId: randomUUID(), reason: "x1" })],
    ["replayWebhook", (c) => c.adminBilling.replayWebhook({ webhookEventId: randomUUID() })],
  ];

  it("refuses tenant owners (tenant host and apex), admins on a tenant host, admins before 2FA and anonymous callers", async () => {
    const t = await createTenant({ slug: uniqueSlug("awho") });
    const admin = await platformAdmin("who");
    const ownerOnTenant = await signedIn(t.owner.userId, hostOf(t.slug));
    const ownerOnApex = await callerFor(APEX, await sessionFor(t.owner.userId, APEX));
    const adminOnTenant = await callerFor(hostOf(t.slug), await passMfa(await sessionFor(admin.userId, hostOf(t.slug))));
    const adminNoMfa = await callerFor(APEX, await sessionFor(admin.userId, APEX));
    const anonymous = await callerFor(APEX, null);
    for (const [name, call] of calls) {
      expect(name).toBeTruthy();
      await expectTRPCError(call(ownerOnTenant), "NOT_FOUND");
      await expectTRPCError(call(ownerOnApex), "NOT_FOUND");
      await expectTRPCError(call(adminOnTenant), "NOT_FOUND");
      await expectTRPCError(call(adminNoMfa), "FORBIDDEN", { key: "errors.mfaRequired" });
      await expectTRPCError(call(anonymous), "UNAUTHORIZED");
    }
    // and the admin who passed 2FA gets through
    await expect(admin.caller.adminBilling.plans()).resolves.toEqual(expect.any(Array));
  });

  it("reads the from/to days in Phnom Penh time", () => {
    expect(startOfDayIn("2031-03-15", "Asia/Phnom_Penh").toISOString()).toBe("2031-03-14T17:00:00.000Z");
    expect(startOfDayIn(addDaysToDay("2031-03-15", 1), "Asia/Phnom_Penh").toISOString()).toBe("2031-03-15T17:00:00.000Z");
    expect(startOfDayIn("2031-03-30", "Europe/Paris").toISOString()).toBe("2031-03-29T23:00:00.000Z");
  });
});
