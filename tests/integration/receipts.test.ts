// Issue 17/18: a receipt for every rent payment (its own number, unique per workspace, never taken
// twice for one payment; what it paid for; the balance after it), downloadable by staff; and the
// invoice PDF's "how to pay" block: the KHQR for the amount still open (the pay page's own code),
// the pay link as a QR code and the workspace's own cash and bank-transfer instructions.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TenantDb } from "@/server/db/tenant-db";
import { platformDb } from "@/server/db/platform-db";
import { createContract, createRentInvoice, createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { decodeKhqr } from "@/server/payments/khqr";
import { payLinkFor } from "@/lib/rentals/pay-link";
import { issueReceipt, ReceiptService } from "@/server/receipts/receipts";
import { invoicePayOptions } from "@/server/pdf/invoice-pay-options";
import type { SessionClaims } from "@/server/auth/auth.public";
import { callbackBody, postCallback, signedCallback, transactionFor, withFakeBakong } from "./support/billing";
import { tenantContextFor } from "./support/team";
import { callerFor, expectTRPCError, hostOf, PORT, sessionFor, signedIn, uniqueIp } from "./support/world";

const current = vi.hoisted(() => ({ headers: new Headers(), claims: null as Partial<SessionClaims> | null }));
vi.mock("next/headers", () => ({
  headers: async () => current.headers,
  cookies: async () => ({ get: () => undefined }),
}));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => current.claims }));

// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { GET as receiptRoute } from "@/app/(app)/t/[tenant]/(workspace)/payments/[id]/receipt/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { GET as invoicePdfRoute } from "@/app/(app)/t/[tenant]/(workspace)/invoices/[id]/pdf/route";

const bakong = withFakeBakong();
const ACCOUNT = "landlord@aclb";

function request(host: string, url: string, claims: Partial<SessionClaims> | null): Request {
  current.headers = new Headers({ host: `${host}:${PORT}`, "x-forwarded-for": uniqueIp(), "accept-language": "en" });
  current.claims = claims;
  return new Request(`http://${host}:${PORT}${url}`, { headers: current.headers });
}

/** A Pro workspace collecting by KHQR, a USD contract and an open invoice of 250.00 rent + 30.00 electricity. */
async function world(prefix: string) {
  const t = await createTenant({ slug: uniqueSlug(prefix), subscription: { plan: "pro" } });
  await platformDb.run((tx) => tx.tenant.update({ where: { id: t.tenantId }, data: { bakongAccountId: ACCOUNT } }));
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
  return { t, contract, invoice, owner: await signedIn(t.owner.userId, hostOf(t.slug)) };
}

const payments = (t: CreatedTenant, invoiceId: string) =>
  new TenantDb(t.tenantId).run((tx) =>
    tx.payment.findMany({ where: { rentInvoiceId: invoiceId, status: "paid" }, orderBy: [{ paidAt: "asc" }, { id: "asc" }] }),
  );
const counter = (t: CreatedTenant) =>
  new TenantDb(t.tenantId).run((tx) => tx.invoiceCounter.findMany({ where: { scope: `receipt:${t.tenantId}` } }));

let a: Awaited<ReturnType<typeof world>>;
let b: Awaited<ReturnType<typeof world>>;

beforeAll(async () => {
  a = await world("rcpa");
  b = await world("rcpb");
});
afterAll(() => bakong.fake.reset());

describe("receipts: one per payment", () => {
  it("numbers each payment once, per workspace, with what it paid for and the balance after it", async () => {
    await a.owner.rentPayments.record({ invoiceId: a.invoice.id, method: "cash", amount: 8_000, reference: "", paidOn: "2026-10-02" });
    await a.owner.rentPayments.record({
      invoiceId: a.invoice.id,
      method: "bank_transfer",
      amount: 21_000,
      reference: "ABA-778",
      paidOn: "2026-10-03",
    });
    const [p1, p2] = await payments(a.t, a.invoice.id);
    expect(p1!.receiptNumber).toMatch(/^RC-\d{4}-000001$/);
    expect(p2!.receiptNumber).toMatch(/^RC-\d{4}-000002$/);
    // 280.00 due: the first leaves 200.00, the second takes 200.00 and puts 10.00 on the contract's credit
    expect(p1).toMatchObject({ receiptApplied: 8_000, receiptBalanceAfter: 20_000 });
    expect(p2).toMatchObject({ receiptApplied: 20_000, receiptBalanceAfter: 0 });

    const ctx = await tenantContextFor(a.t.owner.userId, a.t.slug);
    const first = await new ReceiptService(ctx).document(p1!.id);
    expect(first.covered.map((c) => [c.line.description, c.covered, c.partial])).toEqual([["Rent October 2026", 8_000, true]]);
    expect(first).toMatchObject({ number: p1!.receiptNumber, amount: 8_000, method: "cash", balanceAfter: 20_000, credit: 0 });
    expect(first.invoice.number).toBe(a.invoice.number);
    const second = await new ReceiptService(ctx).document(p2!.id);
    expect(second.covered.map((c) => [c.line.description, c.covered, c.partial])).toEqual([
      ["Rent October 2026", 17_000, true],
      ["Electricity 120 kWh", 3_000, false],
    ]);
    expect(second).toMatchObject({ amount: 21_000, applied: 20_000, credit: 1_000, balanceAfter: 0, reference: "ABA-778" });

    // another workspace counts on its own
    await b.owner.rentPayments.record({ invoiceId: b.invoice.id, method: "cash", amount: 1_000, reference: "", paidOn: "2026-10-02" });
    expect((await payments(b.t, b.invoice.id))[0]!.receiptNumber).toMatch(/^RC-\d{4}-000001$/);
  });

  it("never takes a second number for a payment (a retry), and a number is unique per workspace", async () => {
    const [p1, p2] = await payments(a.t, a.invoice.id);
    const before = await counter(a.t);
    const again = await new TenantDb(a.t.tenantId).run((tx) =>
      issueReceipt(tx, p1!, { applied: 1, balanceAfter: 1 }, new Date("2026-10-05T00:00:00Z")),
    );
    expect(again).toBe(p1!.receiptNumber);
    expect(await counter(a.t)).toEqual(before);
    expect((await payments(a.t, a.invoice.id))[0]).toMatchObject({ receiptApplied: 8_000, receiptBalanceAfter: 20_000 });
    await expect(
      new TenantDb(a.t.tenantId).run((tx) => tx.payment.update({ where: { id: p2!.id }, data: { receiptNumber: p1!.receiptNumber } })),
    ).rejects.toMatchObject({ code: "P2002" });
  });

  it("a payment applied before receipts were numbered gets its number on the first download, with replayed facts", async () => {
    const [p1] = await payments(b.t, b.invoice.id);
    await new TenantDb(b.t.tenantId).run((tx) =>
      tx.payment.update({ where: { id: p1!.id }, data: { receiptNumber: null, receiptApplied: null, receiptBalanceAfter: null } }),
    );
    const doc = await new ReceiptService(await tenantContextFor(b.t.owner.userId, b.t.slug)).document(p1!.id);
    expect(doc.number).toMatch(/^RC-\d{4}-000002$/);
    expect(doc).toMatchObject({ applied: 1_000, balanceAfter: 27_000 });
    // asked again: the same number
    const again = await new ReceiptService(await tenantContextFor(b.t.owner.userId, b.t.slug)).document(p1!.id);
    expect(again.number).toBe(doc.number);
  });

  it("a KHQR payment gets its receipt once, however often Bakong's callback arrives", async () => {
    const w = await world("rcpk");
    const anon = await callerFor(hostOf(w.t.slug), null, { "x-forwarded-for": uniqueIp() });
    const attempt = await anon.payPage.checkout({ token: w.invoice.payToken! });
    const payment = await new TenantDb(w.t.tenantId).run((tx) => tx.payment.findUniqueOrThrow({ where: { id: attempt.paymentId } }));
    const tx = transactionFor(payment);
    for (let i = 0; i < 3; i++) expect((await postCallback(signedCallback(callbackBody(payment.md5!, tx)))).status).toBe(200);
    const paid = await payments(w.t, w.invoice.id);
    expect(paid).toHaveLength(1);
    expect(paid[0]).toMatchObject({ receiptApplied: 28_000, receiptBalanceAfter: 0 });
    expect(paid[0]!.receiptNumber).toMatch(/^RC-\d{4}-000001$/);
    expect((await counter(w.t)).map((c) => c.last)).toEqual([1]);
  });

  it("the receipt PDF: staff with invoices.view get it; another workspace, anonymous and unknown ids do not", async () => {
    const [p1] = await payments(a.t, a.invoice.id);
    const host = hostOf(a.t.slug);
    const owner = await sessionFor(a.t.owner.userId, host);
    const res = await receiptRoute(request(host, `/payments/${p1!.id}/receipt`, owner), {
      params: Promise.resolve({ tenant: a.t.slug, id: p1!.id }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toContain(`${p1!.receiptNumber}.pdf`);
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");

    const anonymous = await receiptRoute(request(host, `/payments/${p1!.id}/receipt`, null), {
      params: Promise.resolve({ tenant: a.t.slug, id: p1!.id }),
    });
    expect(anonymous.status).toBe(401);
    // B's owner on B's host asking for A's payment: as unknown as a made-up id
    const hostB = hostOf(b.t.slug);
    const ownerB = await sessionFor(b.t.owner.userId, hostB);
    const foreign = await receiptRoute(request(hostB, `/payments/${p1!.id}/receipt`, ownerB), {
      params: Promise.resolve({ tenant: b.t.slug, id: p1!.id }),
    });
    expect(foreign.status).toBe(404);
    const bogus = await receiptRoute(request(host, `/payments/not-a-uuid/receipt`, owner), {
      params: Promise.resolve({ tenant: a.t.slug, id: "not-a-uuid" }),
    });
    expect(bogus.status).toBe(404);
  });

  it("the invoice page lists each payment with its receipt number", async () => {
    const rows = await a.owner.rentPayments.forInvoice({ invoiceId: a.invoice.id });
    expect(rows.map((r) => r.receiptNumber)).toEqual((await payments(a.t, a.invoice.id)).map((p) => p.receiptNumber));
  });
});

describe("invoice PDF: how to pay", () => {
  it("carries the KHQR for the amount still open after a partial payment, in the invoice's currency, and the pay link", async () => {
    const w = await world("rcpq");
    await w.owner.rentPayments.record({ invoiceId: w.invoice.id, method: "cash", amount: 5_000, reference: "", paidOn: "2026-10-02" });
    const ctx = await tenantContextFor(w.t.owner.userId, w.t.slug);
    const now = new Date();
    const options = await invoicePayOptions(ctx, w.invoice.id, now);
    expect(options.open).toBe(23_000);
    expect(options.payUrl).toBe(payLinkFor(w.t.slug, w.invoice.payToken!));
    const decoded = decodeKhqr(options.khqr!.qr);
    expect(decoded).toMatchObject({ accountId: ACCOUNT, amount: 23_000, currency: "USD", billNumber: w.invoice.number, dynamic: true });
    // the same QR while it stays payable: one attempt, settled like the pay page's
    expect((await invoicePayOptions(ctx, w.invoice.id, now)).khqr!.qr).toBe(options.khqr!.qr);
    const attempt = await new TenantDb(w.t.tenantId).run((tx) => tx.payment.findFirstOrThrow({ where: { qrString: options.khqr!.qr } }));
    expect(attempt).toMatchObject({ status: "pending", method: "khqr", amount: 23_000, purpose: "rent" });
    // the renter's pay page, asked now, offers that same attempt
    const anon = await callerFor(hostOf(w.t.slug), null, { "x-forwarded-for": uniqueIp() });
    expect((await anon.payPage.checkout({ token: w.invoice.payToken! })).paymentId).toBe(attempt.id);

    // the rendered PDF embeds both QR images
    const host = hostOf(w.t.slug);
    const res = await invoicePdfRoute(request(host, `/invoices/${w.invoice.id}/pdf`, await sessionFor(w.t.owner.userId, host)), {
      params: Promise.resolve({ tenant: w.t.slug, id: w.invoice.id }),
    });
    expect(res.status).toBe(200);
    const pdf = Buffer.from(await res.arrayBuffer()).toString("latin1");
    expect(pdf.match(/\/Subtype \/Image/g)?.length ?? 0).toBeGreaterThanOrEqual(2);

    // paid in full: no QR at all
    await w.owner.rentPayments.record({ invoiceId: w.invoice.id, method: "cash", amount: 23_000, reference: "", paidOn: "2026-10-03" });
    expect(await invoicePayOptions(ctx, w.invoice.id, now)).toMatchObject({ open: 0, khqr: null, payUrl: null });
  });

  it("without KHQR collection: the pay link only, and the workspace's own instructions once set", async () => {
    const w = await world("rcpn");
    await platformDb.run((tx) => tx.tenant.update({ where: { id: w.t.tenantId }, data: { bakongAccountId: null } }));
    const ctx = await tenantContextFor(w.t.owner.userId, w.t.slug);
    expect(await invoicePayOptions(ctx, w.invoice.id)).toMatchObject({ open: 28_000, khqr: null, instructions: null });
    await w.owner.workspaceSettings.updatePaymentInstructions({
      bankName: " ABA  Bank ",
      accountName: "Sokha Chan",
      accountNumber: "000 123-456",
      phone: "",
    });
    expect((await invoicePayOptions(ctx, w.invoice.id)).instructions).toEqual({
      bankName: "ABA Bank",
      accountName: "Sokha Chan",
      accountNumber: "000 123-456",
      phone: null,
    });
  });
});

describe("payment instructions (settings)", () => {
  it("owners save them with validation; the pay page shows them; a manager cannot change them", async () => {
    const w = await world("rcps");
    await expectTRPCError(
      w.owner.workspaceSettings.updatePaymentInstructions({ bankName: "", accountName: "", accountNumber: "12ab", phone: "" }),
      "BAD_REQUEST",
    );
    await expectTRPCError(
      w.owner.workspaceSettings.updatePaymentInstructions({ bankName: "", accountName: "", accountNumber: "", phone: "12" }),
      "BAD_REQUEST",
    );
    const saved = await w.owner.workspaceSettings.updatePaymentInstructions({
      bankName: "ACLEDA",
      accountName: "",
      accountNumber: "",
      phone: "+855 12 345 678",
    });
    expect(saved).toEqual({ bankName: "ACLEDA", accountName: null, accountNumber: null, phone: "+855 12 345 678" });
    expect(await w.owner.workspaceSettings.paymentInstructions()).toEqual(saved);
    const audit = await new TenantDb(w.t.tenantId).run((tx) =>
      tx.auditLog.findMany({ where: { action: "workspace.payment_instructions_updated" } }),
    );
    expect(audit).toHaveLength(1);
    const anon = await callerFor(hostOf(w.t.slug), null, { "x-forwarded-for": uniqueIp() });
    expect((await anon.payPage.view({ token: w.invoice.payToken! })).instructions).toEqual(saved);
    // another workspace's pay page knows nothing of them
    const other = await callerFor(hostOf(b.t.slug), null, { "x-forwarded-for": uniqueIp() });
    expect((await other.payPage.view({ token: b.invoice.payToken! })).instructions).toBeNull();
  });
});
