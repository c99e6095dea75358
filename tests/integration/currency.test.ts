// USD and riel together (issue 18, docs/CURRENCY.md) against the real database and the local fake
// Bakong API: the exchange-rate history (the rate of day D, manual over provider), the pay page's
// other-currency line and quote, a USD invoice paid in riel by KHQR end to end through the signed
// Bakong callback (exactly once; after a partial cash payment; over the open amount → credit in
// dollars), a KHR invoice paid in dollars, and the ledger and /payments totals staying exact.
import { beforeEach, describe, expect, it } from "vitest";
import { TenantDb } from "@/server/db/tenant-db";
import { platformDb } from "@/server/db/platform-db";
import { createContract, createRentInvoice, createTenant, uniqueSlug } from "@/server/testing/factories";
import { RentPayPageService } from "@/server/rent-invoices/pay-page.public";
import { decodeKhqr } from "@/server/payments/khqr";
import { rateOn, storeProviderRate } from "@/server/rates/exchange-rates";
import { equivalentAt } from "@/server/rates/equivalent";
import { ReceiptService } from "@/server/receipts/receipts";
import { renterReceipts } from "@/server/portal/portal-queries";
import { NbcRateProvider } from "@/server/rates/rate-provider";
import { RateFetchJob } from "@/server/rates/rate-fetch.jobs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { callbackBody, postCallback, signedCallback, transactionFor, withFakeBakong } from "./support/billing";
import { hostOf, signedIn, testMeta } from "./support/world";
import { addDaysToDay, dayIn, startOfDayIn } from "@/lib/dates";

const bakong = withFakeBakong();
const ACCOUNT = "landlord@aclb";
/**
 * The days of these tests, relative to the clock (a KHQR must expire in the future): the invoice is
 * issued 5 days ago at the rate set 10 days ago (4,100); a new rate (4,050) took effect yesterday,
 * between issue and payment. Nothing depends on which day today is.
 */
const TZ = "Asia/Phnom_Penh";
const NOW = new Date();
const daysAgo = (n: number) => addDaysToDay(dayIn(NOW, TZ), -n);
const ISSUED_AT = startOfDayIn(daysAgo(5), TZ);

beforeEach(() => bakong.fake.reset());

async function world(prefix: string, opts: { currency?: "USD" | "KHR"; rates?: Array<[string, number, "manual" | "nbc"]> } = {}) {
  const currency = opts.currency ?? "USD";
  const t = await createTenant({ slug: uniqueSlug(prefix), subscription: { plan: "pro" } });
  await platformDb.run((tx) => tx.tenant.update({ where: { id: t.tenantId }, data: { bakongAccountId: ACCOUNT } }));
  const contract = await createContract({
    tenantId: t.tenantId,
    status: "active",
    rentAmount: currency === "USD" ? 28_000 : 400_000,
    currency,
    billingDay: 1,
    startDate: "2026-10-01",
  });
  const invoice = await createRentInvoice({
    tenantId: t.tenantId,
    contractId: contract.id,
    period: "2026-10",
    currency,
    issuedAt: ISSUED_AT,
    lines: [{ kind: "rent", description: "Rent October 2026", unitAmount: currency === "USD" ? 28_000 : 400_000 }],
  });
  const rates = opts.rates ?? [
    // the issue day's rate, and a new one between issue and payment
    [daysAgo(10), 4100, "manual"],
    [daysAgo(1), 4050, "manual"],
  ];
  await new TenantDb(t.tenantId).run((tx) =>
    tx.exchangeRate.createMany({
      data: rates.map(([day, khrPerUsd, source]) => ({
        tenantId: t.tenantId,
        effectiveDate: new Date(`${day}T00:00:00Z`),
        khrPerUsd,
        source,
      })),
    }),
  );
  const tenant = {
    id: t.tenantId,
    slug: t.slug,
    name: t.slug,
    status: "active" as const,
    locale: "en",
    timezone: "Asia/Phnom_Penh",
    currency,
  };
  const pay = new RentPayPageService(tenant, testMeta(), () => new Date());
  const owner = await signedIn(t.owner.userId, hostOf(t.slug));
  return { t, contract, invoice, token: invoice.payToken!, pay, owner };
}

const db = (tenantId: string) => ({
  invoice: (id: string) => new TenantDb(tenantId).run((tx) => tx.rentInvoice.findUniqueOrThrow({ where: { id } })),
  contract: (id: string) => new TenantDb(tenantId).run((tx) => tx.contract.findUniqueOrThrow({ where: { id } })),
  payment: (id: string) => new TenantDb(tenantId).run((tx) => tx.payment.findUniqueOrThrow({ where: { id } })),
});

/** What Bakong reports for a payment in the other currency: the received amount and currency. */
function bakongTransaction(p: { receivedAmount: number | null; receivedCurrency: string | null; amount: number; currency: string }) {
  return transactionFor({ amount: p.receivedAmount ?? p.amount, currency: p.receivedCurrency ?? p.currency, receivingAccount: ACCOUNT });
}

describe("exchange-rate history", () => {
  it("the rate of day D is the latest on or before D; a manual rate wins over a provider's of the same day; none before the first", async () => {
    const { t } = await world("xrate", {
      rates: [
        ["2026-10-01", 4100, "manual"],
        ["2026-10-05", 4090, "nbc"],
        ["2026-10-08", 4080, "nbc"],
        ["2026-10-08", 4075, "manual"],
      ],
    });
    const on = (day: string) => new TenantDb(t.tenantId).run((tx) => rateOn(tx, t.tenantId, day));
    expect(await on("2026-09-30")).toBeNull();
    expect(await on("2026-10-01")).toEqual({ khrPerUsd: 4100, effectiveDate: "2026-10-01", source: "manual" });
    expect(await on("2026-10-07")).toEqual({ khrPerUsd: 4090, effectiveDate: "2026-10-05", source: "nbc" });
    expect(await on("2026-10-08")).toEqual({ khrPerUsd: 4075, effectiveDate: "2026-10-08", source: "manual" });
    expect(await on("2030-01-01")).toMatchObject({ khrPerUsd: 4075 });
    // the provider never overwrites: a second fetch of the same day, and a manual day, are kept as they are
    const store = (day: string, khrPerUsd: number) =>
      new TenantDb(t.tenantId).run((tx) => storeProviderRate(tx, t.tenantId, { day, khrPerUsd, source: "nbc" }));
    expect(await store("2026-10-05", 4999)).toBe(false);
    expect(await store("2026-10-09", 4070)).toBe(true);
    expect(await on("2026-10-05")).toMatchObject({ khrPerUsd: 4090 });
    expect(await on("2026-10-08")).toMatchObject({ khrPerUsd: 4075, source: "manual" });
    expect(await on("2026-10-09")).toEqual({ khrPerUsd: 4070, effectiveDate: "2026-10-09", source: "nbc" });
    // another workspace's rates are not this one's (row-level security and tenantId)
    const other = await world("xrate2", { rates: [] });
    expect(await new TenantDb(other.t.tenantId).run((tx) => rateOn(tx, other.t.tenantId, "2026-10-09"))).toBeNull();
    expect(await new TenantDb(other.t.tenantId).run((tx) => tx.exchangeRate.count())).toBe(0);
  });

  it("staff set a day's rate (a second one for the day replaces it, audited) and page the history newest first by keyset", async () => {
    const { t, owner } = await world("xlist", { rates: [] });
    await owner.exchangeRates.set({ effectiveDate: "2026-10-01", khrPerUsd: 4100 });
    await owner.exchangeRates.set({ effectiveDate: "2026-10-03", khrPerUsd: 4090 });
    await owner.exchangeRates.set({ effectiveDate: "2026-10-02", khrPerUsd: 4095 });
    await owner.exchangeRates.set({ effectiveDate: "2026-10-02", khrPerUsd: 4096 });
    const first = await owner.exchangeRates.list({ limit: 2 });
    expect(first.rows.map((r) => [r.effectiveDate, r.khrPerUsd, r.source])).toEqual([
      ["2026-10-03", 4090, "manual"],
      ["2026-10-02", 4096, "manual"],
    ]);
    const second = await owner.exchangeRates.list({ limit: 2, cursor: first.nextCursor });
    expect(second.rows.map((r) => r.effectiveDate)).toEqual(["2026-10-01"]);
    expect(second.nextCursor).toBeNull();
    const audit = await new TenantDb(t.tenantId).run((tx) => tx.auditLog.findMany({ where: { action: "workspace.exchange_rate_set" } }));
    expect(audit).toHaveLength(4);
    expect(audit.map((a) => a.metadata)).toContainEqual({ effectiveDate: "2026-10-02", before: 4095, after: 4096 });
    // out of range, not whole, not a day: a clear validation error, never a 500
    await expect(owner.exchangeRates.set({ effectiveDate: "2026-10-04", khrPerUsd: 999 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(owner.exchangeRates.set({ effectiveDate: "2026-10-04", khrPerUsd: 4100.5 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(owner.exchangeRates.set({ effectiveDate: "2026-02-30", khrPerUsd: 4100 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(owner.exchangeRates.list({ limit: 2, cursor: "forged" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("an invoice's equivalent uses the rate of its workspace-local issue day, and there is none without a rate", async () => {
    const { t } = await world("xeq");
    const eq = (at: Date) =>
      new TenantDb(t.tenantId).run((tx) =>
        equivalentAt(tx, { tenantId: t.tenantId, amount: 10_001, currency: "USD", at, timeZone: "Asia/Phnom_Penh" }),
      );
    // a minute before the new rate's local midnight (Phnom Penh, UTC+7): still the old day and rate
    const midnight = startOfDayIn(daysAgo(1), TZ);
    expect(await eq(new Date(midnight.getTime() - 60_000))).toMatchObject({
      amount: 410_041,
      currency: "KHR",
      khrPerUsd: 4100,
      day: daysAgo(2),
    });
    expect(await eq(new Date(midnight.getTime() + 60_000))).toMatchObject({ amount: 405_041, khrPerUsd: 4050, day: daysAgo(1) });
    expect(await eq(startOfDayIn(daysAgo(11), TZ))).toBeNull();
  });
});

describe("the daily provider (National Bank of Cambodia adapter against a local stub)", () => {
  it("stores the day's rate with the provider as source, once, and never over a manual rate", async () => {
    const asked: string[] = [];
    const stub = createServer((req, res) => {
      asked.push(req.url ?? "");
      res.setHeader("content-type", "text/html");
      res.end("<html><td>Official Exchange Rate :</td><td><b>4,093</b> KHR / USD</td></html>");
    });
    await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/rate?date={date}`;
      const manual = await world("xnbcm", { rates: [[daysAgo(0), 4111, "manual"]] });
      const none = await world("xnbcn", { rates: [] });
      const job = new RateFetchJob(new NbcRateProvider(url));
      const first = await job.run();
      expect(first.provider).toBe("nbc");
      expect(first.stored).toBeGreaterThanOrEqual(2);
      expect(asked).toContain(`/rate?date=${daysAgo(0)}`);
      const on = (tenantId: string) => new TenantDb(tenantId).run((tx) => rateOn(tx, tenantId, daysAgo(0)));
      expect(await on(none.t.tenantId)).toEqual({ khrPerUsd: 4093, effectiveDate: daysAgo(0), source: "nbc" });
      // the manual rate of the day still wins; the provider's row is kept beside it
      expect(await on(manual.t.tenantId)).toEqual({ khrPerUsd: 4111, effectiveDate: daysAgo(0), source: "manual" });
      // a second run the same day stores nothing new for them (its count may include workspaces
      // other test files created meanwhile: the database is shared)
      const nbcRows = (tenantId: string) =>
        new TenantDb(tenantId).run((tx) => tx.exchangeRate.count({ where: { tenantId, source: "nbc" } }));
      expect([await nbcRows(none.t.tenantId), await nbcRows(manual.t.tenantId)]).toEqual([1, 1]);
      await job.run();
      expect([await nbcRows(none.t.tenantId), await nbcRows(manual.t.tenantId)]).toEqual([1, 1]);
      // off without a provider
      expect(await new RateFetchJob(null).run()).toEqual({ provider: null, stored: 0, failed: 0 });
    } finally {
      stub.close();
    }
  });

  it("reads a JSON answer too, and refuses a rate that is not a whole number in range", async () => {
    let body = JSON.stringify({ khrPerUsd: 4101 });
    const stub = createServer((_req, res) => res.end(body));
    await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
    try {
      const provider = new NbcRateProvider(`http://127.0.0.1:${(stub.address() as AddressInfo).port}/`);
      expect(await provider.fetchRate("2026-10-01")).toBe(4101);
      body = JSON.stringify({ rate: "4,102" });
      expect(await provider.fetchRate("2026-10-01")).toBe(4102);
      body = JSON.stringify({ rate: 40.99 });
      expect(await provider.fetchRate("2026-10-01")).toBeNull();
      body = "<html>maintenance</html>";
      expect(await provider.fetchRate("2026-10-01")).toBeNull();
    } finally {
      stub.close();
    }
  });
});

describe("a USD invoice paid in riel by KHQR", () => {
  it("after a partial cash payment: the QR asks the rest in riel at the payment day's rate (rounded up to 100), the callback settles it exactly once", async () => {
    const { t, invoice, token, pay, owner, contract } = await world("xkhr");
    // the pay page: the total in riel at the ISSUE day's rate (4,100), nothing paid yet
    const view = await pay.view(token);
    expect(view.equivalent).toEqual({ amount: 1_148_000, currency: "KHR", khrPerUsd: 4100 });
    // the staff invoice page shows the same line
    expect(await owner.exchangeRates.invoiceEquivalent({ invoiceId: invoice.id })).toMatchObject({
      day: daysAgo(5),
      applicable: true,
      equivalent: { amount: 1_148_000, currency: "KHR", khrPerUsd: 4100, effectiveDate: daysAgo(10) },
    });
    await owner.rentPayments.record({ invoiceId: invoice.id, method: "cash", amount: 7_999, reference: "", paidOn: daysAgo(3) });
    // $200.01 open at the payment day's 4,050 = 810,040.5 riel → 810,100
    expect((await pay.view(token)).payInOther).toEqual({ currency: "KHR", amount: 810_100, khrPerUsd: 4050 });
    const attempt = await pay.checkout(token, "KHR");
    expect(attempt).toMatchObject({ status: "pending", amount: 810_100, currency: "KHR" });
    expect(decodeKhqr(attempt.qr)).toMatchObject({ accountId: ACCOUNT, amount: 810_100, currency: "KHR", billNumber: invoice.number });
    // asked again: the same attempt; the ordinary QR is another one, in dollars
    expect((await pay.checkout(token, "KHR")).paymentId).toBe(attempt.paymentId);
    const usd = await pay.checkout(token, null);
    expect(usd).toMatchObject({ amount: 20_001, currency: "USD" });
    expect(usd.paymentId).not.toBe(attempt.paymentId);

    const payment = await db(t.tenantId).payment(attempt.paymentId);
    // both currencies and the rate: the value in the invoice's currency, what moves, the rate used
    expect(payment).toMatchObject({ amount: 20_001, currency: "USD", receivedAmount: 810_100, receivedCurrency: "KHR", khrPerUsd: 4050 });

    // a confirmation in dollars for the riel QR is a mismatch: flagged, not applied
    const wrong = await postCallback(
      signedCallback(callbackBody(payment.md5!, transactionFor({ amount: 20_001, currency: "USD", receivingAccount: ACCOUNT }))),
    );
    expect(wrong.status).toBe(200);
    expect((await db(t.tenantId).payment(payment.id)).flagReason).toContain("currency: expected KHR, got USD");
    expect(await db(t.tenantId).invoice(invoice.id)).toMatchObject({ amountPaid: 7_999 });
    await new TenantDb(t.tenantId).run((tx) =>
      tx.payment.update({ where: { id: payment.id }, data: { flaggedAt: null, flagReason: null } }),
    );

    const tx = bakongTransaction(payment);
    const res = await postCallback(signedCallback(callbackBody(payment.md5!, tx)));
    expect(res).toEqual({ status: 200, body: { ok: true, outcome: "paid" } });
    expect(await db(t.tenantId).invoice(invoice.id)).toMatchObject({ status: "paid", amountPaid: 28_000 });
    // the up-to-100-riel rounding is absorbed: no credit
    expect(await db(t.tenantId).contract(contract.id)).toMatchObject({ creditBalance: 0 });
    expect(await db(t.tenantId).payment(payment.id)).toMatchObject({
      status: "paid",
      amount: 20_001,
      receiptApplied: 20_001,
      receiptBalanceAfter: 0,
    });
    // a duplicate delivery changes nothing
    expect((await postCallback(signedCallback(callbackBody(payment.md5!, tx)))).status).toBe(200);
    expect(await db(t.tenantId).invoice(invoice.id)).toMatchObject({ status: "paid", amountPaid: 28_000 });

    // ledger and /payments totals: exact, in the invoice's currency
    const ledger = await owner.rentPayments.ledger({ contractId: contract.id });
    expect(ledger).toMatchObject({ currency: "USD", totalCharged: 28_000, totalPaid: 28_000, balance: 0, credit: 0, outstanding: 0 });
    const list = await owner.rentPayments.list({ from: "2000-01-01", currency: "USD" });
    expect(list.totals).toEqual([{ currency: "USD", count: 2, amount: 28_000 }]);
    expect((await owner.rentPayments.list({ from: "2000-01-01", currency: "KHR" })).totals ?? []).toEqual([]);
    // nothing left to pay: no quote
    expect((await pay.view(token)).payInOther).toBeNull();
  });

  it("paid in riel after staff took part in cash: the whole QR still counts, the excess is credit in dollars", async () => {
    const { t, invoice, token, pay, owner, contract } = await world("xover");
    const attempt = await pay.checkout(token, "KHR");
    // $280.00 at 4,050 = 1,134,000 riel (a multiple of 100: asked as is)
    expect(attempt).toMatchObject({ amount: 1_134_000, currency: "KHR" });
    await owner.rentPayments.record({ invoiceId: invoice.id, method: "cash", amount: 10_000, reference: "", paidOn: daysAgo(1) });
    const payment = await db(t.tenantId).payment(attempt.paymentId);
    const res = await postCallback(signedCallback(callbackBody(payment.md5!, bakongTransaction(payment))));
    expect(res.body).toMatchObject({ outcome: "paid" });
    expect(await db(t.tenantId).invoice(invoice.id)).toMatchObject({ status: "paid", amountPaid: 28_000 });
    expect(await db(t.tenantId).contract(contract.id)).toMatchObject({ creditBalance: 10_000 });
    const ledger = await owner.rentPayments.ledger({ contractId: contract.id });
    expect(ledger).toMatchObject({ totalCharged: 28_000, totalPaid: 38_000, balance: -10_000, credit: 10_000, outstanding: 0 });
  });
});

describe("staff record cash in the other currency", () => {
  it("riel for a USD invoice at the day's rate (or one given): the rounding absorbed, the payment keeps both currencies", async () => {
    const { t, invoice, owner, contract } = await world("xcash");
    // 1,000,000 riel on a day at 4,050: $246.91 (246.913… cents down), partial
    const first = await owner.rentPayments.record({
      invoiceId: invoice.id,
      method: "cash",
      amount: 1_000_000,
      receivedCurrency: "KHR",
      reference: "",
      paidOn: daysAgo(0),
    });
    expect(first).toMatchObject({ applied: 24_691, credit: 0, status: "partially_paid", amountPaid: 24_691 });
    expect(await db(t.tenantId).payment(first.paymentId)).toMatchObject({
      amount: 24_691,
      currency: "USD",
      receivedAmount: 1_000_000,
      receivedCurrency: "KHR",
      khrPerUsd: 4050,
    });
    // the rest ($33.09) at a rate the cashier used (4,000): 132,360 → asked 132,400; paid exactly that, nothing more credited
    const rest = await owner.rentPayments.record({
      invoiceId: invoice.id,
      method: "cash",
      amount: 132_400,
      receivedCurrency: "KHR",
      khrPerUsd: 4000,
      reference: "",
      paidOn: daysAgo(0),
    });
    expect(rest).toMatchObject({ applied: 3_309, credit: 0, status: "paid", amountPaid: 28_000 });
    expect(await db(t.tenantId).contract(contract.id)).toMatchObject({ creditBalance: 0 });
    expect(await owner.rentPayments.ledger({ contractId: contract.id })).toMatchObject({ totalPaid: 28_000, balance: 0 });
    // no rate on or before the day: refused, nothing recorded
    const { invoice: other, owner: o2 } = await world("xcash2", { rates: [] });
    await expect(
      o2.rentPayments.record({
        invoiceId: other.id,
        method: "cash",
        amount: 100_000,
        receivedCurrency: "KHR",
        reference: "",
        paidOn: daysAgo(0),
      }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
  });
});

describe("where a payment received in the other currency shows", () => {
  it("the ledger, /payments (rows and totals), the invoice's payments, the receipt and the portal carry what came in and the rate; the totals count it once, in the invoice's currency", async () => {
    const { t, invoice, owner, contract } = await world("xshow");
    // ៛412,000 at 4,120 riel per dollar = $100.00 on the $280 invoice, then $50 in dollars
    const riel = await owner.rentPayments.record({
      invoiceId: invoice.id,
      method: "cash",
      amount: 412_000,
      receivedCurrency: "KHR",
      khrPerUsd: 4120,
      reference: "",
      paidOn: daysAgo(0),
    });
    expect(riel).toMatchObject({ applied: 10_000, status: "partially_paid" });
    const dollars = await owner.rentPayments.record({
      invoiceId: invoice.id,
      method: "cash",
      amount: 5_000,
      reference: "",
      paidOn: daysAgo(0),
    });
    const received = { receivedAmount: 412_000, receivedCurrency: "KHR", khrPerUsd: 4120 };
    const none = { receivedAmount: null, receivedCurrency: null, khrPerUsd: null };

    const list = await owner.rentPayments.list({ from: "2000-01-01" });
    expect(list.items.find((p) => p.id === riel.paymentId)).toMatchObject({ amount: 10_000, currency: "USD", ...received });
    expect(list.items.find((p) => p.id === dollars.paymentId)).toMatchObject({ amount: 5_000, currency: "USD", ...none });
    // once, in dollars: never in a riel total, never the riel figure added to the dollars
    expect(list.totals).toEqual([{ currency: "USD", count: 2, amount: 15_000 }]);
    expect((await owner.rentPayments.list({ from: "2000-01-01", currency: "KHR" })).totals).toEqual([]);
    expect((await owner.rentPayments.list({ from: "2000-01-01", currency: "USD" })).totals).toEqual([
      { currency: "USD", count: 2, amount: 15_000 },
    ]);

    const ledger = await owner.rentPayments.ledger({ contractId: contract.id });
    expect(ledger).toMatchObject({ currency: "USD", totalPaid: 15_000, balance: 13_000 });
    const entries = ledger.entries.filter((e) => e.kind === "payment");
    expect(entries.find((e) => e.id === riel.paymentId)).toMatchObject({ amount: 10_000, ...received });
    expect(entries.find((e) => e.id === dollars.paymentId)).toMatchObject({ amount: 5_000, ...none });

    const ofInvoice = await owner.rentPayments.forInvoice({ invoiceId: invoice.id });
    expect(ofInvoice.find((p) => p.id === riel.paymentId)).toMatchObject({ amount: 10_000, currency: "USD", ...received });

    const tenantDb = new TenantDb(t.tenantId);
    expect((await new ReceiptService({ db: tenantDb }).document(riel.paymentId)).received).toEqual({
      amount: 412_000,
      currency: "KHR",
      khrPerUsd: 4120,
    });
    expect((await new ReceiptService({ db: tenantDb }).document(dollars.paymentId)).received).toBeNull();

    const scope = { tenantId: t.tenantId, renterId: contract.renterId, sessionId: "", locale: "en" as const };
    const receipts = await renterReceipts(scope);
    expect(receipts.items.find((r) => r.id === riel.paymentId)).toMatchObject({ amount: 10_000, currency: "USD", ...received });
    expect(receipts.items.find((r) => r.id === dollars.paymentId)).toMatchObject(none);
  });
});

describe("a KHR invoice paid in dollars", () => {
  it("the QR asks dollars rounded up to the cent; settled, the invoice takes exactly its riel", async () => {
    const { t, invoice, token, pay, owner, contract } = await world("xusd", { currency: "KHR" });
    const view = await pay.view(token);
    // 400,000 riel at the issue day's 4,100 = $97.56 (97.5609…, half up)
    expect(view.equivalent).toEqual({ amount: 9_756, currency: "USD", khrPerUsd: 4100 });
    // at the payment day's 4,050: 9,876.54… cents → $98.77
    expect(view.payInOther).toEqual({ currency: "USD", amount: 9_877, khrPerUsd: 4050 });
    const attempt = await pay.checkout(token, "USD");
    expect(decodeKhqr(attempt.qr)).toMatchObject({ amount: 9_877, currency: "USD" });
    const payment = await db(t.tenantId).payment(attempt.paymentId);
    expect(payment).toMatchObject({ amount: 400_000, currency: "KHR", receivedAmount: 9_877, receivedCurrency: "USD", khrPerUsd: 4050 });
    const res = await postCallback(signedCallback(callbackBody(payment.md5!, bakongTransaction(payment))));
    expect(res.body).toMatchObject({ outcome: "paid" });
    expect(await db(t.tenantId).invoice(invoice.id)).toMatchObject({ status: "paid", amountPaid: 400_000 });
    expect(await db(t.tenantId).contract(contract.id)).toMatchObject({ creditBalance: 0 });
    expect(await owner.rentPayments.ledger({ contractId: contract.id })).toMatchObject({ currency: "KHR", totalPaid: 400_000, balance: 0 });
    expect((await owner.rentPayments.list({ from: "2000-01-01" })).totals).toEqual([{ currency: "KHR", count: 1, amount: 400_000 }]);
  });
});

describe("without a rate", () => {
  it("no other-currency line, no quote, and a riel QR is refused (a rate is never made up)", async () => {
    const { token, pay, owner, invoice } = await world("xnone", { rates: [[daysAgo(-1), 4100, "manual"]] });
    // staff see that no rate is set for the issue day
    expect(await owner.exchangeRates.invoiceEquivalent({ invoiceId: invoice.id })).toEqual({
      day: daysAgo(5),
      equivalent: null,
      applicable: true,
    });
    const view = await pay.view(token);
    expect(view.equivalent).toBeNull();
    expect(view.payInOther).toBeNull();
    await expect(pay.checkout(token, "KHR")).rejects.toMatchObject({ code: "INVALID_STATE", key: "currency.errors.noRate" });
    // the invoice's own currency is the ordinary QR
    expect(await pay.checkout(token, "USD")).toMatchObject({ currency: "USD", amount: 28_000 });
  });
});
