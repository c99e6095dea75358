// The cost of settling a Bakong callback (issue 13: callbacks with real settlements at 32 concurrent):
// - a rent KHQR settlement by the callback worker is one transaction of at most 13 statements
//   (it was 25: the payment locked, then read, then checked for a reused transfer; the payment read
//   again; the invoice read for its contract, the contract and the invoice locked, then each read;
//   then 19: the receipt message read the payment, invoice, contract, renter and workspace again
//   and the receipt number the workspace's zone, which the contract's lock now reads with it);
// - the worker's IntakeGate: while intakes are in flight it lets one settlement run at a time and
//   holds the next one back; with no intake in flight every lane goes at once.
import { beforeAll, describe, expect, it } from "vitest";
import { TenantDb } from "@/server/db/tenant-db";
import { platformDb } from "@/server/db/platform-db";
import { createRenter, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { BakongWebhookService } from "@/server/payments/bakong-webhook.public";
import { IntakeGate } from "@/server/payments/bakong-callbacks.jobs";
import { callbackBody, openRentInvoice, signedCallback, transactionFor, withFakeBakong } from "./support/billing";
import { callerFor, hostOf, uniqueIp } from "./support/world";
import { captureStatements, workStatements } from "./support/sql-plans";

withFakeBakong();
const ACCOUNT = "landlord@aclb";

let w: CreatedTenant;
let invoice: { id: string; payToken: string | null };

beforeAll(async () => {
  w = await createTenant({ slug: uniqueSlug("stlst"), subscription: { plan: "pro" } });
  await platformDb.run((tx) => tx.tenant.update({ where: { id: w.tenantId }, data: { bakongAccountId: ACCOUNT } }));
  const renter = await createRenter({ tenantId: w.tenantId, email: `stl-${Date.now()}@example.com`, locale: "km" });
  invoice = await openRentInvoice(w, renter.id);
});

describe("settling a rent KHQR callback", () => {
  it("is one transaction of at most 13 statements, and settles the invoice", async () => {
    const anon = await callerFor(hostOf(w.slug), null, { "x-forwarded-for": uniqueIp() });
    const attempt = await anon.payPage.checkout({ token: invoice.payToken! });
    const db = new TenantDb(w.tenantId);
    const payment = await db.run((tx) => tx.payment.findUniqueOrThrow({ where: { id: attempt.paymentId } }));
    const cb = signedCallback(callbackBody(payment.md5!, transactionFor(payment)));
    const service = new BakongWebhookService();
    const intake = await service.accept(cb.raw, cb.headers);
    if (intake.kind !== "pending") throw new Error(`intake answered ${JSON.stringify(intake.response)}`);

    const { result, statements } = await captureStatements(() => service.process(intake.eventId));
    expect(result).toEqual({ status: 200, body: { ok: true, outcome: "paid" } });
    const work = workStatements(statements);
    expect(work.length, work.map((s) => s.text.replace(/\s+/g, " ").slice(0, 100)).join("\n")).toBeLessThanOrEqual(13);
    expect(statements.filter((s) => /^\s*BEGIN\b/i.test(s.text))).toHaveLength(1);
    expect(new Set(statements.map((s) => s.conn)).size).toBe(1);

    const after = await db.run((tx) =>
      tx.payment.findUniqueOrThrow({
        where: { id: payment.id },
        include: { rentInvoice: { select: { status: true, amountPaid: true, total: true } } },
      }),
    );
    expect(after.status).toBe("paid");
    expect(after.receiptNumber).not.toBeNull();
    expect(after.rentInvoice).toMatchObject({ status: "paid", amountPaid: after.rentInvoice!.total });
  });
});

describe("IntakeGate: the callback worker gives way to the intake", () => {
  const never = 3_600_000; // no lane is let through by the wait bound in these tests

  it("with no intake in flight, every lane settles at once", async () => {
    const gate = new IntakeGate(() => 0, never);
    const dones = await Promise.all([gate.enter(), gate.enter(), gate.enter()]);
    for (const done of dones) done();
  });

  it("with intakes in flight, the next settlement waits while one is running", async () => {
    let inFlight = 1;
    const gate = new IntakeGate(() => inFlight, never);
    // nothing ran yet: the first settlement goes
    const first = await gate.enter();
    let secondIn = false;
    const second = gate.enter().then((done) => {
      secondIn = true;
      return done;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(secondIn).toBe(false);
    first();
    // the intake's share after the first, then no intake in flight: the second goes
    inFlight = 0;
    (await second)();
    expect(secondIn).toBe(true);
  });

  it("a lane waits at most its bound, however busy the intake", async () => {
    const gate = new IntakeGate(() => 1, 20);
    const first = await gate.enter();
    const second = await gate.enter();
    first();
    second();
  });
});
