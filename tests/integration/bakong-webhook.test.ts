// The Bakong payment callback (app/api/webhooks/bakong/route.ts → BakongWebhookService →
// settlement) and the KHQR checkout that creates the payments it settles, against the real
// database and a local fake Bakong API. Covers duplicate and concurrent deliveries, signatures,
// mismatches, unknown QR codes and the one-receipt guarantee of the billing-receipt function.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InngestTestEngine } from "@inngest/test";
import { billingReceipt } from "@/inngest/functions/billing-notifications";
import { createTenant, issueRenewalInvoice, uniqueSlug, type TestSubscription } from "@/server/testing/factories";
import { decodeKhqr, md5Hex, verifyKhqr } from "@/server/payments/khqr";
import { KHQR_TTL_MS } from "@/server/payments/subscription-checkout";
import { BakongWebhookService } from "@/server/payments/bakong-webhook.public";
import { addMonths } from "@/lib/dates";
import { platformDb } from "@/server/db/platform-db";
import { hostOf, signedIn } from "./support/world";
import { captureMail, manualClock } from "./support/team";
import { flushDeliveries } from "@/server/notifications/queue";
import {
  ACCOUNT,
  DAY,
  MIN,
  auditOf,
  billingRows,
  billingServiceFor,
  checkoutFor,
  callbackBody,
  invoiceRow,
  khqrAttempt,
  outboxOf,
  paymentRow,
  postCallback,
  randomMd5,
  signedCallback,
  subscriptionRow,
  transactionFor,
  withFakeBakong,
  webhookRows,
} from "./support/billing";

withFakeBakong();
const mail = captureMail();

/** A Starter workspace near the end of a paid month, with its renewal invoice open. */
async function withOpenRenewal(prefix: string, sub: TestSubscription = {}) {
  const now = Date.now();
  const t = await createTenant({
    slug: uniqueSlug(prefix),
    subscription: { plan: "starter", status: "active", periodStart: new Date(now - 25 * DAY), periodEnd: new Date(now + 5 * DAY), ...sub },
  });
  const invoice = await issueRenewalInvoice(t.tenantId);
  if (!invoice) throw new Error("no renewal invoice");
  return { t, invoice };
}

/** …and a KHQR attempt for it started through the tRPC caller, as the billing page does. */
async function pendingCheckout(prefix: string) {
  const { t, invoice } = await withOpenRenewal(prefix);
  const owner = await signedIn(t.owner.userId, hostOf(t.slug));
  const view = await owner.billing.checkout({ invoiceId: invoice.id });
  const payment = await paymentRow(t.tenantId, view.paymentId);
  return { t, invoice, owner, view, payment };
}

function settledCount(results: Array<{ body: Record<string, unknown> }>, outcome: string) {
  return results.filter((r) => r.body.outcome === outcome).length;
}

describe("Bakong callback: idempotent settlement", () => {
  it("50 concurrent deliveries of one event settle the payment once", async () => {
    const { t, invoice, payment } = await pendingCheckout("bkw50");
    const before = await subscriptionRow(t.tenantId);
    const tx = transactionFor(payment);
    const eventId = `evt-${randomUUID()}`;
    const cb = signedCallback(callbackBody(payment.md5!, tx, eventId));

    const results = await Promise.all(Array.from({ length: 50 }, () => postCallback(cb)));

    // one settles; the others answer 200 "duplicate": processed, or still processing by another
    // delivery (they do not queue behind it holding a database connection)
    expect(settledCount(results, "paid")).toBe(1);
    const others = results.filter((r) => r.body.outcome !== "paid");
    expect(others).toHaveLength(49);
    for (const r of others) {
      expect([
        { status: 200, body: { ok: true, duplicate: true, status: "processed" } },
        { status: 200, body: { ok: true, duplicate: true, status: "processing" } },
      ]).toContainEqual(r);
    }
    expect(results.find((r) => r.body.outcome === "paid")!.status).toBe(200);

    const paid = await paymentRow(t.tenantId, payment.id);
    expect(paid).toMatchObject({ status: "paid", bakongHash: tx.hash, fromAccountId: "payer@aclb", flaggedAt: null });
    expect(paid.paidAt).toBeInstanceOf(Date);
    const inv = await invoiceRow(t.tenantId, invoice.id);
    expect(inv).toMatchObject({ status: "paid" });
    // the renewal extends the subscription by exactly one period
    const after = await subscriptionRow(t.tenantId);
    expect(after.status).toBe("active");
    expect(after.currentPeriodStart).toEqual(before.currentPeriodEnd);
    expect(after.currentPeriodEnd).toEqual(addMonths(before.currentPeriodEnd, 1));
    expect(after.currentPeriodEnd).toEqual(inv.periodEnd);

    expect(await outboxOf(t.tenantId, "billing/payment.succeeded")).toEqual([
      expect.objectContaining({
        dedupeKey: `payment-succeeded:${payment.id}`,
        payload: expect.objectContaining({ paymentId: payment.id, invoiceId: invoice.id }),
      }),
    ]);
    expect(await auditOf(t.tenantId, "billing.payment.succeeded")).toHaveLength(1);
    expect(await auditOf(t.tenantId, "billing.subscription.status_changed")).toHaveLength(1);
    const rows = await webhookRows(eventId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "processed", attempts: 1, paymentId: payment.id, tenantId: t.tenantId, signatureValid: true });
  });

  it("10 concurrent deliveries with different event ids for the same QR still settle once", async () => {
    const { t, invoice, payment } = await pendingCheckout("bkw10");
    const tx = transactionFor(payment);
    const ids = Array.from({ length: 10 }, () => `evt-${randomUUID()}`);

    const results = await Promise.all(ids.map((id) => postCallback(signedCallback(callbackBody(payment.md5!, tx, id)))));

    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(settledCount(results, "paid")).toBe(1);
    expect(settledCount(results, "already_paid")).toBe(9);
    expect(await paymentRow(t.tenantId, payment.id)).toMatchObject({ status: "paid", bakongHash: tx.hash });
    expect(await invoiceRow(t.tenantId, invoice.id)).toMatchObject({ status: "paid" });
    expect(await outboxOf(t.tenantId, "billing/payment.succeeded")).toHaveLength(1);
    expect(await auditOf(t.tenantId, "billing.payment.succeeded")).toHaveLength(1);
    expect(await auditOf(t.tenantId, "billing.subscription.status_changed")).toHaveLength(1);
    for (const id of ids) expect((await webhookRows(id)).map((r) => r.status)).toEqual(["processed"]);
  });

  it("a repeat of a processed event answers 200 duplicate and changes nothing", async () => {
    const { t, payment } = await pendingCheckout("bkwdup");
    const eventId = `evt-${randomUUID()}`;
    const body = callbackBody(payment.md5!, transactionFor(payment), eventId);
    expect(await postCallback(signedCallback(body))).toMatchObject({ status: 200, body: { ok: true, outcome: "paid" } });
    const snapshot = await billingRows(t.tenantId);

    const again = await postCallback(signedCallback(body));
    expect(again).toEqual({ status: 200, body: { ok: true, duplicate: true, status: "processed" } });
    expect(await billingRows(t.tenantId)).toEqual(snapshot);
    expect(await outboxOf(t.tenantId, "billing/payment.succeeded")).toHaveLength(1);
    expect((await webhookRows(eventId))[0]).toMatchObject({ status: "processed", attempts: 1 });
  });

  it("without an eventId the transaction hash is the idempotency key", async () => {
    const { t, payment } = await pendingCheckout("bkwhash");
    const tx = transactionFor(payment);
    const body = callbackBody(payment.md5!, tx, null);
    expect((await postCallback(signedCallback(body))).body).toMatchObject({ outcome: "paid" });
    expect((await postCallback(signedCallback(body))).body).toMatchObject({ duplicate: true });
    expect(await webhookRows(tx.hash)).toEqual([
      expect.objectContaining({ status: "processed", paymentId: payment.id, tenantId: t.tenantId }),
    ]);
  });
});

describe("Bakong callback: authenticity", () => {
  it("refuses a forged signature, a tampered body and stale or future timestamps with 401, storing nothing", async () => {
    const { t, payment } = await pendingCheckout("bkwsig");
    const eventId = `evt-${randomUUID()}`;
    const body = callbackBody(payment.md5!, transactionFor(payment), eventId);
    const now = Date.now();

    const forged = signedCallback(body, { secret: "not-the-secret-not-the-secret-000" });
    const tampered = signedCallback(body);
    const tamperedBody = callbackBody(payment.md5!, { ...body.transaction, toAccountId: "thief@aclb" }, eventId);
    const stale = signedCallback(body, { at: now - 301_000 });
    const future = signedCallback(body, { at: now + 302_000 });
    const unsigned = signedCallback(body);
    unsigned.headers.delete("x-bakong-signature");
    const noTimestamp = signedCallback(body);
    noTimestamp.headers.delete("x-bakong-timestamp");
    const otherPrefix = signedCallback(body);
    otherPrefix.headers.set("x-bakong-signature", otherPrefix.headers.get("x-bakong-signature")!.replace("sha256=", "sha1="));

    for (const cb of [
      forged,
      { raw: JSON.stringify(tamperedBody), headers: tampered.headers },
      stale,
      future,
      unsigned,
      noTimestamp,
      otherPrefix,
    ]) {
      expect(await postCallback(cb)).toEqual({ status: 401, body: { error: "invalid signature" } });
    }
    expect(await webhookRows(eventId)).toEqual([]);
    expect(await paymentRow(t.tenantId, payment.id)).toMatchObject({ status: "pending", flaggedAt: null, bakongHash: null });
    // kept for investigation, each under a key of its own, never processed
    const rejected = await platformDb.run((tx) =>
      tx.webhookEvent.findMany({ where: { provider: "bakong", rawBody: { contains: eventId } } }),
    );
    expect(rejected).toHaveLength(7);
    for (const r of rejected) {
      expect(r).toMatchObject({ signatureValid: false, status: "ignored", paymentId: null, tenantId: null });
      expect(r.idempotencyKey).toMatch(/^rejected:/);
      expect(r.lastError).toMatch(/^signature rejected: (bad_signature|stale_timestamp|missing_headers)$/);
    }

    // the forgeries did not claim the event id: the genuine delivery still settles
    expect(await postCallback(signedCallback(body, { at: now - 290_000 }))).toMatchObject({ status: 200, body: { outcome: "paid" } });
  });

  it("answers 400 to a signed body that is not a callback, and 413 to an oversized one", async () => {
    const garbage = signedCallback("{not json");
    expect(await postCallback(garbage)).toEqual({ status: 400, body: { error: "invalid payload" } });
    const wrongShape = signedCallback({ eventId: `evt-${randomUUID()}`, md5: "nope", transaction: {} });
    expect((await postCallback(wrongShape)).status).toBe(400);
    const huge = signedCallback({ eventId: `evt-${randomUUID()}`, md5: randomMd5(), pad: "x".repeat(70_000) });
    expect((await postCallback(huge)).status).toBe(413);
  });
});

describe("Bakong callback: confirmations that do not match", () => {
  it("leaves the payment pending and flagged, stores the event as needs_review, and a repeat changes nothing", async () => {
    const { t, invoice } = await withOpenRenewal("bkwmis");
    const amount = await khqrAttempt(t.tenantId, invoice);
    const currency = await khqrAttempt(t.tenantId, invoice);
    const account = await khqrAttempt(t.tenantId, invoice);
    const cases = [
      { payment: amount, tx: transactionFor(amount, { amount: 18.99 }), reason: "amount: expected 1900, got 1899" },
      // KHR 1900 is 1900 minor units too: only the currency differs
      { payment: currency, tx: transactionFor(currency, { currency: "KHR", amount: 1900 }), reason: "currency: expected USD, got KHR" },
      {
        payment: account,
        tx: transactionFor(account, { toAccountId: "someone@aclb" }),
        reason: `account: expected ${ACCOUNT}, got someone@aclb`,
      },
    ];

    for (const c of cases) {
      const eventId = `evt-${randomUUID()}`;
      const body = callbackBody(c.payment.md5!, c.tx, eventId);
      expect(await postCallback(signedCallback(body))).toEqual({ status: 200, body: { ok: true, review: true } });

      const flagged = await paymentRow(t.tenantId, c.payment.id);
      expect(flagged).toMatchObject({ status: "pending", paidAt: null, bakongHash: null, flagReason: c.reason });
      expect(flagged.flaggedAt).toBeInstanceOf(Date);
      const [row] = await webhookRows(eventId);
      expect(row).toMatchObject({
        status: "needs_review",
        paymentId: c.payment.id,
        tenantId: t.tenantId,
        lastError: c.reason,
        attempts: 1,
      });

      // the relay retries the same delivery: 200, nothing changes
      const again = await postCallback(signedCallback(body));
      expect(again).toEqual({ status: 200, body: { ok: true, duplicate: true, status: "needs_review" } });
      expect(await paymentRow(t.tenantId, c.payment.id)).toEqual(flagged);
      expect(await webhookRows(eventId)).toEqual([row]);
    }

    expect(await invoiceRow(t.tenantId, invoice.id)).toMatchObject({ status: "open", paidAt: null });
    expect(await outboxOf(t.tenantId, "billing/payment.succeeded")).toEqual([]);
    expect(await auditOf(t.tenantId, "billing.payment.succeeded")).toEqual([]);
    expect((await auditOf(t.tenantId, "billing.payment.flagged")).map((a) => a.targetId).sort()).toEqual(
      [amount.id, currency.id, account.id].sort(),
    );
    const sub = await subscriptionRow(t.tenantId);
    expect(sub.currentPeriodEnd).toEqual(invoice.periodStart);
  });

  it("refuses a transaction hash that already settled another payment", async () => {
    const first = await pendingCheckout("bkwreuse1");
    const second = await pendingCheckout("bkwreuse2");
    const tx = transactionFor(first.payment);
    expect((await postCallback(signedCallback(callbackBody(first.payment.md5!, tx)))).body).toMatchObject({ outcome: "paid" });
    // the same Bakong transaction replayed against another tenant's QR
    const replay = await postCallback(signedCallback(callbackBody(second.payment.md5!, tx)));
    expect(replay).toEqual({ status: 200, body: { ok: true, review: true } });
    const p = await paymentRow(second.t.tenantId, second.payment.id);
    expect(p.status).toBe("pending");
    expect(p.flagReason).toContain(`already settled payment ${first.payment.id}`);
  });

  it("stores an unknown QR as ignored and answers 200 {ignored: true}", async () => {
    const eventId = `evt-${randomUUID()}`;
    const body = callbackBody(randomMd5(), transactionFor({ amount: 1900, currency: "USD" }), eventId);
    expect(await postCallback(signedCallback(body))).toEqual({ status: 200, body: { ok: true, ignored: true } });
    const [row] = await webhookRows(eventId);
    expect(row).toMatchObject({
      status: "ignored",
      paymentId: null,
      tenantId: null,
      lastError: "unknown md5",
      rawBody: JSON.stringify(body),
    });
    expect(row!.headers).toMatchObject({
      "x-bakong-timestamp": expect.any(String),
      "x-bakong-signature": expect.stringMatching(/^sha256=/),
    });
    expect(await postCallback(signedCallback(body))).toEqual({ status: 200, body: { ok: true, duplicate: true, status: "ignored" } });
    expect(await webhookRows(eventId)).toHaveLength(1);
  });
});

describe("Bakong callback: transfers that cannot settle their invoice", () => {
  it("a second QR paid for an invoice already paid is recorded as paid, flagged for a refund, and extends nothing", async () => {
    const { t, invoice } = await withOpenRenewal("bkwtwice");
    const a = await khqrAttempt(t.tenantId, invoice);
    const b = await khqrAttempt(t.tenantId, invoice);
    expect((await postCallback(signedCallback(callbackBody(a.md5!, transactionFor(a))))).body).toMatchObject({ outcome: "paid" });
    const extended = await subscriptionRow(t.tenantId);

    expect((await postCallback(signedCallback(callbackBody(b.md5!, transactionFor(b))))).body).toMatchObject({ outcome: "paid" });
    const second = await paymentRow(t.tenantId, b.id);
    expect(second).toMatchObject({ status: "paid", flagReason: `invoice ${invoice.number} was already paid: refund this payment` });
    expect(await subscriptionRow(t.tenantId)).toEqual(extended);
    expect(await auditOf(t.tenantId, "billing.subscription.status_changed")).toHaveLength(1);
  });

  it("a QR shown before the invoice was re-priced does not pay the new amount", async () => {
    const { t, invoice } = await withOpenRenewal("bkwstale", { plan: "pro" });
    const owner = await signedIn(t.owner.userId, hostOf(t.slug));
    expect(invoice.amount).toBe(4900);
    // a downgrade is scheduled (renewal → $19), a QR for $19 is shown, then the downgrade is taken back (renewal → $49)
    await owner.billing.changePlan({ planCode: "starter", interval: "month" });
    const cheap = await owner.billing.checkout({ invoiceId: invoice.id });
    expect(cheap.amount).toBe(1900);
    await owner.billing.cancelScheduledChange();
    const stale = await paymentRow(t.tenantId, cheap.paymentId);
    expect(stale).toMatchObject({ status: "expired", amount: 1900 });
    expect(await invoiceRow(t.tenantId, invoice.id)).toMatchObject({ status: "open", amount: 4900 });
    const before = await subscriptionRow(t.tenantId);

    // the payer scans the old QR anyway: $19 reaches us
    expect((await postCallback(signedCallback(callbackBody(stale.md5!, transactionFor(stale))))).body).toMatchObject({ outcome: "paid" });

    expect(await paymentRow(t.tenantId, stale.id)).toMatchObject({
      status: "paid",
      flagReason: `invoice ${invoice.number} is 4900 USD, this payment 1900 USD: refund it or collect the difference`,
    });
    expect(await invoiceRow(t.tenantId, invoice.id)).toMatchObject({ status: "open", paidAt: null });
    expect(await subscriptionRow(t.tenantId)).toEqual(before);
  });
});

describe("billing-receipt (Inngest)", () => {
  it("sends one receipt per payment, however often the event is delivered", async () => {
    const { t, invoice, payment } = await pendingCheckout("bkwrcpt");
    expect((await postCallback(signedCallback(callbackBody(payment.md5!, transactionFor(payment))))).body).toMatchObject({
      outcome: "paid",
    });
    const [event] = await outboxOf(t.tenantId, "billing/payment.succeeded");
    expect(event!.payload).toEqual({ tenantId: t.tenantId, paymentId: payment.id, invoiceId: invoice.id });

    const run = () =>
      new InngestTestEngine({
        function: billingReceipt,
        events: [{ name: "billing/payment.succeeded", data: event!.payload as { tenantId: string; paymentId: string; invoiceId: string } }],
      }).execute();
    const first = await run();
    const second = await run();

    expect(first.result).toEqual({ queued: 1 });
    expect(second.result).toEqual({ queued: 0, skipped: "already queued or not paid" });
    await flushDeliveries();
    const receipts = mail.to(t.owner.email).filter((m) => m.tags?.kind === "billing_payment_receipt");
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.text).toContain(invoice.number);
    expect(receipts[0]!.text).toContain("$19.00");
    expect(receipts[0]!.text).toContain(`/billing/invoices/${invoice.id}/pdf?kind=receipt`);
    expect((await paymentRow(t.tenantId, payment.id)).receiptSentAt).toBeInstanceOf(Date);
  });

  it("sends nothing for a payment that is not paid", async () => {
    const { t, payment } = await pendingCheckout("bkwrcpt0");
    const { result } = await new InngestTestEngine({
      function: billingReceipt,
      events: [{ name: "billing/payment.succeeded", data: { tenantId: t.tenantId, paymentId: payment.id, invoiceId: null } }],
    }).execute();
    expect(result).toEqual({ queued: 0, skipped: "already queued or not paid" });
    await flushDeliveries();
    expect(mail.to(t.owner.email)).toEqual([]);
  });
});

describe("BakongWebhookService on a controlled clock", () => {
  it("judges the timestamp window against its own clock (300 s accepted, 301 s refused)", async () => {
    const { t, payment } = await pendingCheckout("bkwclock");
    // whole seconds: the header carries unix seconds
    const at = new Date(Math.floor((Date.now() + 3 * DAY) / 1000) * 1000);
    const service = new BakongWebhookService(() => at, "a-test-secret-that-is-long-enough-000");
    const body = callbackBody(payment.md5!, transactionFor(payment));
    const stale = signedCallback(body, { at: at.getTime() - 301_000, secret: "a-test-secret-that-is-long-enough-000" });
    expect((await service.receive(stale.raw, stale.headers)).status).toBe(401);
    // signed with the app's secret: refused by a service holding another one
    const appSecret = signedCallback(body, { at });
    expect((await service.receive(appSecret.raw, appSecret.headers)).status).toBe(401);
    const edge = signedCallback(body, { at: at.getTime() - 300_000, secret: "a-test-secret-that-is-long-enough-000" });
    expect(await service.receive(edge.raw, edge.headers)).toEqual({ status: 200, body: { ok: true, outcome: "paid" } });
    expect((await paymentRow(t.tenantId, payment.id)).paidAt).toEqual(at);
  });
});

describe("KHQR checkout (billing.changePlan → billing.checkout)", () => {
  async function trialing(prefix: string) {
    const now = Date.now();
    const t = await createTenant({
      slug: uniqueSlug(prefix),
      subscription: { plan: "starter", status: "trialing", periodStart: new Date(now - 10 * DAY), periodEnd: new Date(now + 4 * DAY) },
    });
    return { t, owner: await signedIn(t.owner.userId, hostOf(t.slug)) };
  }

  it("returns a verifiable dynamic KHQR for the invoice: bill number, exact amount, 10-minute expiry, unique md5", async () => {
    const { t, owner } = await trialing("chk");
    const change = await owner.billing.changePlan({ planCode: "pro", interval: "month" });
    expect(change).toMatchObject({ kind: "invoice", invoiceId: expect.any(String) });
    const invoice = await invoiceRow(t.tenantId, change.invoiceId!);
    expect(invoice).toMatchObject({ kind: "plan_change", amount: 4900, currency: "USD", status: "open" });

    const before = Date.now();
    const view = await owner.billing.checkout({ invoiceId: invoice.id });
    const after = Date.now();

    expect(view).toMatchObject({
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      status: "pending",
      amount: 4900,
      currency: "USD",
      paidAt: null,
    });
    expect(view.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + KHQR_TTL_MS);
    expect(view.expiresAt!.getTime()).toBeLessThanOrEqual(after + KHQR_TTL_MS);
    expect(KHQR_TTL_MS).toBe(10 * MIN);
    expect(verifyKhqr(view.qr!)).toBe(true);
    const decoded = decodeKhqr(view.qr!);
    expect(decoded).toMatchObject({ accountId: ACCOUNT, amount: 4900, currency: "USD", billNumber: invoice.number, dynamic: true });
    expect(decoded.expiration!.getTime()).toBe(view.expiresAt!.getTime());
    expect(view.qrImage).toMatch(/^data:image\/png;base64,/);
    expect(view.deepLink).toMatch(/^https:\/\/bakong\.page\.link\/fake-\d+$/);

    const payment = await paymentRow(t.tenantId, view.paymentId);
    expect(payment).toMatchObject({
      method: "khqr",
      status: "pending",
      amount: 4900,
      currency: "USD",
      receivingAccount: ACCOUNT,
      billNumber: invoice.number,
      qrString: view.qr,
    });
    expect(payment.md5).toBe(md5Hex(view.qr!));
    expect(await platformDb.run((tx) => tx.payment.count({ where: { md5: payment.md5 } }))).toBe(1);
    expect(await auditOf(t.tenantId, "billing.payment.checkout_started")).toEqual([
      expect.objectContaining({ targetId: payment.id, metadata: expect.objectContaining({ md5: payment.md5, invoice: invoice.number }) }),
    ]);

    // the page polls; a second checkout inside the window resumes the same attempt
    const again = await owner.billing.checkout({ invoiceId: invoice.id });
    expect(again).toMatchObject({ paymentId: view.paymentId, qr: view.qr, expiresAt: view.expiresAt });
    expect(await owner.billing.payment({ paymentId: view.paymentId })).toMatchObject({ status: "pending", invoiceNumber: invoice.number });
    expect((await billingRows(t.tenantId)).payments).toHaveLength(1);
  });

  it("builds KHR QR codes in whole riel", async () => {
    const { t, owner } = await trialing("chkkhr");
    const change = await owner.billing.changePlan({ planCode: "pro", interval: "month", currency: "KHR" });
    const view = await owner.billing.checkout({ invoiceId: change.invoiceId! });
    expect(view).toMatchObject({ amount: 200000, currency: "KHR" });
    expect(decodeKhqr(view.qr!)).toMatchObject({ amount: 200000, currency: "KHR" });
    expect((await invoiceRow(t.tenantId, change.invoiceId!)).currency).toBe("KHR");
  });

  it("offers a new attempt (new md5) once the current one is within a minute of expiring", async () => {
    const { t } = await trialing("chkexp");
    const clock = manualClock();
    const service = await billingServiceFor(t, clock);
    const checkout = await checkoutFor(t, clock);
    const change = await service.changePlan({ planCode: "pro", interval: "month" });
    const first = await checkout.start(change.invoiceId!);
    expect(first.expiresAt!.getTime()).toBe(clock().getTime() + 10 * MIN);

    clock.advance(8 * MIN + 59_000); // 61 s left: still offered
    expect((await checkout.start(change.invoiceId!)).paymentId).toBe(first.paymentId);

    clock.advance(2_000); // 59 s left: too short to scan and pay
    const second = await checkout.start(change.invoiceId!);
    expect(second.paymentId).not.toBe(first.paymentId);
    expect(second.qr).not.toBe(first.qr);
    expect(second.expiresAt!.getTime()).toBe(clock().getTime() + 10 * MIN);
    const { payments } = await billingRows(t.tenantId);
    expect(payments.map((p) => p.status)).toEqual(["pending", "pending"]);
    expect(new Set(payments.map((p) => p.md5)).size).toBe(2);

    // either QR can still be paid; the first confirmation wins the invoice
    expect((await postCallback(signedCallback(callbackBody(payments[1]!.md5!, transactionFor(payments[1]!))))).body).toMatchObject({
      outcome: "paid",
    });
    expect(await invoiceRow(t.tenantId, change.invoiceId!)).toMatchObject({ status: "paid" });
  });

  it("refuses to check out an invoice that is not open", async () => {
    const { t, payment, invoice, owner } = await pendingCheckout("chkpaid");
    await postCallback(signedCallback(callbackBody(payment.md5!, transactionFor(payment))));
    expect((await invoiceRow(t.tenantId, invoice.id)).status).toBe("paid");
    await expect(owner.billing.checkout({ invoiceId: invoice.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      cause: expect.objectContaining({ key: "billing.errors.invoiceNotOpen" }),
    });
  });
});
