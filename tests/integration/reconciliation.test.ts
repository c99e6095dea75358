// Bakong reconciliation (ReconciliationService): pending KHQR attempts checked by md5 against a
// local fake Bakong API, settled through the same step as the callback, failed, expired, and the
// API's bad days (list endpoint blocked, expired token, rate limits, outages, geo-blocking).
//
// The service looks at every pending KHQR payment in the database, including other files'. These
// tests therefore run on the real clock and backdate their own attempts' expiry instead of moving
// the clock forward (which would expire other tests' attempts).
import { beforeEach, describe, expect, it } from "vitest";
import { InngestTestEngine } from "@inngest/test";
import { bakongReconciliation } from "@/inngest/functions/bakong-reconciliation";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb } from "@/server/db/tenant-db";
import { EXPIRY_GRACE_MS, ReconciliationService } from "@/server/payments/reconciliation.jobs";
import { createTenant, issueRenewalInvoice, uniqueSlug } from "@/server/testing/factories";
import {
  ACCOUNT,
  DAY,
  MIN,
  auditOf,
  invoiceRow,
  khqrAttempt,
  majorUnits,
  outboxOf,
  paymentRow,
  randomMd5,
  subscriptionRow,
  withFakeBakong,
} from "./support/billing";

const bakong = withFakeBakong();
const TOKEN_KEY = "bakong.api_token";

beforeEach(async () => {
  bakong.fake.reset();
  await platformDb.run((tx) => tx.systemSetting.deleteMany({ where: { key: TOKEN_KEY } }));
});

async function openInvoice(prefix: string) {
  const now = Date.now();
  const t = await createTenant({
    slug: uniqueSlug(prefix),
    subscription: { plan: "starter", status: "active", periodStart: new Date(now - 25 * DAY), periodEnd: new Date(now + 5 * DAY) },
  });
  const invoice = await issueRenewalInvoice(t.tenantId);
  if (!invoice) throw new Error("no renewal invoice");
  return { t, invoice };
}

/** Bakong records the transfer for this attempt, exactly as asked (or with overrides). */
function pay(p: { md5: string | null; amount: number; currency: string }, overrides: { amount?: number; toAccountId?: string } = {}) {
  return bakong.fake.markPaid(p.md5!, {
    toAccountId: ACCOUNT,
    amount: majorUnits(p.amount, p.currency),
    currency: p.currency,
    ...overrides,
  });
}

const service = (at = new Date(), config = bakong.config()) => new ReconciliationService(() => at, config);

const listCalls = () => bakong.fake.calls.filter((c) => c.path === "/v1/check_transaction_by_md5_list");
const singleCalls = () => bakong.fake.calls.filter((c) => c.path === "/v1/check_transaction_by_md5");

describe("ReconciliationService", () => {
  it("pays a pending attempt Bakong reports paid, through the same settlement as the callback", async () => {
    const { t, invoice } = await openInvoice("rcpaid");
    const payment = await khqrAttempt(t.tenantId, invoice);
    const tx = pay(payment);
    const before = await subscriptionRow(t.tenantId);

    const result = await service().run();

    expect(result.paid).toBeGreaterThanOrEqual(1);
    expect(result.backoff).toBeNull();
    expect(listCalls().some((c) => (c.body as string[]).includes(payment.md5!))).toBe(true);
    const paid = await paymentRow(t.tenantId, payment.id);
    expect(paid).toMatchObject({ status: "paid", bakongHash: tx.hash, fromAccountId: tx.fromAccountId, flaggedAt: null });
    expect(await invoiceRow(t.tenantId, invoice.id)).toMatchObject({ status: "paid" });
    const after = await subscriptionRow(t.tenantId);
    expect(after).toMatchObject({ status: "active", currentPeriodStart: before.currentPeriodEnd, currentPeriodEnd: invoice.periodEnd });
    expect(await outboxOf(t.tenantId, "billing/payment.succeeded")).toHaveLength(1);
    const [audit] = await auditOf(t.tenantId, "billing.payment.succeeded");
    expect(audit!.metadata).toMatchObject({ note: "payment confirmed by reconciliation", invoiceId: invoice.id });

    // the next run has nothing left to do for it
    await service().run();
    expect(await paymentRow(t.tenantId, payment.id)).toEqual(paid);
    expect(await outboxOf(t.tenantId, "billing/payment.succeeded")).toHaveLength(1);
  });

  it("flags a reported transfer whose amount differs, and leaves it pending", async () => {
    const { t, invoice } = await openInvoice("rcmis");
    const payment = await khqrAttempt(t.tenantId, invoice);
    pay(payment, { amount: 1 });
    const result = await service().run();
    expect(result.flagged).toBeGreaterThanOrEqual(1);
    const row = await paymentRow(t.tenantId, payment.id);
    expect(row).toMatchObject({ status: "pending", flagReason: "amount: expected 1900, got 100" });
    expect(await invoiceRow(t.tenantId, invoice.id)).toMatchObject({ status: "open" });

    // the next runs leave it to an admin: not asked about again, no second audit row
    const asked = () => bakong.fake.calls.filter((c) => JSON.stringify(c.body).includes(payment.md5!)).length;
    const before = asked();
    await service().run();
    expect(asked()).toBe(before);
    expect(await auditOf(t.tenantId, "billing.payment.flagged")).toHaveLength(1);
  });

  it("marks an attempt Bakong reports failed as failed", async () => {
    const { t, invoice } = await openInvoice("rcfail");
    const payment = await khqrAttempt(t.tenantId, invoice);
    bakong.fake.markFailed(payment.md5!);
    const at = new Date();
    const result = await service(at).run();
    expect(result.failed).toBeGreaterThanOrEqual(1);
    expect(await paymentRow(t.tenantId, payment.id)).toMatchObject({ status: "failed", failedAt: at, failureReason: "bakong errorCode 3" });
    expect(await invoiceRow(t.tenantId, invoice.id)).toMatchObject({ status: "open" });
  });

  it("expires an attempt not found once expiry + grace has passed, and not a moment before", async () => {
    const { t, invoice } = await openInvoice("rcexp");
    const at = new Date();
    const due = await khqrAttempt(t.tenantId, invoice, { expiresAt: new Date(at.getTime() - EXPIRY_GRACE_MS) });
    const almost = await khqrAttempt(t.tenantId, invoice, { expiresAt: new Date(at.getTime() - EXPIRY_GRACE_MS + 1) });
    const live = await khqrAttempt(t.tenantId, invoice, { expiresAt: new Date(at.getTime() + 5 * MIN) });

    const result = await service(at).run();

    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect((await paymentRow(t.tenantId, due.id)).status).toBe("expired");
    expect((await paymentRow(t.tenantId, almost.id)).status).toBe("pending");
    expect((await paymentRow(t.tenantId, live.id)).status).toBe("pending");
    expect(await invoiceRow(t.tenantId, invoice.id)).toMatchObject({ status: "open" });
  });

  it("pays an attempt found during the grace window after its QR expired (the money moved)", async () => {
    const { t, invoice } = await openInvoice("rcgrace");
    const payment = await khqrAttempt(t.tenantId, invoice, { expiresAt: new Date(Date.now() - 5 * MIN) });
    pay(payment);
    await service().run();
    expect(await paymentRow(t.tenantId, payment.id)).toMatchObject({ status: "paid" });
    expect(await invoiceRow(t.tenantId, invoice.id)).toMatchObject({ status: "paid" });
  });

  it("pays an attempt already marked expired when Bakong later reports it paid (expired → paid by bakong)", async () => {
    const { t, invoice } = await openInvoice("rclate");
    const payment = await khqrAttempt(t.tenantId, invoice, { expiresAt: new Date(Date.now() - 40 * MIN) });
    const first = await service().run();
    expect(first.expired).toBeGreaterThanOrEqual(1);
    expect((await paymentRow(t.tenantId, payment.id)).status).toBe("expired");

    // the transfer shows up at Bakong after we gave up on it
    const tx = pay(payment);
    await service().run();
    expect(await paymentRow(t.tenantId, payment.id)).toMatchObject({ status: "paid", bakongHash: tx.hash });
    expect(await invoiceRow(t.tenantId, invoice.id)).toMatchObject({ status: "paid" });
    expect(await outboxOf(t.tenantId, "billing/payment.succeeded")).toHaveLength(1);
  });

  it("falls back to one check per md5 when the list endpoint is blocked", async () => {
    const { t, invoice } = await openInvoice("rcblock");
    const paidOne = await khqrAttempt(t.tenantId, invoice);
    const failedOne = await khqrAttempt(t.tenantId, invoice);
    pay(paidOne);
    bakong.fake.markFailed(failedOne.md5!);
    bakong.fake.setListBlocked(true);

    const result = await service().run();

    expect(result.backoff).toBeNull();
    expect(listCalls().length).toBeGreaterThanOrEqual(1);
    const singles = singleCalls().map((c) => (c.body as { md5: string }).md5);
    expect(singles).toEqual(expect.arrayContaining([paidOne.md5, failedOne.md5]));
    expect((await paymentRow(t.tenantId, paidOne.id)).status).toBe("paid");
    expect((await paymentRow(t.tenantId, failedOne.id)).status).toBe("failed");
  });

  it("renews a rejected token with renew_token, stores it, and finishes the run with it", async () => {
    const { t, invoice } = await openInvoice("rctoken");
    const payment = await khqrAttempt(t.tenantId, invoice);
    pay(payment);
    const config = bakong.config({ apiToken: "expired-token", apiEmail: "dev@phteah.test" });

    const result = await service(new Date(), config).run();

    expect(result).toMatchObject({ tokenRenewed: true, backoff: null });
    expect(bakong.fake.renewedTokens).toHaveLength(1);
    expect(bakong.fake.calls.filter((c) => c.path === "/v1/renew_token").map((c) => c.body)).toEqual([{ email: "dev@phteah.test" }]);
    const stored = await platformDb.run((tx) => tx.systemSetting.findUnique({ where: { key: TOKEN_KEY } }));
    expect(stored?.value).toBe(bakong.fake.token);
    expect(stored?.value).toBe(bakong.fake.renewedTokens[0]);
    expect((await paymentRow(t.tenantId, payment.id)).status).toBe("paid");

    // the next run (a new service, still configured with the old token) uses the stored one
    const next = await service(new Date(), config).run();
    expect(next.tokenRenewed).toBe(false);
    expect(bakong.fake.renewedTokens).toHaveLength(1);
  });

  it("renews the token when Bakong answers 401 mid-run", async () => {
    const { t, invoice } = await openInvoice("rc401");
    const payment = await khqrAttempt(t.tenantId, invoice);
    pay(payment);
    bakong.fake.setFailure(401, 1);
    const result = await service(new Date(), bakong.config({ apiEmail: "dev@phteah.test" })).run();
    expect(result.tokenRenewed).toBe(true);
    expect((await platformDb.run((tx) => tx.systemSetting.findUniqueOrThrow({ where: { key: TOKEN_KEY } }))).value).toBe(bakong.fake.token);
    expect((await paymentRow(t.tenantId, payment.id)).status).toBe("paid");
  });

  it("without a developer e-mail a rejected token fails the run and changes nothing", async () => {
    const { t, invoice } = await openInvoice("rcnoemail");
    const payment = await khqrAttempt(t.tenantId, invoice);
    pay(payment);
    await expect(service(new Date(), bakong.config({ apiToken: "expired-token" })).run()).rejects.toMatchObject({ kind: "unauthorized" });
    expect(bakong.fake.renewedTokens).toEqual([]);
    expect((await paymentRow(t.tenantId, payment.id)).status).toBe("pending");
    expect(await platformDb.run((tx) => tx.systemSetting.findUnique({ where: { key: TOKEN_KEY } }))).toBeNull();
  });

  it.each([
    [429, "rate_limited (retry after 7000 ms)"],
    [500, "server"],
    [403, "geo_blocked"],
  ] as const)("backs off on HTTP %s and changes nothing", async (status, backoff) => {
    const { t, invoice } = await openInvoice(`rc${status}`);
    const payment = await khqrAttempt(t.tenantId, invoice);
    const gone = await khqrAttempt(t.tenantId, invoice, { expiresAt: new Date(Date.now() - 60 * MIN) });
    pay(payment);
    bakong.fake.setFailure(status);

    const result = await service().run();

    expect(result).toMatchObject({ backoff, paid: 0, failed: 0, expired: 0 });
    expect((await paymentRow(t.tenantId, payment.id)).status).toBe("pending");
    // not even the attempt that would expire: nothing is decided without Bakong's answer
    expect((await paymentRow(t.tenantId, gone.id)).status).toBe("pending");
    expect(await invoiceRow(t.tenantId, invoice.id)).toMatchObject({ status: "open" });

    bakong.fake.setFailure(null);
    await service().run();
    expect((await paymentRow(t.tenantId, payment.id)).status).toBe("paid");
    expect((await paymentRow(t.tenantId, gone.id)).status).toBe("expired");
  });

  it("checks more than 50 attempts in batches of at most 50", async () => {
    const { t, invoice } = await openInvoice("rcbatch");
    const expiredAt = new Date(Date.now() - 2 * EXPIRY_GRACE_MS);
    const attempts: Awaited<ReturnType<typeof khqrAttempt>>[] = [];
    for (let i = 0; i < 60; i++) attempts.push(await khqrAttempt(t.tenantId, invoice, { expiresAt: expiredAt }));
    const paidOne = attempts[55]!;
    pay(paidOne);

    const result = await service().run();

    const lists = listCalls().map((c) => c.body as string[]);
    const asked = lists.flat();
    expect(lists.length).toBeGreaterThanOrEqual(2);
    expect(lists.every((l) => l.length <= 50)).toBe(true);
    expect(lists.length).toBe(Math.ceil(asked.length / 50));
    // every attempt asked exactly once
    for (const a of attempts)
      expect(
        asked.filter((m) => m === a.md5),
        a.md5!,
      ).toHaveLength(1);
    expect(singleCalls()).toEqual([]);
    expect(result.checked).toBe(asked.length);

    const rows = await new TenantDb(t.tenantId).run((tx) => tx.payment.findMany({ where: { id: { in: attempts.map((a) => a.id) } } }));
    const statuses = Object.fromEntries(rows.map((r) => [r.id, r.status]));
    expect(statuses[paidOne.id]).toBe("paid");
    expect(attempts.filter((a) => a.id !== paidOne.id).every((a) => statuses[a.id] === "expired")).toBe(true);
  });

  it("checks a new pending attempt even behind 1,000 older ones still in the late-confirmation window", async () => {
    // a busy day's abandoned QR codes stay checkable for 24 h after expiry; the run's cap must not
    // starve the attempt someone is paying right now (the oldest-first cap did)
    const { t, invoice } = await openInvoice("rcstarve");
    const now = Date.now();
    const old = Array.from({ length: 1_000 }, (_, i) => ({
      tenantId: t.tenantId,
      purpose: "subscription" as const,
      subscriptionInvoiceId: invoice.id,
      method: "khqr" as const,
      status: "expired" as const,
      amount: invoice.amount,
      currency: invoice.currency,
      receivingAccount: ACCOUNT,
      billNumber: invoice.number,
      qrString: `test-qr-old-${i}`,
      md5: randomMd5(),
      createdAt: new Date(now - 20 * 3_600_000 + i),
      expiresAt: new Date(now - 20 * 3_600_000 + 10 * MIN + i),
    }));
    await new TenantDb(t.tenantId).run((tx) => tx.payment.createMany({ data: old }));
    try {
      const fresh = await khqrAttempt(t.tenantId, invoice);
      pay(fresh);
      const result = await service().run();
      expect((await paymentRow(t.tenantId, fresh.id)).status).toBe("paid");
      expect(result.paid).toBeGreaterThanOrEqual(1);
    } finally {
      const md5s = old.map((o) => o.md5);
      await new TenantDb(t.tenantId).run((tx) => tx.payment.deleteMany({ where: { md5: { in: md5s } } }));
    }
  }, 60_000); // 1,000 rows to write and check: more than the default 20 s on a loaded machine

  it("does nothing without a Bakong API configured", async () => {
    const { t, invoice } = await openInvoice("rcnone");
    const payment = await khqrAttempt(t.tenantId, invoice, { expiresAt: new Date(Date.now() - 60 * MIN) });
    const result = await service(new Date(), bakong.config({ apiBaseUrl: null })).run();
    expect(result).toEqual({ checked: 0, paid: 0, failed: 0, expired: 0, flagged: 0, backoff: null, tokenRenewed: false });
    expect((await paymentRow(t.tenantId, payment.id)).status).toBe("pending");
    expect(bakong.fake.calls).toEqual([]);
  });
});

describe("bakong-reconciliation (Inngest)", () => {
  it("returns the run's result, and asks Inngest to retry later when Bakong backs it off", async () => {
    const { t, invoice } = await openInvoice("rcfn");
    const payment = await khqrAttempt(t.tenantId, invoice);
    pay(payment);

    bakong.fake.setFailure(429);
    const throttled = await new InngestTestEngine({ function: bakongReconciliation }).execute();
    expect(throttled.error).toBeDefined();
    expect(String((throttled.error as Error).message)).toContain("Bakong asked to back off: rate_limited");
    expect((await paymentRow(t.tenantId, payment.id)).status).toBe("pending");

    bakong.fake.setFailure(null);
    const ok = await new InngestTestEngine({ function: bakongReconciliation }).execute();
    expect(ok.error).toBeUndefined();
    expect(ok.result).toMatchObject({ backoff: null, paid: expect.any(Number) });
    expect((await paymentRow(t.tenantId, payment.id)).status).toBe("paid");
  });
});
