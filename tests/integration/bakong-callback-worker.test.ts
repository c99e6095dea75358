// The Bakong callback's fast path (docs/BAKONG.md §4): the intake (BakongWebhookService.accept,
// what server.mjs answers callbacks with) verifies and stores a delivery with one statement and
// settles nothing; the callback worker (bakong-callbacks.jobs.ts) settles stored events exactly
// once, however many deliveries, workers and sweeps race, and picks up what a crash left behind.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTenant, issueRenewalInvoice, uniqueSlug } from "@/server/testing/factories";
import { BakongWebhookService } from "@/server/payments/bakong-webhook.public";
import {
  BAKONG_CALLBACK_HOOK,
  MAX_ATTEMPTS,
  callbackWorker,
  drainBakongCallbacks,
  installBakongCallbackHook,
  type BakongCallbackHook,
} from "@/server/payments/bakong-callbacks.jobs";
import { platformDb } from "@/server/db/platform-db";
import { hostOf, signedIn } from "./support/world";
import {
  DAY,
  auditOf,
  callbackBody,
  invoiceRow,
  outboxOf,
  paymentRow,
  randomHash,
  randomMd5,
  signedCallback,
  subscriptionRow,
  transactionFor,
  withFakeBakong,
  webhookRows,
} from "./support/billing";

withFakeBakong();

// Other test files store Bakong events in the same database while these run, so every drain here
// is scoped to this test's own events (`eventIds`): its counts are about them alone, and it never
// settles, fails or retries another file's events under that file's feet.

/** A Starter workspace with its renewal invoice open and a KHQR attempt started for it. */
async function pendingCheckout(prefix: string) {
  const now = Date.now();
  const t = await createTenant({
    slug: uniqueSlug(prefix),
    subscription: { plan: "starter", status: "active", periodStart: new Date(now - 25 * DAY), periodEnd: new Date(now + 5 * DAY) },
  });
  const invoice = await issueRenewalInvoice(t.tenantId);
  if (!invoice) throw new Error("no renewal invoice");
  const owner = await signedIn(t.owner.userId, hostOf(t.slug));
  const view = await owner.billing.checkout({ invoiceId: invoice.id });
  return { t, invoice, payment: await paymentRow(t.tenantId, view.paymentId) };
}

const accept = (cb: { raw: string; headers: Headers }) => new BakongWebhookService().accept(cb.raw, cb.headers);

/** Everything a settlement writes, to prove it happened exactly once. */
async function settlementTrail(tenantId: string) {
  return {
    succeeded: (await outboxOf(tenantId, "billing/payment.succeeded")).length,
    audit: (await auditOf(tenantId, "billing.payment.succeeded")).length,
    extended: (await auditOf(tenantId, "billing.subscription.status_changed")).length,
  };
}

describe("Bakong callback intake: answers before settling", () => {
  it("stores the event with its payment and tenant, answers 200 received, and leaves the payment pending until the worker runs", async () => {
    const { t, invoice, payment } = await pendingCheckout("cbw");
    const eventId = `evt-${randomUUID()}`;
    const intake = await accept(signedCallback(callbackBody(payment.md5!, transactionFor(payment), eventId)));

    expect(intake).toMatchObject({ kind: "pending", inserted: true, response: { status: 200, body: { ok: true, received: true } } });
    // answered, nothing settled yet
    expect(await paymentRow(t.tenantId, payment.id)).toMatchObject({ status: "pending", paidAt: null });
    expect(await webhookRows(eventId)).toEqual([
      expect.objectContaining({ status: "received", attempts: 0, paymentId: payment.id, tenantId: t.tenantId, signatureValid: true }),
    ]);

    expect(await drainBakongCallbacks({ eventIds: [eventId] })).toEqual({ processed: 1, busy: 0 });
    expect(await paymentRow(t.tenantId, payment.id)).toMatchObject({ status: "paid" });
    expect(await invoiceRow(t.tenantId, invoice.id)).toMatchObject({ status: "paid" });
    expect(await webhookRows(eventId)).toEqual([expect.objectContaining({ status: "processed", attempts: 1 })]);
    expect(await settlementTrail(t.tenantId)).toEqual({ succeeded: 1, audit: 1, extended: 1 });

    // a repeat delivery after the settlement: answered from the stored row, nothing to do
    const again = await accept(signedCallback(callbackBody(payment.md5!, transactionFor(payment), eventId)));
    expect(again).toEqual({ kind: "done", response: { status: 200, body: { ok: true, duplicate: true, status: "processed" } } });
    expect(await drainBakongCallbacks({ eventIds: [eventId] })).toEqual({ processed: 0, busy: 0 });
    expect(await webhookRows(eventId)).toEqual([expect.objectContaining({ status: "processed", attempts: 1 })]);
    expect(await settlementTrail(t.tenantId)).toEqual({ succeeded: 1, audit: 1, extended: 1 });
  });

  it("answers an unknown md5 by itself: stored as ignored, nothing left for the worker", async () => {
    const eventId = `evt-${randomUUID()}`;
    const body = callbackBody(randomMd5(), transactionFor({ amount: 1900, currency: "USD" }), eventId);
    expect(await accept(signedCallback(body))).toEqual({ kind: "done", response: { status: 200, body: { ok: true, ignored: true } } });
    expect(await webhookRows(eventId)).toEqual([
      expect.objectContaining({ status: "ignored", attempts: 1, lastError: "unknown md5", paymentId: null, tenantId: null }),
    ]);
    expect(await accept(signedCallback(body))).toEqual({
      kind: "done",
      response: { status: 200, body: { ok: true, duplicate: true, status: "ignored" } },
    });
  });

  it("deliveries arriving together go in shared statements and each is stored as it would be alone", async () => {
    const { t, payment } = await pendingCheckout("cbwbatch");
    const known = `evt-${randomUUID()}`;
    const unknown = Array.from({ length: 40 }, () => `evt-${randomUUID()}`);
    const unknownBodies = unknown.map((id) => callbackBody(randomMd5(), transactionFor({ amount: 1900, currency: "USD" }), id));
    const service = new BakongWebhookService();
    // more deliveries than the intake has connections, with a repeat of the known one and of an unknown one among them
    const deliveries = [
      ...unknownBodies.map((b) => signedCallback(b)),
      signedCallback(callbackBody(payment.md5!, transactionFor(payment), known)),
      signedCallback(unknownBodies[7]!),
      signedCallback(callbackBody(payment.md5!, transactionFor(payment), known)),
    ];
    const intakes = await Promise.all(deliveries.map((cb) => service.accept(cb.raw, cb.headers)));

    for (const i of intakes.slice(0, 40)) expect(i).toEqual({ kind: "done", response: { status: 200, body: { ok: true, ignored: true } } });
    expect(intakes[41]).toEqual({ kind: "done", response: { status: 200, body: { ok: true, duplicate: true, status: "ignored" } } });
    const knownIntakes = [intakes[40]!, intakes[42]!];
    expect(knownIntakes.filter((i) => i.kind === "pending" && i.inserted)).toHaveLength(1);
    expect(knownIntakes.filter((i) => i.kind === "pending" && !i.inserted)).toHaveLength(1);
    for (const id of unknown)
      expect(await webhookRows(id)).toEqual([
        expect.objectContaining({ status: "ignored", attempts: 1, lastError: "unknown md5", paymentId: null, tenantId: null }),
      ]);
    const [row] = await webhookRows(unknown[3]!);
    expect(row!.processedAt).toBeInstanceOf(Date);
    expect(row!.headers).toMatchObject({ "user-agent": "bakong-relay-test" });
    expect(JSON.parse(row!.rawBody)).toEqual(unknownBodies[3]);
    expect(await webhookRows(known)).toEqual([
      expect.objectContaining({
        status: "received",
        attempts: 0,
        lastError: null,
        processedAt: null,
        paymentId: payment.id,
        tenantId: t.tenantId,
      }),
    ]);
    expect(await drainBakongCallbacks({ eventIds: [known] })).toEqual({ processed: 1, busy: 0 });
    expect(await paymentRow(t.tenantId, payment.id)).toMatchObject({ status: "paid" });
    expect(await settlementTrail(t.tenantId)).toEqual({ succeeded: 1, audit: 1, extended: 1 });
  });

  it("100 concurrent deliveries of one event, with workers draining meanwhile, settle the payment once", async () => {
    const { t, invoice, payment } = await pendingCheckout("cbw100");
    const before = await subscriptionRow(t.tenantId);
    const eventId = `evt-${randomUUID()}`;
    const cb = signedCallback(callbackBody(payment.md5!, transactionFor(payment), eventId));
    const service = new BakongWebhookService();

    const [intakes] = await Promise.all([
      Promise.all(Array.from({ length: 100 }, () => service.accept(cb.raw, cb.headers))),
      // three workers (server processes) racing the deliveries
      ...Array.from({ length: 3 }, () => drainBakongCallbacks({ eventIds: [eventId] })),
    ]);
    // then the route handler's inline path for a late repeat, and one more drain
    await service.receive(cb.raw, cb.headers);
    expect(await drainBakongCallbacks({ eventIds: [eventId] })).toEqual({ processed: 0, busy: 0 });

    expect(intakes.filter((i) => i.kind === "pending" && i.inserted)).toHaveLength(1);
    for (const i of intakes) expect(i.response.status).toBe(200);
    expect(await webhookRows(eventId)).toEqual([expect.objectContaining({ status: "processed", attempts: 1, paymentId: payment.id })]);
    expect(await paymentRow(t.tenantId, payment.id)).toMatchObject({ status: "paid", flaggedAt: null });
    expect(await invoiceRow(t.tenantId, invoice.id)).toMatchObject({ status: "paid" });
    expect(await settlementTrail(t.tenantId)).toEqual({ succeeded: 1, audit: 1, extended: 1 });
    const after = await subscriptionRow(t.tenantId);
    expect(after.currentPeriodEnd).toEqual(invoice.periodEnd);
    expect(after.currentPeriodStart).toEqual(before.currentPeriodEnd);
  });

  it("100 concurrent deliveries with different event ids for one QR: one payment settled, every event processed", async () => {
    const { t, payment } = await pendingCheckout("cbw100ids");
    const ids = Array.from({ length: 100 }, () => `evt-${randomUUID()}`);
    const tx = transactionFor(payment);
    await Promise.all([
      Promise.all(ids.map((id) => accept(signedCallback(callbackBody(payment.md5!, tx, id))))),
      drainBakongCallbacks({ eventIds: ids }),
      drainBakongCallbacks({ eventIds: ids }),
    ]);
    await drainBakongCallbacks({ eventIds: ids });

    expect(await paymentRow(t.tenantId, payment.id)).toMatchObject({ status: "paid", bakongHash: tx.hash });
    expect(await settlementTrail(t.tenantId)).toEqual({ succeeded: 1, audit: 1, extended: 1 });
    const rows = await platformDb.run((db) => db.webhookEvent.findMany({ where: { idempotencyKey: { in: ids } } }));
    expect(rows).toHaveLength(100);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(["processed"]));
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
  });
});

describe("Bakong callback worker: crash recovery", () => {
  it("settles an event a crash left stored but unsettled, once, on its sweep", async () => {
    const { t, payment } = await pendingCheckout("cbwcrash");
    const eventId = `evt-${randomUUID()}`;
    // the process dies right after the intake answered: nobody processes the event
    await accept(signedCallback(callbackBody(payment.md5!, transactionFor(payment), eventId)));
    expect((await webhookRows(eventId))[0]).toMatchObject({ status: "received", attempts: 0 });
    // the sweep leaves fresh events to the delivery that stored them…
    expect(await drainBakongCallbacks({ minAgeMs: 60_000, retryFailed: true, eventIds: [eventId] })).toEqual({ processed: 0, busy: 0 });
    expect((await webhookRows(eventId))[0]).toMatchObject({ status: "received", attempts: 0 });
    expect(await paymentRow(t.tenantId, payment.id)).toMatchObject({ status: "pending" });
    // …and settles them once they are old enough (a restarted process sweeps at start)
    await platformDb.run((db) =>
      db.webhookEvent.updateMany({ where: { idempotencyKey: eventId }, data: { receivedAt: new Date(Date.now() - 120_000) } }),
    );
    expect(await drainBakongCallbacks({ minAgeMs: 60_000, retryFailed: true, eventIds: [eventId] })).toEqual({ processed: 1, busy: 0 });
    expect(await paymentRow(t.tenantId, payment.id)).toMatchObject({ status: "paid" });
    expect((await webhookRows(eventId))[0]).toMatchObject({ status: "processed", attempts: 1 });
    expect(await settlementTrail(t.tenantId)).toEqual({ succeeded: 1, audit: 1, extended: 1 });
  });

  it("retries a failed event on the sweep (its attempt rolled back everything), up to MAX_ATTEMPTS", async () => {
    const a = await pendingCheckout("cbwfail");
    const b = await pendingCheckout("cbwgiveup");
    const retried = `evt-${randomUUID()}`;
    const exhausted = `evt-${randomUUID()}`;
    await accept(signedCallback(callbackBody(a.payment.md5!, transactionFor(a.payment), retried)));
    await accept(signedCallback(callbackBody(b.payment.md5!, transactionFor(b.payment), exhausted)));
    // what a processing attempt that threw leaves behind (webhook-inbox: rolled back, marked failed)
    await platformDb.run(async (db) => {
      await db.webhookEvent.updateMany({ where: { idempotencyKey: retried }, data: { status: "failed", attempts: 1, lastError: "boom" } });
      await db.webhookEvent.updateMany({
        where: { idempotencyKey: exhausted },
        data: { status: "failed", attempts: MAX_ATTEMPTS, lastError: "boom" },
      });
    });
    // the wake-up drain only takes received events
    expect(await drainBakongCallbacks({ eventIds: [retried, exhausted] })).toEqual({ processed: 0, busy: 0 });
    expect((await webhookRows(retried))[0]).toMatchObject({ status: "failed", attempts: 1 });

    // the sweep retries the one with attempts left, and only it
    expect(await drainBakongCallbacks({ retryFailed: true, eventIds: [retried, exhausted] })).toEqual({ processed: 1, busy: 0 });
    expect((await webhookRows(retried))[0]).toMatchObject({ status: "processed", attempts: 2, lastError: null });
    expect(await paymentRow(a.t.tenantId, a.payment.id)).toMatchObject({ status: "paid" });
    // out of attempts: left for an admin replay
    expect((await webhookRows(exhausted))[0]).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(await paymentRow(b.t.tenantId, b.payment.id)).toMatchObject({ status: "pending" });
  });
});

describe("server.mjs's hook", () => {
  it("takes a raw callback with Node's headers, answers after the insert, and its worker settles the payment", async () => {
    installBakongCallbackHook();
    const hook = (globalThis as Record<symbol, unknown>)[BAKONG_CALLBACK_HOOK] as BakongCallbackHook;
    const { t, payment } = await pendingCheckout("cbwhook");
    const cb = signedCallback(callbackBody(payment.md5!, transactionFor(payment)));
    const nodeHeaders = Object.fromEntries(cb.headers.entries());

    expect(await hook(cb.raw, nodeHeaders)).toEqual({ status: 200, body: { ok: true, received: true } });
    await callbackWorker().idle();
    expect(await paymentRow(t.tenantId, payment.id)).toMatchObject({ status: "paid" });
    expect(await settlementTrail(t.tenantId)).toEqual({ succeeded: 1, audit: 1, extended: 1 });

    // a forged delivery: 401, nothing stored under its key, nothing for the worker
    const forged = signedCallback(callbackBody(payment.md5!, transactionFor(payment)), { secret: "not-the-secret-not-the-secret-000" });
    expect(await hook(forged.raw, Object.fromEntries(forged.headers.entries()))).toEqual({
      status: 401,
      body: { error: "invalid signature" },
    });
    // kept for investigation with the allowed headers, read from Node's header object as it is
    const kept = await platformDb.run((tx) =>
      tx.webhookEvent.findMany({ where: { provider: "bakong", rawBody: forged.raw, signatureValid: false } }),
    );
    expect(kept).toHaveLength(1);
    expect(kept[0]!.headers).toMatchObject({ "user-agent": "bakong-relay-test", "content-type": "application/json" });
    expect(kept[0]!.headers).not.toHaveProperty("cookie");
  });

  it("reads a header Node repeated as Fetch's Headers would (values joined), and refuses a body over the limit", async () => {
    installBakongCallbackHook();
    const hook = (globalThis as Record<symbol, unknown>)[BAKONG_CALLBACK_HOOK] as BakongCallbackHook;
    const md5 = randomMd5();
    const cb = signedCallback(
      callbackBody(md5, { hash: randomHash(), fromAccountId: "payer@aclb", toAccountId: "nobody@aclb", currency: "USD", amount: 1 }),
    );
    const nodeHeaders: Record<string, string | string[]> = {
      ...Object.fromEntries(cb.headers.entries()),
      "x-forwarded-for": ["10.0.0.1", "10.0.0.2"],
    };
    expect(await hook(cb.raw, nodeHeaders)).toEqual({ status: 200, body: { ok: true, ignored: true } });
    const [row] = await platformDb.run((tx) => tx.webhookEvent.findMany({ where: { provider: "bakong", rawBody: cb.raw } }));
    expect(row?.headers).toMatchObject({ "x-forwarded-for": "10.0.0.1, 10.0.0.2" });
    expect(await hook("x".repeat(64 * 1024 + 1), Object.fromEntries(cb.headers.entries()))).toEqual({
      status: 413,
      body: { error: "payload too large" },
    });
  });
});
