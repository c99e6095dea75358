// Rent payments (slice Y) against the real database and a local fake Bakong API: cash and bank
// transfers recorded by staff (partial, overpayment → contract credit → applied by the next
// invoice run), the contract ledger, KHQR rent payments settled by a signed callback to
// /api/webhooks/bakong and by the reconciliation job, and the public pay page (token scoping,
// revocation, rate limits, the plan gate).
import { randomBytes } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TenantDb } from "@/server/db/tenant-db";
import { platformDb } from "@/server/db/platform-db";
import {
  addMember,
  createContract,
  createProperty,
  createRenter,
  createRentInvoice,
  createTenant,
  setSubscription,
  uniqueSlug,
  type CreatedTenant,
} from "@/server/testing/factories";
import { newPayToken } from "@/server/rent-invoices/pay-token";
import { payLinkFor } from "@/lib/rentals/pay-link";
import { ReconciliationService } from "@/server/payments/reconciliation.jobs";
import { RentPayPageService } from "@/server/rent-invoices/pay-page.public";
import { runInvoicesForTenant } from "@/server/rent-invoices/invoice-run";
import { decodeKhqr } from "@/server/payments/khqr";
import { callbackBody, majorUnits, postCallback, signedCallback, transactionFor, withFakeBakong } from "./support/billing";
import { callerFor, createRole, expectTRPCError, hostOf, setMembershipRole, signedIn, testMeta, uniqueIp } from "./support/world";
import { startOfDayIn } from "@/lib/dates";

const bakong = withFakeBakong();
const ACCOUNT = "landlord@aclb";

beforeEach(() => bakong.fake.reset());

/** A Pro workspace (KHQR rent collection) with its own Bakong account, an active USD 250 contract and an open invoice. */
async function world(prefix: string, opts: { bakongAccountId?: string | null; plan?: string } = {}) {
  const t = await createTenant({ slug: uniqueSlug(prefix), subscription: { plan: opts.plan ?? "pro" } });
  const account = opts.bakongAccountId === undefined ? ACCOUNT : opts.bakongAccountId;
  await platformDb.run((tx) => tx.tenant.update({ where: { id: t.tenantId }, data: { bakongAccountId: account } }));
  // started before the pinned October invoice, so the run for 2026-11-01 bills it on any real date
  const contract = await createContract({
    tenantId: t.tenantId,
    status: "active",
    rentAmount: 25_000,
    billingDay: 1,
    startDate: "2026-10-01",
  });
  const invoice = await createRentInvoice({
    tenantId: t.tenantId,
    contractId: contract.id,
    period: "2026-10",
    issuedAt: new Date("2026-10-01T02:00:00Z"),
    lines: [
      { kind: "rent", description: "Rent October 2026", unitAmount: 25_000 },
      { kind: "electricity", description: "Electricity 120 kWh", quantity: 120, unitAmount: 25 },
    ],
  });
  return { t, contract, invoice, token: invoice.payToken!, owner: await signedIn(t.owner.userId, hostOf(t.slug)) };
}

const rows = (tenantId: string) => ({
  invoice: (id: string) => new TenantDb(tenantId).run((tx) => tx.rentInvoice.findUniqueOrThrow({ where: { id } })),
  contract: (id: string) => new TenantDb(tenantId).run((tx) => tx.contract.findUniqueOrThrow({ where: { id } })),
  payment: (id: string) => new TenantDb(tenantId).run((tx) => tx.payment.findUniqueOrThrow({ where: { id } })),
  audit: (action: string) => new TenantDb(tenantId).run((tx) => tx.auditLog.findMany({ where: { action }, orderBy: { createdAt: "asc" } })),
});

/** An anonymous request to the pay page's procedures from `ip` (no session at all). */
function anonymous(t: CreatedTenant, ip = uniqueIp()) {
  return callerFor(hostOf(t.slug), null, { "x-forwarded-for": ip });
}

describe("pay token and link", () => {
  it("is 256 random bits in base64url, and the link is the tenant host's /pay/<token>", () => {
    const a = newPayToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, "base64url")).toHaveLength(32);
    expect(new Set(Array.from({ length: 200 }, newPayToken)).size).toBe(200);
    expect(payLinkFor("acme", a)).toBe(`http://acme.localhost:3000/pay/${a}`);
  });
});

describe("RentPaymentService: cash and bank transfers", () => {
  it("a partial payment leaves the invoice partially paid; the rest pays it", async () => {
    const { t, invoice, owner } = await world("ypart");
    expect(invoice.total).toBe(28_000);
    const first = await owner.rentPayments.record({
      invoiceId: invoice.id,
      method: "cash",
      amount: 10_000,
      reference: "",
      paidOn: "2026-10-03",
    });
    expect(first).toMatchObject({ applied: 10_000, credit: 0, status: "partially_paid", amountPaid: 10_000 });
    expect(await rows(t.tenantId).invoice(invoice.id)).toMatchObject({ status: "partially_paid", amountPaid: 10_000, paidAt: null });
    const payment = await rows(t.tenantId).payment(first.paymentId);
    expect(payment).toMatchObject({
      purpose: "rent",
      method: "cash",
      status: "paid",
      amount: 10_000,
      currency: "USD",
      recordedById: t.owner.userId,
    });
    // a past day is kept as that day (noon in the workspace's time zone, Asia/Phnom_Penh = UTC+7)
    expect(payment.paidAt).toEqual(new Date("2026-10-03T05:00:00Z"));

    const second = await owner.rentPayments.record({
      invoiceId: invoice.id,
      method: "bank_transfer",
      amount: 18_000,
      reference: "ABA-778812",
      paidOn: "2026-10-05",
    });
    expect(second).toMatchObject({ applied: 18_000, credit: 0, status: "paid", amountPaid: 28_000 });
    const paid = await rows(t.tenantId).invoice(invoice.id);
    expect(paid).toMatchObject({ status: "paid", amountPaid: 28_000 });
    expect(paid.paidAt).toBeInstanceOf(Date);
    expect(await rows(t.tenantId).payment(second.paymentId)).toMatchObject({ reference: "ABA-778812", method: "bank_transfer" });

    // audited: who recorded what, and how it moved the invoice
    const recorded = await rows(t.tenantId).audit("rent.payment.recorded");
    expect(recorded).toHaveLength(2);
    expect(recorded[1]).toMatchObject({ actorUserId: t.owner.userId, targetId: second.paymentId });
    const applied = await rows(t.tenantId).audit("rent.payment.applied");
    expect(applied.map((a) => a.metadata)).toEqual([
      expect.objectContaining({
        applied: 10_000,
        credit: 0,
        before: { status: "issued", amountPaid: 0 },
        after: { status: "partially_paid", amountPaid: 10_000 },
      }),
      expect.objectContaining({ applied: 18_000, credit: 0, after: { status: "paid", amountPaid: 28_000 } }),
    ]);

    // a paid invoice takes no more payments
    await expectTRPCError(
      owner.rentPayments.record({ invoiceId: invoice.id, method: "cash", amount: 100, reference: "", paidOn: "2026-10-05" }),
      "PRECONDITION_FAILED",
      { key: "rentPayments.errors.invoiceNotOpen" },
    );
  });

  it("an overpayment goes to the contract's credit, and the next invoice run applies it", async () => {
    const { t, contract, invoice, owner } = await world("yover");
    const r = await owner.rentPayments.record({
      invoiceId: invoice.id,
      method: "cash",
      amount: 35_000,
      reference: "",
      paidOn: "2026-10-02",
    });
    expect(r).toMatchObject({ applied: 28_000, credit: 7_000, status: "paid" });
    expect(await rows(t.tenantId).contract(contract.id)).toMatchObject({ creditBalance: 7_000 });

    // November's run: 250.00 rent, 70.00 of it already covered by the credit
    await runInvoicesForTenant(t.tenantId, { date: "2026-11-01", trigger: "job" });
    const next = await new TenantDb(t.tenantId).run((tx) =>
      tx.rentInvoice.findFirstOrThrow({ where: { contractId: contract.id, period: "2026-11" } }),
    );
    expect(next).toMatchObject({ total: 25_000, creditApplied: 7_000, amountPaid: 7_000, status: "partially_paid" });
    expect(await rows(t.tenantId).contract(contract.id)).toMatchObject({ creditBalance: 0 });

    // the ledger: 280 + 250 billed, 350 paid → 180 owed = what November still wants
    const ledger = await owner.rentPayments.ledger({ contractId: contract.id });
    expect(ledger).toMatchObject({
      currency: "USD",
      totalCharged: 53_000,
      totalPaid: 35_000,
      balance: 18_000,
      credit: 0,
      outstanding: 18_000,
    });
    expect(ledger.entries.map((e) => [e.kind, e.amount, e.balance])).toEqual([
      ["invoice", 28_000, 28_000],
      ["payment", 35_000, -7_000],
      ["invoice", 25_000, 18_000],
    ]);
  });

  it("ledger: charges are the non-void invoices, payments the paid ones, with a running balance", async () => {
    const { t, contract, invoice, owner } = await world("yledger");
    const second = await createRentInvoice({
      tenantId: t.tenantId,
      contractId: contract.id,
      period: "2026-11",
      issuedAt: new Date("2026-11-01T02:00:00Z"),
      lines: [{ description: "Rent November 2026", unitAmount: 25_000 }],
    });
    await createRentInvoice({
      tenantId: t.tenantId,
      contractId: contract.id,
      period: "2026-09",
      status: "void",
      issuedAt: new Date("2026-09-01T02:00:00Z"),
    });
    await owner.rentPayments.record({ invoiceId: invoice.id, method: "cash", amount: 20_000, reference: "", paidOn: "2026-10-10" });
    // a pending KHQR attempt is not a payment yet
    await new TenantDb(t.tenantId).run((tx) =>
      tx.payment.create({
        data: {
          tenantId: t.tenantId,
          purpose: "rent",
          rentInvoiceId: second.id,
          method: "khqr",
          amount: 25_000,
          currency: "USD",
          md5: randomBytes(16).toString("hex"),
        },
      }),
    );
    const ledger = await owner.rentPayments.ledger({ contractId: contract.id });
    expect(ledger.entries.map((e) => [e.kind, e.amount, e.balance])).toEqual([
      ["invoice", 28_000, 28_000],
      ["payment", 20_000, 8_000],
      ["invoice", 25_000, 33_000],
    ]);
    expect(ledger).toMatchObject({ totalCharged: 53_000, totalPaid: 20_000, balance: 33_000, outstanding: 33_000, credit: 0 });
    expect(await owner.rentPayments.forInvoice({ invoiceId: invoice.id })).toEqual([
      expect.objectContaining({ amount: 20_000, method: "cash" }),
    ]);
  });

  it("validates: bank transfer needs a reference, no future dates, no void invoices, needs payments.record", async () => {
    const { t, contract, invoice, owner } = await world("yval");
    await expectTRPCError(
      owner.rentPayments.record({ invoiceId: invoice.id, method: "bank_transfer", amount: 100, reference: " ", paidOn: "2026-10-02" }),
      "BAD_REQUEST",
    );
    await expectTRPCError(
      owner.rentPayments.record({ invoiceId: invoice.id, method: "cash", amount: 100, reference: "", paidOn: "2099-01-01" }),
      "BAD_REQUEST",
      { key: "rentPayments.errors.paidOnFuture" },
    );
    await expectTRPCError(
      owner.rentPayments.record({ invoiceId: invoice.id, method: "cash", amount: 0, reference: "", paidOn: "2026-10-02" }),
      "BAD_REQUEST",
    );
    const voided = await createRentInvoice({ tenantId: t.tenantId, contractId: contract.id, period: "2026-08", status: "void" });
    await expectTRPCError(
      owner.rentPayments.record({ invoiceId: voided.id, method: "cash", amount: 100, reference: "", paidOn: "2026-10-02" }),
      "PRECONDITION_FAILED",
      { key: "rentPayments.errors.invoiceNotOpen" },
    );
    const viewer = await addMember(t, { email: `viewer@${t.slug}.test`, role: "viewer" });
    const asViewer = await signedIn(viewer.userId, hostOf(t.slug));
    await expectTRPCError(
      asViewer.rentPayments.record({ invoiceId: invoice.id, method: "cash", amount: 100, reference: "", paidOn: "2026-10-02" }),
      "FORBIDDEN",
    );
    expect(await rows(t.tenantId).invoice(invoice.id)).toMatchObject({ status: "issued", amountPaid: 0 });
  });

  it("two concurrent payments on one invoice both count (contract → invoice locks), the excess becomes credit", async () => {
    const { t, contract, invoice, owner } = await world("yconc");
    const results = await Promise.all(
      [20_000, 20_000].map((amount) =>
        owner.rentPayments.record({ invoiceId: invoice.id, method: "cash", amount, reference: "", paidOn: "2026-10-02" }),
      ),
    );
    expect(results.map((r) => r.applied).sort((x, y) => x - y)).toEqual([8_000, 20_000]);
    expect(await rows(t.tenantId).invoice(invoice.id)).toMatchObject({ status: "paid", amountPaid: 28_000 });
    expect(await rows(t.tenantId).contract(contract.id)).toMatchObject({ creditBalance: 12_000 });
  });
});

describe("pay link actions", () => {
  it("rotate gives a new working link and kills the old one; revoke gives the same 404 as an unknown token", async () => {
    const { t, invoice, token, owner } = await world("ylink");
    const link = await owner.rentPayments.payLink({ invoiceId: invoice.id });
    expect(link.url).toBe(payLinkFor(t.slug, token));
    const anon = await anonymous(t);
    await expect(anon.payPage.view({ token })).resolves.toMatchObject({ invoice: { number: invoice.number } });

    const rotated = await owner.rentPayments.rotatePayLink({ invoiceId: invoice.id });
    const fresh = rotated.url!.split("/pay/")[1]!;
    expect(fresh).not.toBe(token);
    const old = await expectTRPCError(anon.payPage.view({ token }), "NOT_FOUND");
    await expect(anon.payPage.view({ token: fresh })).resolves.toMatchObject({ invoice: { number: invoice.number } });

    await owner.rentPayments.revokePayLink({ invoiceId: invoice.id });
    expect(await owner.rentPayments.payLink({ invoiceId: invoice.id })).toMatchObject({ url: null });
    const revoked = await expectTRPCError(anon.payPage.view({ token: fresh }), "NOT_FOUND");
    const unknown = await expectTRPCError(anon.payPage.view({ token: newPayToken() }), "NOT_FOUND");
    const garbage = await expectTRPCError(anon.payPage.view({ token: "../../etc" }), "NOT_FOUND");
    // no oracle: revoked, rotated-away, unknown and malformed tokens answer exactly alike
    for (const e of [old, revoked, garbage])
      expect({ message: e.message, code: e.code }).toEqual({ message: unknown.message, code: unknown.code });

    const audit = await rows(t.tenantId).audit("rent.pay_link.rotated");
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.metadata)).not.toContain(fresh);
    expect(await rows(t.tenantId).audit("rent.pay_link.revoked")).toHaveLength(1);
    // a viewer sees the link but cannot change it
    const viewer = await addMember(t, { email: `viewer@${t.slug}.test`, role: "viewer" });
    const asViewer = await signedIn(viewer.userId, hostOf(t.slug));
    await expectTRPCError(asViewer.rentPayments.rotatePayLink({ invoiceId: invoice.id }), "FORBIDDEN");
  });
});

describe("public pay page", () => {
  it("shows the invoice and nothing else, without a session", async () => {
    const { t, invoice, token } = await world("yview");
    const view = await (await anonymous(t)).payPage.view({ token });
    expect(view).toEqual({
      workspace: { name: t.slug, logoUrl: null },
      invoice: {
        number: invoice.number,
        period: "2026-10",
        status: "issued",
        currency: "USD",
        total: 28_000,
        amountPaid: 0,
        amountDue: 28_000,
        dueDate: "2026-10-05",
        paidAt: null,
        lines: [
          { kind: "rent", description: "Rent October 2026", quantity: 1, unitAmount: 25_000, amount: 25_000 },
          { kind: "electricity", description: "Electricity 120 kWh", quantity: 120, unitAmount: 25, amount: 3_000 },
        ],
      },
      khqr: true,
      simulator: false,
      // the workspace's own cash and bank-transfer instructions: none set
      instructions: null,
      // no exchange rate set (docs/CURRENCY.md): no other-currency line, no "pay in riel"
      equivalent: null,
      payInOther: null,
    });
    const text = JSON.stringify(view);
    for (const secret of [invoice.id, invoice.contractId, t.tenantId, ACCOUNT]) expect(text).not.toContain(secret);
  });

  it("a token works only on its own workspace's host and only for its own invoice", async () => {
    const a = await world("ytoka");
    const b = await world("ytokb");
    // A's token on B's host: the same 404 as any unknown token
    await expectTRPCError((await anonymous(b.t)).payPage.view({ token: a.token }), "NOT_FOUND");
    await expectTRPCError((await anonymous(b.t)).payPage.checkout({ token: a.token }), "NOT_FOUND");
    // on the apex: 404 too
    await expectTRPCError((await callerFor("localhost", null)).payPage.view({ token: a.token }), "NOT_FOUND");
    // a payment of B's invoice named with A's token: not visible, not payable
    const bAttempt = await (await anonymous(b.t)).payPage.checkout({ token: b.token });
    const status = await (await anonymous(a.t)).payPage.status({ token: a.token, paymentId: bAttempt.paymentId });
    expect(status.payment).toBeNull();
    // another invoice of the same workspace: its payment is not reachable through this token either
    const sibling = await createRentInvoice({ tenantId: a.t.tenantId, contractId: a.contract.id, period: "2026-11" });
    const siblingAttempt = await (await anonymous(a.t)).payPage.checkout({ token: sibling.payToken! });
    expect((await (await anonymous(a.t)).payPage.status({ token: a.token, paymentId: siblingAttempt.paymentId })).payment).toBeNull();
  });

  it("KHQR goes to the workspace's own Bakong account for the amount due, and a signed callback settles it", async () => {
    const { t, invoice, token, contract } = await world("ykhqr");
    const owner = await signedIn(t.owner.userId, hostOf(t.slug));
    await owner.rentPayments.record({ invoiceId: invoice.id, method: "cash", amount: 8_000, reference: "", paidOn: "2026-10-02" });
    const anon = await anonymous(t);
    const attempt = await anon.payPage.checkout({ token });
    expect(attempt).toMatchObject({ status: "pending", amount: 20_000, currency: "USD" });
    expect(attempt.qrImage).toMatch(/^data:image\/png;base64,/);
    const decoded = decodeKhqr(attempt.qr);
    expect(decoded).toMatchObject({ accountId: ACCOUNT, amount: 20_000, currency: "USD", billNumber: invoice.number });
    // asking again within the QR's life gives the same attempt
    expect((await anon.payPage.checkout({ token })).paymentId).toBe(attempt.paymentId);
    const payment = await rows(t.tenantId).payment(attempt.paymentId);
    expect(payment).toMatchObject({ purpose: "rent", rentInvoiceId: invoice.id, receivingAccount: ACCOUNT, subscriptionInvoiceId: null });

    // the relay's callback, signed, through the real route handler
    const tx = transactionFor(payment);
    const res = await postCallback(signedCallback(callbackBody(payment.md5!, tx)));
    expect(res).toEqual({ status: 200, body: { ok: true, outcome: "paid" } });
    expect(await rows(t.tenantId).payment(payment.id)).toMatchObject({ status: "paid", bakongHash: tx.hash, flaggedAt: null });
    expect(await rows(t.tenantId).invoice(invoice.id)).toMatchObject({ status: "paid", amountPaid: 28_000 });
    expect(await rows(t.tenantId).contract(contract.id)).toMatchObject({ creditBalance: 0 });
    const status = await anon.payPage.status({ token, paymentId: payment.id });
    expect(status).toMatchObject({ invoiceStatus: "paid", amountDue: 0, payment: { status: "paid" } });
    // no subscription effect: no billing receipt event, no subscription change
    const outbox = await new TenantDb(t.tenantId).run((db) => db.outboxEvent.findMany({ where: { name: "billing/payment.succeeded" } }));
    expect(outbox).toEqual([]);
    expect((await rows(t.tenantId).audit("rent.payment.applied")).at(-1)!.metadata).toMatchObject({
      paymentId: payment.id,
      method: "khqr",
      note: "payment confirmed by callback",
    });
    // a duplicate delivery changes nothing
    const again = await postCallback(signedCallback(callbackBody(payment.md5!, tx)));
    expect(again.status).toBe(200);
    expect(await rows(t.tenantId).invoice(invoice.id)).toMatchObject({ status: "paid", amountPaid: 28_000 });
  });

  it("a callback to another account or for another amount is flagged, not applied", async () => {
    const { t, invoice, token } = await world("ymis");
    const attempt = await (await anonymous(t)).payPage.checkout({ token });
    const payment = await rows(t.tenantId).payment(attempt.paymentId);
    const res = await postCallback(signedCallback(callbackBody(payment.md5!, transactionFor(payment, { toAccountId: "phteah@aclb" }))));
    expect(res).toEqual({ status: 200, body: { ok: true, review: true } });
    expect(await rows(t.tenantId).payment(payment.id)).toMatchObject({
      status: "pending",
      flagReason: `account: expected ${ACCOUNT}, got phteah@aclb`,
    });
    expect(await rows(t.tenantId).invoice(invoice.id)).toMatchObject({ status: "issued", amountPaid: 0 });

    const attempt2 = await (await anonymous(t)).payPage.checkout({ token });
    expect(attempt2.paymentId).not.toBe(payment.id); // a flagged attempt is not offered again
    const p2 = await rows(t.tenantId).payment(attempt2.paymentId);
    await postCallback(signedCallback(callbackBody(p2.md5!, transactionFor(p2, { amount: majorUnits(p2.amount - 100, "USD") }))));
    expect(await rows(t.tenantId).payment(p2.id)).toMatchObject({ status: "pending", flagReason: `amount: expected 28000, got 27900` });
    expect(await rows(t.tenantId).invoice(invoice.id)).toMatchObject({ status: "issued", amountPaid: 0 });
  });

  it("the reconciliation job settles a rent KHQR payment Bakong reports paid", async () => {
    const { t, invoice, token, contract } = await world("yrecon");
    const attempt = await (await anonymous(t)).payPage.checkout({ token });
    const payment = await rows(t.tenantId).payment(attempt.paymentId);
    const reported = bakong.fake.markPaid(payment.md5!, {
      toAccountId: ACCOUNT,
      amount: majorUnits(payment.amount, "USD"),
      currency: "USD",
    });

    const result = await new ReconciliationService(() => new Date(), bakong.config()).run();
    expect(result.paid).toBeGreaterThanOrEqual(1);
    expect(await rows(t.tenantId).payment(payment.id)).toMatchObject({ status: "paid", bakongHash: reported.hash });
    expect(await rows(t.tenantId).invoice(invoice.id)).toMatchObject({ status: "paid", amountPaid: 28_000 });
    expect(await rows(t.tenantId).contract(contract.id)).toMatchObject({ creditBalance: 0 });
    expect((await rows(t.tenantId).audit("rent.payment.applied")).at(-1)!.metadata).toMatchObject({
      note: "payment confirmed by reconciliation",
    });
  });

  it("a transfer arriving for an invoice already paid by cash becomes contract credit", async () => {
    const { t, invoice, token, contract, owner } = await world("ylate");
    const attempt = await (await anonymous(t)).payPage.checkout({ token });
    await owner.rentPayments.record({ invoiceId: invoice.id, method: "cash", amount: 28_000, reference: "", paidOn: "2026-10-02" });
    const payment = await rows(t.tenantId).payment(attempt.paymentId);
    await postCallback(signedCallback(callbackBody(payment.md5!, transactionFor(payment))));
    expect(await rows(t.tenantId).payment(payment.id)).toMatchObject({ status: "paid" });
    expect(await rows(t.tenantId).invoice(invoice.id)).toMatchObject({ status: "paid", amountPaid: 28_000 });
    expect(await rows(t.tenantId).contract(contract.id)).toMatchObject({ creditBalance: 28_000 });
  });

  it("KHQR needs the plan feature and the workspace's Bakong account; otherwise the page offers cash/transfer only", async () => {
    const free = await world("yfree", { plan: "free" });
    const anonFree = await anonymous(free.t);
    expect(await anonFree.payPage.view({ token: free.token })).toMatchObject({ khqr: false });
    await expectTRPCError(anonFree.payPage.checkout({ token: free.token }), "PRECONDITION_FAILED", {
      key: "payPage.errors.khqrUnavailable",
    });

    const noAccount = await world("ynoacct", { bakongAccountId: null });
    const anonNo = await anonymous(noAccount.t);
    expect(await anonNo.payPage.view({ token: noAccount.token })).toMatchObject({ khqr: false });
    await expectTRPCError(anonNo.payPage.checkout({ token: noAccount.token }), "PRECONDITION_FAILED", {
      key: "payPage.errors.khqrUnavailable",
    });

    // upgrading turns it on
    await setSubscription(free.t.tenantId, { plan: "starter" });
    expect(await anonFree.payPage.view({ token: free.token })).toMatchObject({ khqr: true });
    const none = await new TenantDb(noAccount.t.tenantId).run((tx) => tx.payment.count());
    expect(none).toBe(0);
  });

  it("is rate limited per address and token: new QR codes, and guessing tokens", async () => {
    const { t, token } = await world("yrate");
    const ip = uniqueIp();
    const anon = await anonymous(t, ip);
    for (let i = 0; i < 10; i++) await anon.payPage.checkout({ token });
    await expectTRPCError(anon.payPage.checkout({ token }), "TOO_MANY_REQUESTS");
    // another address is not affected
    await expect((await anonymous(t)).payPage.checkout({ token })).resolves.toBeDefined();

    // 20 unknown tokens from one address: then even a real token is refused from there
    const guesser = uniqueIp();
    const g = await anonymous(t, guesser);
    for (let i = 0; i < 20; i++) await expectTRPCError(g.payPage.view({ token: newPayToken() }), "NOT_FOUND");
    await expectTRPCError(g.payPage.view({ token }), "TOO_MANY_REQUESTS");
    await expect((await anonymous(t)).payPage.view({ token })).resolves.toBeDefined();
  });

  it("page views and polls have their own (larger) limit per address and token", async () => {
    const { t, token, contract } = await world("ypoll");
    const tenant = {
      id: t.tenantId,
      slug: t.slug,
      name: t.slug,
      status: "active" as const,
      locale: "en",
      timezone: "Asia/Phnom_Penh",
      currency: "USD",
    };
    const meta = testMeta();
    const small = { page: { limit: 3, windowMs: 60_000 }, checkout: { limit: 1, windowMs: 60_000 }, miss: { limit: 5, windowMs: 60_000 } };
    const service = new RentPayPageService(tenant, meta, () => new Date(), small);
    for (let i = 0; i < 3; i++) await service.status(token, null);
    await expect(service.view(token)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    // the same address with another token of the workspace is counted apart
    const other = await createRentInvoice({ tenantId: t.tenantId, contractId: contract.id, period: "2026-12" });
    await expect(service.view(other.payToken!)).resolves.toBeDefined();
  });
});

describe("rentPayments.list: the payments list (/payments)", () => {
  // Asia/Phnom_Penh is UTC+7 all year: local midnight of the 1st is 17:00 UTC the day before.
  const HOUR = 3_600_000;
  const localMonthStart = (period: string) => {
    const [y, m] = period.split("-").map(Number) as [number, number];
    return new Date(Date.UTC(y, m - 1, 1) - 7 * HOUR);
  };
  const periodOf = (d: Date) => new Date(d.getTime() + 7 * HOUR).toISOString().slice(0, 7);
  // relative to today, so the dashboard (which reads the real clock) has these months in its window
  const cur = periodOf(new Date());
  const curStart = localMonthStart(cur);
  const prev = periodOf(new Date(curStart.getTime() - 1));
  const prevStart = localMonthStart(prev);
  const lastDayOfPrev = new Date(curStart.getTime() - 1 + 7 * HOUR).toISOString().slice(0, 10);

  type Fixture = Awaited<ReturnType<typeof listWorld>>;
  async function listWorld(prefix: string) {
    const t = await createTenant({ slug: uniqueSlug(prefix), subscription: { plan: "pro" } });
    const riverside = await createProperty({ tenantId: t.tenantId, name: "Riverside Flats" });
    const hill = await createProperty({ tenantId: t.tenantId, name: "Hill House" });
    const sokha = await createRenter({ tenantId: t.tenantId, nameLatin: "Sokha Chan", nameKm: "សុខា ចាន់" });
    const dara = await createRenter({ tenantId: t.tenantId, nameLatin: "Dara Kim", nameKm: "ដារា គីម" });
    const usdContract = await createContract({ tenantId: t.tenantId, status: "active", propertyId: riverside.id, renterId: sokha.id });
    const khrContract = await createContract({
      tenantId: t.tenantId,
      status: "active",
      propertyId: hill.id,
      renterId: dara.id,
      currency: "KHR",
      rentAmount: 400_000,
    });
    const usdInvoice = await createRentInvoice({ tenantId: t.tenantId, contractId: usdContract.id, period: prev, amountPaid: 10_000 });
    const khrInvoice = await createRentInvoice({ tenantId: t.tenantId, contractId: khrContract.id, period: cur });
    type Data = {
      method: "cash" | "bank_transfer" | "khqr";
      amount: number;
      paidAt: Date | null;
      status?: "paid" | "pending" | "refunded";
    };
    const pay = (invoice: { id: string; currency: string }, d: Data & { reference?: string }) =>
      new TenantDb(t.tenantId).run((tx) =>
        tx.payment.create({
          data: {
            tenantId: t.tenantId,
            purpose: "rent",
            rentInvoiceId: invoice.id,
            method: d.method,
            status: d.status ?? "paid",
            amount: d.amount,
            currency: invoice.currency,
            reference: d.reference ?? null,
            paidAt: d.paidAt,
          },
        }),
      );
    const p = {
      // the last millisecond of the previous month (23:59:59.999 local): previous month
      lastOfPrev: await pay(usdInvoice, { method: "cash", amount: 10_000, paidAt: new Date(curStart.getTime() - 1) }),
      // local midnight exactly: this month
      midnight: await pay(usdInvoice, { method: "bank_transfer", amount: 5_000, paidAt: curStart, reference: "ABA-4455" }),
      khqr: await pay(usdInvoice, { method: "khqr", amount: 2_500, paidAt: new Date(curStart.getTime() + HOUR) }),
      riel: await pay(khrInvoice, { method: "cash", amount: 400_000, paidAt: new Date(curStart.getTime() + 2 * HOUR) }),
      pending: await pay(usdInvoice, { method: "khqr", amount: 777, paidAt: null, status: "pending" }),
      refunded: await pay(usdInvoice, {
        method: "cash",
        amount: 4_321,
        paidAt: new Date(curStart.getTime() + 3 * HOUR),
        status: "refunded",
      }),
      firstOfPrev: await pay(usdInvoice, { method: "cash", amount: 9_900, paidAt: prevStart }),
      // a millisecond before the previous month starts: the month before it
      beforePrev: await pay(usdInvoice, { method: "cash", amount: 1_111, paidAt: new Date(prevStart.getTime() - 1) }),
    };
    const owner = await signedIn(t.owner.userId, hostOf(t.slug));
    return { t, owner, riverside, hill, usdInvoice, khrInvoice, p };
  }

  let w: Fixture;
  beforeAll(async () => {
    w = await listWorld("ylist");
  });

  it("computes local midnight in the workspace's time zone (the boundary the dashboard's SQL uses)", () => {
    expect(startOfDayIn("2026-04-01", "Asia/Phnom_Penh")).toEqual(new Date("2026-03-31T17:00:00Z"));
    expect(startOfDayIn("2027-01-01", "Asia/Phnom_Penh")).toEqual(new Date("2026-12-31T17:00:00Z"));
    expect(startOfDayIn("2026-07-01", "UTC")).toEqual(new Date("2026-07-01T00:00:00Z"));
    // a zone with daylight saving: summer offset −4, winter −5
    expect(startOfDayIn("2026-07-01", "America/New_York")).toEqual(new Date("2026-07-01T04:00:00Z"));
    expect(startOfDayIn("2026-01-15", "America/New_York")).toEqual(new Date("2026-01-15T05:00:00Z"));
  });

  it("a month's total is the dashboard's collected figure for that month and currency, midnight boundaries included", async () => {
    const summary = await w.owner.dashboard.summary();
    expect(summary.period).toBe(cur);
    const collected = (currency: string) => summary.collected.find((c) => c.currency === currency);
    const chartMonth = (currency: string, period: string) =>
      summary.chart.find((s) => s.currency === currency)!.months.find((m) => m.period === period)!;

    const usdNow = await w.owner.rentPayments.list({ period: cur, currency: "USD" });
    expect(usdNow.totals).toEqual([{ currency: "USD", count: 2, amount: 7_500 }]);
    expect(usdNow.totals![0]).toEqual({ currency: "USD", count: collected("USD")!.count, amount: collected("USD")!.amount });
    expect(usdNow.items.map((i) => i.id).sort()).toEqual([w.p.midnight.id, w.p.khqr.id].sort());

    const khrNow = await w.owner.rentPayments.list({ period: cur, currency: "KHR" });
    expect(khrNow.totals).toEqual([{ currency: "KHR", count: collected("KHR")!.count, amount: collected("KHR")!.amount }]);
    expect(khrNow.totals![0]!.amount).toBe(400_000);

    // both currencies at once: one total per currency, never added together
    const both = await w.owner.rentPayments.list({ period: cur });
    expect(both.totals).toEqual(summary.collected);

    // the previous month: 23:59:59.999 on its last day is in, 00:00 on the 1st of this month is not,
    // and the millisecond before its own first midnight belongs to the month before
    const usdPrev = await w.owner.rentPayments.list({ period: prev, currency: "USD" });
    expect(usdPrev.totals).toEqual([{ currency: "USD", count: 2, amount: 19_900 }]);
    expect(usdPrev.totals![0]!.amount).toBe(chartMonth("USD", prev).collected);
    expect(usdPrev.items.map((i) => i.id).sort()).toEqual([w.p.lastOfPrev.id, w.p.firstOfPrev.id].sort());
  });

  it("rows carry the invoice, renter, unit and property, method, reference and the receipt link flag", async () => {
    const { items } = await w.owner.rentPayments.list({ method: "bank_transfer" });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: w.p.midnight.id,
      status: "paid",
      method: "bank_transfer",
      amount: 5_000,
      currency: "USD",
      reference: "ABA-4455",
      paidAt: curStart,
      invoiceId: w.usdInvoice.id,
      invoiceNumber: w.usdInvoice.number,
      hasReceipt: true,
      renterName: "Sokha Chan",
      propertyId: w.riverside.id,
      propertyName: "Riverside Flats",
    });
    expect(items[0]!.unitCode).not.toBe("");
    // the KHR invoice has received nothing yet (the payment was inserted without applying it): no receipt
    const riel = await w.owner.rentPayments.list({ currency: "KHR" });
    expect(riel.items.map((i) => [i.id, i.hasReceipt])).toEqual([[w.p.riel.id, false]]);
  });

  it("filters by method, status, property, days and a search on invoice number, renter name or reference", async () => {
    const ids = async (input: Parameters<Fixture["owner"]["rentPayments"]["list"]>[0]) =>
      (await w.owner.rentPayments.list(input)).items.map((i) => i.id).sort();
    expect(await ids({ method: "khqr" })).toEqual([w.p.khqr.id]);
    expect(await ids({ method: "cash", currency: "USD" })).toEqual([w.p.lastOfPrev.id, w.p.firstOfPrev.id, w.p.beforePrev.id].sort());
    // paid is the default; the others on request
    expect(await ids({ status: "pending" })).toEqual([w.p.pending.id]);
    expect(await ids({ status: "refunded" })).toEqual([w.p.refunded.id]);
    expect(await ids({ status: "failed" })).toEqual([]);
    expect(await ids({})).not.toContain(w.p.pending.id);
    expect(await ids({})).not.toContain(w.p.refunded.id);
    expect(await ids({ propertyId: w.hill.id })).toEqual([w.p.riel.id]);
    // from/to are inclusive days of the workspace's calendar
    expect(await ids({ from: lastDayOfPrev, to: lastDayOfPrev })).toEqual([w.p.lastOfPrev.id]);
    expect(await ids({ from: `${cur}-01`, to: `${cur}-01`, currency: "USD" })).toEqual([w.p.midnight.id, w.p.khqr.id].sort());
    // search
    expect(await ids({ search: "aba-4455" })).toEqual([w.p.midnight.id]);
    expect(await ids({ search: w.khrInvoice.number })).toEqual([w.p.riel.id]);
    expect(await ids({ search: "dara" })).toEqual([w.p.riel.id]);
    expect(await ids({ search: "ដារា" })).toEqual([w.p.riel.id]);
    expect(await ids({ search: "nobody-has-this" })).toEqual([]);
    // the total follows the filters
    expect((await w.owner.rentPayments.list({ search: "sokha" })).totals).toEqual([{ currency: "USD", count: 5, amount: 28_511 }]);
    // bad filters are refused, not ignored
    await expectTRPCError(w.owner.rentPayments.list({ period: "2026-13" }), "BAD_REQUEST");
    await expectTRPCError(w.owner.rentPayments.list({ from: "2026-02-30" }), "BAD_REQUEST");
  });

  it("sorts by paid date (newest first by default) or amount, and pages with a cursor without gaps or repeats", async () => {
    const all = await w.owner.rentPayments.list({ currency: "USD" });
    expect(all.items.map((i) => i.id)).toEqual([w.p.khqr.id, w.p.midnight.id, w.p.lastOfPrev.id, w.p.firstOfPrev.id, w.p.beforePrev.id]);
    const oldest = await w.owner.rentPayments.list({ currency: "USD", sort: { id: "paidAt", desc: false } });
    expect(oldest.items.map((i) => i.id)).toEqual(all.items.map((i) => i.id).reverse());
    const byAmount = await w.owner.rentPayments.list({ sort: { id: "amount", desc: false } });
    expect(byAmount.items.map((i) => i.amount)).toEqual([1_111, 2_500, 5_000, 9_900, 10_000, 400_000]);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await w.owner.rentPayments.list({ sort: { id: "amount", desc: true }, limit: 2, cursor });
      // the total comes with the first page only (and covers every page)
      if (pages === 0)
        expect(page.totals).toEqual([
          { currency: "KHR", count: 1, amount: 400_000 },
          { currency: "USD", count: 5, amount: 28_511 },
        ]);
      else expect(page.totals).toBeNull();
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...byAmount.items.map((i) => i.id)].reverse());
  });

  it("never shows another workspace's payments, and needs invoices.view", async () => {
    const other = await listWorld("ylist2");
    const mine = await w.owner.rentPayments.list({ limit: 100 });
    const theirs = await other.owner.rentPayments.list({ limit: 100 });
    const otherIds = Object.values(other.p).map((p) => p.id);
    for (const id of otherIds) expect(mine.items.map((i) => i.id)).not.toContain(id);
    for (const p of Object.values(w.p)) expect(theirs.items.map((i) => i.id)).not.toContain(p.id);
    // same data in each: the totals are each workspace's own, not the sum of both
    expect(mine.totals).toEqual(theirs.totals);
    // A's owner on B's host is not a member there
    const aOnB = await signedIn(w.t.owner.userId, hostOf(other.t.slug));
    await expectTRPCError(aOnB.rentPayments.list({}), "NOT_FOUND");

    const roleId = await createRole(w.t.tenantId, "no-money", ["workspace.view", "contracts.view"]);
    const member = await addMember(w.t, { email: `nomoney@${w.t.slug}.test`, role: "viewer" });
    await setMembershipRole(w.t.tenantId, member.membershipId, roleId);
    const asMember = await signedIn(member.userId, hostOf(w.t.slug));
    await expectTRPCError(asMember.rentPayments.list({}), "FORBIDDEN");
    // a viewer (invoices.view) may read it
    const viewer = await addMember(w.t, { email: `viewer@${w.t.slug}.test`, role: "viewer" });
    const asViewer = await signedIn(viewer.userId, hostOf(w.t.slug));
    expect((await asViewer.rentPayments.list({})).items).toHaveLength(6);
  });
});
