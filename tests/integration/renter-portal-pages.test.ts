// Issue 18, renter portal: what a signed-in renter reads (server/portal/portal-queries.ts) is theirs
// only: a second renter of the same workspace and a renter of another workspace read nothing of it
// (another renter's id answers exactly like an unknown one); the invoice and receipt lists page by
// keyset at any depth; the PDF downloads answer 401 without a renter session and 404 for an id that
// is not the renter's.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { TenantDb } from "@/server/db/tenant-db";
import {
  createContract,
  createProperty,
  createRenter,
  createRentInvoice,
  createTenant,
  createUnit,
  uniqueSlug,
} from "@/server/testing/factories";
import type { SessionClaims } from "@/server/auth/auth.public";
import type { RenterScope } from "@/server/portal/renter-session";
import {
  renterContracts,
  renterHome,
  renterInvoice,
  renterInvoiceDocument,
  renterInvoices,
  renterLastReceipt,
  renterLedger,
  renterLedgers,
  renterOpenInvoices,
  renterReceiptDocument,
  renterReceipts,
} from "@/server/portal/portal-queries";
import { E2E_PORTAL_PAGES, seedRenterPortalPagesFixture } from "@/server/testing/portal-fixture";
import { hostOf, PORT, signedIn, uniqueIp } from "./support/world";

const current = vi.hoisted(() => ({
  headers: new Headers(),
  claims: null as Partial<SessionClaims> | null,
  renter: null as RenterScope | null,
}));
vi.mock("next/headers", () => ({
  headers: async () => current.headers,
  cookies: async () => ({ get: () => undefined }),
}));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => current.claims }));
// the renter session (the sign-in work's module): the test says who is signed in
vi.mock("@/server/portal/renter-session", () => ({
  currentRenter: async () => current.renter,
  requireRenter: async () => {
    if (!current.renter) throw new Error("redirect /renter/login");
    return current.renter;
  },
}));

// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { GET as invoicePdfRoute } from "@/app/(app)/t/[tenant]/renter/(portal)/invoices/[id]/pdf/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { GET as receiptPdfRoute } from "@/app/(app)/t/[tenant]/renter/(portal)/receipts/[id]/pdf/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { GET as moreInvoicesRoute } from "@/app/(app)/t/[tenant]/renter/(portal)/invoices/more/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { GET as moreReceiptsRoute } from "@/app/(app)/t/[tenant]/renter/(portal)/receipts/more/route";

function get(
  handler: (req: Request, seg: { params: Promise<{ tenant: string; id: string }> }) => Promise<Response>,
  slug: string,
  path: string,
  id: string,
  renter: RenterScope | null,
) {
  current.headers = new Headers({ host: `${hostOf(slug)}:${PORT}`, "x-forwarded-for": uniqueIp(), "accept-language": "en" });
  current.claims = null;
  current.renter = renter;
  return handler(new Request(`http://${hostOf(slug)}:${PORT}${path}`, { headers: current.headers }), {
    params: Promise.resolve({ tenant: slug, id }),
  });
}

const scopeOf = (tenantId: string, renterId: string, locale: "en" | "km" = "km"): RenterScope => ({
  tenantId,
  renterId,
  sessionId: "00000000-0000-4000-8000-000000000000",
  locale,
});
const months = (fromYear: number, count: number) =>
  Array.from({ length: count }, (_, i) => `${fromYear + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`);

let A: Awaited<ReturnType<typeof createTenant>>;
let B: Awaited<ReturnType<typeof createTenant>>;
let r1: RenterScope;
let r2: RenterScope;
let rb: RenterScope;
let c1: { id: string };
let c2: { id: string };
let c3: { id: string };
const r1Invoices: string[] = [];
let r1Draft: string;
let r1Open: { id: string; payToken: string };
let r1Paid: string;
let r2Invoice: string;
let bInvoice: string;

beforeAll(async () => {
  A = await createTenant({ slug: uniqueSlug("rpa") });
  B = await createTenant({ slug: uniqueSlug("rpb") });
  const property = await createProperty({ tenantId: A.tenantId, name: "Riverside" });
  const renter1 = await createRenter({ tenantId: A.tenantId, nameLatin: "Renter One" });
  const renter2 = await createRenter({ tenantId: A.tenantId, nameLatin: "Renter Two" });
  const renterB = await createRenter({ tenantId: B.tenantId, nameLatin: "Renter Bee" });
  r1 = scopeOf(A.tenantId, renter1.id);
  r2 = scopeOf(A.tenantId, renter2.id);
  rb = scopeOf(B.tenantId, renterB.id);
  const unit1 = await createUnit({ tenantId: A.tenantId, propertyId: property.id, code: "A-101" });
  const unit2 = await createUnit({ tenantId: A.tenantId, propertyId: property.id, code: "A-102" });
  const unit3 = await createUnit({ tenantId: A.tenantId, propertyId: property.id, code: "A-103" });
  // R1: an ended contract (2022-01 to 2023-09, 21 invoices) and an active one (2024-01 to 2025-12, 24 invoices)
  c2 = await createContract({
    tenantId: A.tenantId,
    unitId: unit2.id,
    renterId: renter1.id,
    status: "ended",
    startDate: "2022-01-01",
    endDate: "2023-09-30",
  });
  c1 = await createContract({ tenantId: A.tenantId, unitId: unit1.id, renterId: renter1.id, status: "active", startDate: "2024-01-01" });
  for (const period of months(2022, 21)) {
    r1Invoices.push((await createRentInvoice({ tenantId: A.tenantId, contractId: c2.id, period })).id);
  }
  // the ended contract's invoices were paid (outside the portal's concern: no payment rows)
  await new TenantDb(A.tenantId).run((tx) =>
    tx.rentInvoice.updateMany({
      where: { contractId: c2.id },
      data: { status: "paid", amountPaid: 25_000, paidAt: new Date("2023-10-01T00:00:00Z") },
    }),
  );
  for (const period of months(2024, 24)) {
    const inv = await createRentInvoice({ tenantId: A.tenantId, contractId: c1.id, period, payToken: `tok-${period}-${uniqueSlug("p")}` });
    r1Invoices.push(inv.id);
  }
  r1Draft = (await createRentInvoice({ tenantId: A.tenantId, contractId: c1.id, period: "2026-01", status: "draft" })).id;
  // R2: one contract, one invoice
  c3 = await createContract({ tenantId: A.tenantId, unitId: unit3.id, renterId: renter2.id, status: "active", startDate: "2025-01-01" });
  r2Invoice = (await createRentInvoice({ tenantId: A.tenantId, contractId: c3.id, period: "2025-06", payToken: uniqueSlug("tok2") })).id;
  // workspace B: a renter with one invoice
  const cb = await createContract({ tenantId: B.tenantId, renterId: renterB.id, status: "active", startDate: "2025-01-01" });
  bInvoice = (await createRentInvoice({ tenantId: B.tenantId, contractId: cb.id, period: "2025-06" })).id;

  // payments, recorded by staff: R1 pays 2025-12 in part (cash) and 2025-11 in full (bank transfer); R2 pays its invoice
  const ownerA = await signedIn(A.owner.userId, hostOf(A.slug));
  const open = await new TenantDb(A.tenantId).run((tx) =>
    tx.rentInvoice.findFirstOrThrow({ where: { contractId: c1.id, period: "2025-12" }, select: { id: true, payToken: true } }),
  );
  r1Open = { id: open.id, payToken: open.payToken! };
  const paid = await new TenantDb(A.tenantId).run((tx) =>
    tx.rentInvoice.findFirstOrThrow({ where: { contractId: c1.id, period: "2025-11" }, select: { id: true } }),
  );
  r1Paid = paid.id;
  await ownerA.rentPayments.record({ invoiceId: r1Open.id, method: "cash", amount: 10_000, reference: "", paidOn: "2025-12-03" });
  await ownerA.rentPayments.record({
    invoiceId: r1Paid,
    method: "bank_transfer",
    amount: 25_000,
    reference: "ABA-1",
    paidOn: "2025-11-04",
  });
  await ownerA.rentPayments.record({ invoiceId: r2Invoice, method: "cash", amount: 25_000, reference: "", paidOn: "2025-06-05" });
}, 120_000);

describe("renter portal queries: a renter's own rows only", () => {
  it("contracts: the renter's own, never a draft, never another renter's or workspace's", async () => {
    const mine = await renterContracts(r1);
    expect(mine.map((c) => c.id).sort()).toEqual([c1.id, c2.id].sort());
    expect(mine.find((c) => c.id === c1.id)).toMatchObject({
      unitCode: "A-101",
      propertyName: "Riverside",
      status: "active",
      startDate: "2024-01-01",
    });
    expect(mine.find((c) => c.id === c2.id)).toMatchObject({ status: "ended", endDate: "2023-09-30" });
    expect((await renterContracts(r2)).map((c) => c.id)).toEqual([c3.id]);
    expect(await renterContracts(rb)).toHaveLength(1);
    // R1's renter id under workspace B's tenant: nothing (the tenant filter and row-level security)
    expect(await renterContracts(scopeOf(B.tenantId, r1.renterId))).toEqual([]);
  });

  it("invoices page by keyset, newest first, at any depth: every one of the renter's once, no draft", async () => {
    const seen: string[] = [];
    const issued: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await renterInvoices(r1, { cursor, limit: 20 });
      pages += 1;
      expect(page.items.length).toBeLessThanOrEqual(20);
      for (const row of page.items) {
        seen.push(row.id);
        issued.push(row.issuedAt.getTime());
      }
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(45);
    expect(new Set(seen)).toEqual(new Set(r1Invoices));
    expect(seen).not.toContain(r1Draft);
    expect(issued).toEqual([...issued].sort((a, b) => b - a));
    // a cursor of another list, or a forged one: a validation error, never a 500
    const receiptsPage = await renterReceipts(r1, { limit: 1 });
    await expect(renterInvoices(r1, { cursor: receiptsPage.nextCursor })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(renterInvoices(r1, { cursor: "not-a-cursor" })).rejects.toMatchObject({ code: "VALIDATION" });
    // R1's cursor read by R2 continues R2's own list only
    const firstR1 = await renterInvoices(r1, { limit: 1 });
    const r2Rows = await renterInvoices(r2, { cursor: firstR1.nextCursor });
    expect(r2Rows.items.map((i) => i.id)).toEqual([r2Invoice]);
    expect((await renterInvoices(rb)).items.map((i) => i.id)).toEqual([bInvoice]);
    expect((await renterInvoices(scopeOf(B.tenantId, r1.renterId))).items).toEqual([]);
  });

  it("an open invoice carries its pay link and PDF, a paid one no pay link; the open list is the renter's", async () => {
    const { items } = await renterInvoices(r1, { limit: 3 });
    const open = items.find((i) => i.id === r1Open.id)!;
    expect(open).toMatchObject({
      status: "partially_paid",
      total: 25_000,
      amountPaid: 10_000,
      open: 15_000,
      payUrl: `/pay/${encodeURIComponent(r1Open.payToken)}`,
      pdfUrl: `/renter/invoices/${r1Open.id}/pdf`,
      unitCode: "A-101",
      propertyName: "Riverside",
      period: "2025-12",
    });
    expect(items.find((i) => i.id === r1Paid)).toMatchObject({ status: "paid", open: 0, payUrl: null });
    const openList = await renterOpenInvoices(r1);
    expect(openList.map((i) => i.id)).toContain(r1Open.id);
    expect(openList.every((i) => i.open > 0 && r1Invoices.includes(i.id))).toBe(true);
    expect(openList.map((i) => i.id)).not.toContain(r1Paid);
    expect(await renterOpenInvoices(r2)).toEqual([]);
  });

  it("one invoice: lines and receipts for its renter; null for another renter, a draft, a bad id or another workspace", async () => {
    const detail = await renterInvoice(r1, r1Open.id);
    expect(detail).toMatchObject({ id: r1Open.id, open: 15_000 });
    expect(detail!.lines).toEqual([expect.objectContaining({ kind: "rent", amount: 25_000 })]);
    expect(detail!.receipts).toEqual([expect.objectContaining({ amount: 10_000, method: "cash", balanceAfter: 15_000 })]);
    expect(await renterInvoice(r2, r1Open.id)).toBeNull();
    expect(await renterInvoice(r1, r1Draft)).toBeNull();
    expect(await renterInvoice(r1, "not-a-uuid")).toBeNull();
    expect(await renterInvoice(r1, bInvoice)).toBeNull();
    expect(await renterInvoice(scopeOf(B.tenantId, r1.renterId), r1Open.id)).toBeNull();
    expect(await renterInvoiceDocument(r1, r1Open.id)).toMatchObject({ id: r1Open.id, status: "partially_paid" });
    expect(await renterInvoiceDocument(r2, r1Open.id)).toBeNull();
    expect(await renterInvoiceDocument(rb, r1Open.id)).toBeNull();
  });

  it("receipts: one per payment, numbered, with the balance after; another renter's are not found", async () => {
    const { items, nextCursor } = await renterReceipts(r1);
    expect(nextCursor).toBeNull();
    expect(items.map((r) => [r.invoiceId, r.amount, r.method, r.balanceAfter])).toEqual([
      [r1Open.id, 10_000, "cash", 15_000],
      [r1Paid, 25_000, "bank_transfer", 0],
    ]);
    for (const r of items) expect(r.number).toMatch(/^RC-\d{4}-\d{6}$/);
    // paged one at a time: the same two, in order
    const first = await renterReceipts(r1, { limit: 1 });
    const second = await renterReceipts(r1, { limit: 1, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((r) => r.id)).toEqual(items.map((r) => r.id));
    expect(second.nextCursor).toBeNull();
    const theirs = await renterReceipts(r2);
    expect(theirs.items).toHaveLength(1);
    expect(theirs.items[0]!.invoiceId).toBe(r2Invoice);
    expect(await renterReceipts(rb)).toEqual({ items: [], nextCursor: null });
    expect((await renterLastReceipt(r1))!.id).toBe(items[0]!.id);
    expect(await renterLastReceipt(rb)).toBeNull();
    expect(await renterReceiptDocument(r1, items[0]!.id)).toMatchObject({ number: items[0]!.number, balanceAfter: 15_000 });
    expect(await renterReceiptDocument(r2, items[0]!.id)).toBeNull();
    expect(await renterReceiptDocument(rb, items[0]!.id)).toBeNull();
    expect(await renterReceiptDocument(r1, "nope")).toBeNull();
  });

  it("ledgers and home: per contract balance from the ledger; another renter's contract is not found", async () => {
    const ledgers = await renterLedgers(r1);
    expect(ledgers).toHaveLength(2);
    const active = ledgers.find((l) => l.contract.id === c1.id)!.ledger;
    // 24 invoices of 250.00 charged, 350.00 paid
    expect(active).toMatchObject({ totalCharged: 24 * 25_000, totalPaid: 35_000, balance: 24 * 25_000 - 35_000 });
    expect(await renterLedger(r1, c1.id)).toMatchObject({ contractId: c1.id, balance: active.balance });
    expect(await renterLedger(r2, c1.id)).toBeNull();
    expect(await renterLedger(rb, c1.id)).toBeNull();
    expect(await renterLedger(r1, "x")).toBeNull();
    const home = await renterHome(r1);
    expect(home.balances.map((b) => b.contractId).sort()).toEqual([c1.id, c2.id].sort());
    expect(home.balances.find((b) => b.contractId === c1.id)).toMatchObject({ outstanding: active.outstanding, unitCode: "A-101" });
    expect(home.openInvoices.map((i) => i.id)).toContain(r1Open.id);
    expect(home.lastReceipt?.invoiceId).toBe(r1Open.id);
    const homeB = await renterHome(rb);
    expect(homeB.balances).toHaveLength(1);
    expect(homeB.lastReceipt).toBeNull();
  });
});

describe("renter portal PDF downloads", () => {
  it("invoice PDF: 401 without a renter session, the PDF for its renter, 404 for anyone else's id", async () => {
    const path = `/renter/invoices/${r1Open.id}/pdf`;
    expect((await get(invoicePdfRoute, A.slug, path, r1Open.id, null)).status).toBe(401);
    const ok = await get(invoicePdfRoute, A.slug, path, r1Open.id, r1);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/pdf");
    expect(
      Buffer.from(await ok.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    const other = await get(invoicePdfRoute, A.slug, path, r1Open.id, r2);
    const unknown = await get(invoicePdfRoute, A.slug, path, "0190c0de-0000-7000-8000-000000000000", r2);
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await other.json()).toEqual(await unknown.json());
    expect((await get(invoicePdfRoute, A.slug, path, r1Draft, r1)).status).toBe(404);
    expect((await get(invoicePdfRoute, A.slug, path, "bad id", r1)).status).toBe(404);
    // a session of workspace A on workspace B's host: not signed in there
    expect((await get(invoicePdfRoute, B.slug, path, bInvoice, r1)).status).toBe(401);
    expect((await get(invoicePdfRoute, B.slug, path, r1Open.id, rb)).status).toBe(404);
  });

  it("receipt PDF: 401 without a renter session, the PDF for its renter, 404 for anyone else's", async () => {
    const [receipt] = (await renterReceipts(r1)).items;
    const path = `/renter/receipts/${receipt!.id}/pdf`;
    expect((await get(receiptPdfRoute, A.slug, path, receipt!.id, null)).status).toBe(401);
    const ok = await get(receiptPdfRoute, A.slug, path, receipt!.id, r1);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-disposition")).toContain(receipt!.number);
    expect((await get(receiptPdfRoute, A.slug, path, receipt!.id, r2)).status).toBe(404);
    expect((await get(receiptPdfRoute, B.slug, path, receipt!.id, rb)).status).toBe(404);
    expect((await get(receiptPdfRoute, A.slug, path, r1Open.id, r1)).status).toBe(404);
  });
});

describe("renter portal 'show more' pages", () => {
  const more = (
    handler: (req: Request, seg: { params: Promise<{ tenant: string }> }) => Promise<Response>,
    slug: string,
    path: string,
    renter: RenterScope | null,
  ) => {
    current.headers = new Headers({ host: `${hostOf(slug)}:${PORT}`, "x-forwarded-for": uniqueIp(), "accept-language": "en" });
    current.renter = renter;
    return handler(new Request(`http://${hostOf(slug)}:${PORT}${path}`, { headers: current.headers }), {
      params: Promise.resolve({ tenant: slug }),
    });
  };

  it("continue the renter's own list by cursor: 401 without a session, 400 for a forged cursor", async () => {
    const first = await renterInvoices(r1);
    expect(first.nextCursor).not.toBeNull();
    const path = `/renter/invoices/more?cursor=${encodeURIComponent(first.nextCursor!)}`;
    expect((await more(moreInvoicesRoute, A.slug, path, null)).status).toBe(401);
    const res = await more(moreInvoicesRoute, A.slug, path, r1);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Array<{ id: string }>; nextCursor: string | null };
    expect(body.items).toHaveLength(20);
    expect(body.items.every((i) => r1Invoices.includes(i.id))).toBe(true);
    expect(body.items.map((i) => i.id)).not.toContain(first.items[0]!.id);
    // R2 with R1's cursor: R2's own rows only (none older than R1's 20th invoice)
    const theirs = await more(moreInvoicesRoute, A.slug, path, r2);
    expect(theirs.status).toBe(200);
    expect(((await theirs.json()) as { items: unknown[] }).items).toEqual([]);
    expect((await more(moreInvoicesRoute, A.slug, "/renter/invoices/more?cursor=forged", r1)).status).toBe(400);

    const receipts = await more(moreReceiptsRoute, A.slug, "/renter/receipts/more", r1);
    expect(receipts.status).toBe(200);
    expect(((await receipts.json()) as { items: unknown[] }).items).toHaveLength(2);
    expect((await more(moreReceiptsRoute, A.slug, "/renter/receipts/more", null)).status).toBe(401);
    expect((await more(moreReceiptsRoute, B.slug, "/renter/receipts/more", r1)).status).toBe(401);
  });
});

describe("the e2e fixture (e2e/renter-portal-pages.spec.ts)", () => {
  it("seeds a renter with three invoices and two receipts", async () => {
    await seedRenterPortalPagesFixture();
    const tenant = await new TenantDb(A.tenantId).run((tx) => tx.tenant.findFirstOrThrow({ where: { slug: E2E_PORTAL_PAGES.slug } }));
    const db = new TenantDb(tenant.id);
    const renter = await db.run((tx) => tx.renter.findFirstOrThrow({ where: { email: E2E_PORTAL_PAGES.renterEmail } }));
    const scope = scopeOf(tenant.id, renter.id);
    expect((await renterInvoices(scope)).items.map((i) => [i.period, i.status])).toEqual([
      ["2026-10", "issued"],
      ["2026-09", "partially_paid"],
      ["2026-08", "paid"],
    ]);
    const receipts = (await renterReceipts(scope)).items;
    expect(receipts.map((r) => [r.number, r.method, r.amount, r.balanceAfter])).toEqual([
      [expect.stringMatching(/^RC-2026-\d{6}$/), "cash", 20_000, 12_500],
      [expect.stringMatching(/^RC-2026-\d{6}$/), "bank_transfer", 32_500, 0],
    ]);
  });
});
