// Issue 18, the cross-renter walk (like cross-tenant.test.ts for procedures): every renter portal
// data function (the exports of server/portal/portal-queries.ts and portal-files.ts) and every route
// handler under app/(app)/t/[tenant]/renter is called as renter R1 of workspace A, signed in for real
// (a code, a session cookie), with the ids of R2 (same workspace) and of RB (workspace B): nothing of
// R2 or RB comes back. The walk enumerates the modules and the route files: a new export or route
// that is not listed here fails the "covers everything" tests until it is walked.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { TenantDb } from "@/server/db/tenant-db";
import { setMailTransportForTests, type MailMessage } from "@/server/notifications/mail";
import {
  createContract,
  createProperty,
  createRenter,
  createRentInvoice,
  createTenant,
  createUnit,
  uniqueSlug,
  type CreatedTenant,
} from "@/server/testing/factories";
import type { RenterScope } from "@/server/portal/renter-session";
import { RenterAuthService, renterCookieName } from "@/server/portal/renter-auth";
import * as queries from "@/server/portal/portal-queries";
import * as files from "@/server/portal/portal-files";
import { findTenantBySlug, type TenantSummary } from "@/server/core/host-scope";
import { hostOf, PORT, signedIn, testMeta, uniqueIp } from "./support/world";

// the request as the route handlers see it: host A (or B) and the renter cookie
const current = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => ({
  headers: async () => current.headers,
  cookies: async () => ({ get: (name: string) => (current.cookies.has(name) ? { name, value: current.cookies.get(name)! } : undefined) }),
}));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => null }));

/** One renter's rows: what must never reach another renter. */
interface Footprint {
  tenant: CreatedTenant;
  renterId: string;
  contractId: string;
  invoiceId: string;
  invoiceNumber: string;
  paymentId: string;
}

let A: CreatedTenant;
let B: CreatedTenant;
let r1: Footprint;
let r2: Footprint;
let rb: Footprint;
let r1Scope: RenterScope;
let r1Token: string;
let tenantA: TenantSummary;

const mails: MailMessage[] = [];

async function renterWithRows(t: CreatedTenant, label: string): Promise<Footprint> {
  const email = `${uniqueSlug(label)}@example.com`;
  const renter = await createRenter({ tenantId: t.tenantId, nameLatin: `Renter ${label}`, email, locale: "en" });
  const property = await createProperty({ tenantId: t.tenantId, name: `Property ${label}` });
  const unit = await createUnit({ tenantId: t.tenantId, propertyId: property.id, code: `U-${label}` });
  const contract = await createContract({
    tenantId: t.tenantId,
    unitId: unit.id,
    renterId: renter.id,
    status: "active",
    startDate: "2025-01-01",
  });
  const invoice = await createRentInvoice({
    tenantId: t.tenantId,
    contractId: contract.id,
    period: "2025-06",
    payToken: uniqueSlug(`tok-${label}`),
  });
  const owner = await signedIn(t.owner.userId, hostOf(t.slug));
  await owner.rentPayments.record({ invoiceId: invoice.id, method: "cash", amount: 10_000, reference: "", paidOn: "2025-06-05" });
  const payment = await new TenantDb(t.tenantId).run((tx) =>
    tx.payment.findFirstOrThrow({ where: { rentInvoiceId: invoice.id }, select: { id: true } }),
  );
  const number = await new TenantDb(t.tenantId).run((tx) =>
    tx.rentInvoice.findFirstOrThrow({ where: { id: invoice.id }, select: { number: true } }),
  );
  return {
    tenant: t,
    renterId: renter.id,
    contractId: contract.id,
    invoiceId: invoice.id,
    invoiceNumber: number.number,
    paymentId: payment.id,
  };
}

/** The strings that identify a footprint anywhere in an answer. */
const markers = (f: Footprint) => [f.renterId, f.contractId, f.invoiceId, f.invoiceNumber, f.paymentId];

function expectNothingOf(answer: unknown, ...others: Footprint[]) {
  const text = answer instanceof Buffer ? "" : JSON.stringify(answer ?? null);
  for (const f of others) for (const m of markers(f)) expect(text, `leaked ${m}`).not.toContain(m);
}

type Ids = Pick<Footprint, "contractId" | "invoiceId" | "paymentId">;

/**
 * Every data function of the portal, with the arguments after the scope built from a footprint's
 * ids. `own`: what R1's own ids must give (something, so a function that answers nothing at all
 * cannot pass the walk); foreign ids must give nothing of the foreign renter.
 */
const FUNCTIONS: Record<string, { call: (scope: RenterScope, ids: Ids) => Promise<unknown>; own: "some" | "any" }> = {
  renterContracts: { call: (s) => queries.renterContracts(s), own: "some" },
  renterLedgers: { call: (s) => queries.renterLedgers(s), own: "some" },
  renterLedger: { call: (s, ids) => queries.renterLedger(s, ids.contractId), own: "some" },
  renterInvoices: { call: (s) => queries.renterInvoices(s, {}), own: "some" },
  renterOpenInvoices: { call: (s) => queries.renterOpenInvoices(s), own: "some" },
  renterInvoice: { call: (s, ids) => queries.renterInvoice(s, ids.invoiceId), own: "some" },
  renterInvoiceDocument: { call: (s, ids) => queries.renterInvoiceDocument(s, ids.invoiceId), own: "some" },
  renterReceipts: { call: (s, ids) => queries.renterReceipts(s, { invoiceId: ids.invoiceId }), own: "some" },
  renterLastReceipt: { call: (s) => queries.renterLastReceipt(s), own: "some" },
  renterReceiptDocument: { call: (s, ids) => queries.renterReceiptDocument(s, ids.paymentId), own: "some" },
  renterHome: { call: (s) => queries.renterHome(s), own: "any" },
  renterInvoicePdf: { call: (s, ids) => files.renterInvoicePdf(s, tenantA, ids.invoiceId, "en"), own: "some" },
  renterReceiptPdf: { call: (s, ids) => files.renterReceiptPdf(s, tenantA, ids.paymentId, "en"), own: "some" },
};

/** The functions that take one id: a foreign id is "not found" (null), as an unknown one. */
const BY_ID = ["renterLedger", "renterInvoice", "renterInvoiceDocument", "renterReceiptDocument", "renterInvoicePdf", "renterReceiptPdf"];

const ROUTE_ROOT = join(process.cwd(), "app/(app)/t/[tenant]/renter");

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return routeFiles(path);
    return name === "route.ts" ? [relative(ROUTE_ROOT, path)] : [];
  });
}

type Handler = (req: Request, seg: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Every route handler under /renter: its URL for a footprint's ids (the id the route takes). */
const ROUTES: Record<string, { url: (ids: Ids) => string; id: (ids: Ids) => string }> = {
  "(portal)/invoices/[id]/pdf/route.ts": { url: (ids) => `/renter/invoices/${ids.invoiceId}/pdf`, id: (ids) => ids.invoiceId },
  "(portal)/receipts/[id]/pdf/route.ts": { url: (ids) => `/renter/receipts/${ids.paymentId}/pdf`, id: (ids) => ids.paymentId },
  "(portal)/invoices/more/route.ts": { url: () => `/renter/invoices/more`, id: () => "" },
  "(portal)/receipts/more/route.ts": { url: () => `/renter/receipts/more`, id: () => "" },
};

async function callRoute(file: string, ids: Ids, asHost: CreatedTenant): Promise<Response> {
  const mod = (await import(/* @vite-ignore */ join(ROUTE_ROOT, file))) as { GET: Handler };
  const host = `${hostOf(asHost.slug)}:${PORT}`;
  current.headers = new Headers({
    host,
    "x-forwarded-for": uniqueIp(),
    "accept-language": "en",
    cookie: `${renterCookieName()}=${r1Token}`,
  });
  current.cookies = new Map([[renterCookieName(), r1Token]]);
  const url = `http://${host}${ROUTES[file]!.url(ids)}`;
  return mod.GET(new Request(url, { headers: current.headers }), {
    params: Promise.resolve({ tenant: asHost.slug, id: ROUTES[file]!.id(ids) }),
  });
}

beforeAll(async () => {
  setMailTransportForTests({
    name: "capture",
    async send(m) {
      mails.push(m);
      return { id: `m-${mails.length}` };
    },
  });
  A = await createTenant({ slug: uniqueSlug("xr-a") });
  B = await createTenant({ slug: uniqueSlug("xr-b") });
  [r1, r2, rb] = await Promise.all([renterWithRows(A, "one"), renterWithRows(A, "two"), renterWithRows(B, "bee")]);
  tenantA = (await findTenantBySlug(A.slug))!;
  // R1 signs in for real: a code by e-mail, a session
  const email = (await new TenantDb(A.tenantId).run((tx) => tx.renter.findFirstOrThrow({ where: { id: r1.renterId } }))).email!;
  const auth = new RenterAuthService({ tenantId: A.tenantId, hostname: hostOf(A.slug) }, testMeta({ ip: uniqueIp() }));
  await auth.requestCode(email);
  const code = /\b(\d{6})\b/.exec(mails.filter((m) => m.to === email).at(-1)!.text)![1]!;
  const session = await auth.verifyCode(email, code);
  if (!session.ok) throw new Error("R1 could not sign in");
  r1Token = session.token;
  r1Scope = { tenantId: A.tenantId, renterId: r1.renterId, sessionId: session.sessionId, locale: "en" };
}, 120_000);

describe("the cross-renter walk covers everything", () => {
  it("every exported function of the portal's data modules is walked", () => {
    const exported = [...Object.entries(queries), ...Object.entries(files)].filter(([, v]) => typeof v === "function").map(([k]) => k);
    expect(exported.sort()).toEqual(Object.keys(FUNCTIONS).sort());
  });

  it("every route handler under /renter is walked", () => {
    expect(routeFiles(ROUTE_ROOT).sort()).toEqual(Object.keys(ROUTES).sort());
  });
});

describe.each(Object.keys(FUNCTIONS))("%s", (name) => {
  const fn = FUNCTIONS[name]!;

  it("R1 gets its own rows", async () => {
    const answer = await fn.call(r1Scope, r1);
    if (fn.own === "some") {
      expect(answer).not.toBeNull();
      if (!(answer instanceof Object && "pdf" in answer)) {
        const text = JSON.stringify(answer);
        expect(
          markers(r1).some((m) => text.includes(m)),
          `${name} returned nothing of R1`,
        ).toBe(true);
      }
    }
    expectNothingOf(answer, r2, rb);
  });

  it("R1 with R2's ids (same workspace) and RB's ids (workspace B) gets nothing of them", async () => {
    for (const foreign of [r2, rb]) {
      const answer = await fn.call(r1Scope, foreign);
      expectNothingOf(answer, r2, rb);
      // a function given a foreign id answers exactly like an unknown id
      if (BY_ID.includes(name)) expect(answer).toBeNull();
    }
  });

  it("a scope mixing workspaces reaches nothing: A with RB's renter id, B with R1's renter id", async () => {
    expectNothingOf(await fn.call({ ...r1Scope, renterId: rb.renterId }, rb), r1, r2, rb);
    expectNothingOf(await fn.call({ ...r1Scope, tenantId: B.tenantId }, r1), r1, r2, rb);
    expectNothingOf(await fn.call({ ...r1Scope, renterId: r2.renterId, tenantId: B.tenantId }, r2), r1, r2, rb);
  });
});

describe.each(Object.keys(ROUTES))("route %s", (file) => {
  const takesId = file.includes("[id]");

  it("answers R1 (signed in on A) with its own rows", async () => {
    const res = await callRoute(file, r1, A);
    expect(res.status).toBe(200);
    if ((res.headers.get("content-type") ?? "").includes("json")) expectNothingOf(await res.json(), r2, rb);
  });

  it("answers R1 nothing of R2 or RB", async () => {
    for (const foreign of [r2, rb]) {
      const res = await callRoute(file, foreign, A);
      if (takesId) expect(res.status).toBe(404);
      else expectNothingOf(await res.json(), r2, rb);
    }
  });

  it("R1's cookie on workspace B's host is not signed in", async () => {
    const res = await callRoute(file, rb, B);
    expect(res.status).toBe(401);
  });
});

describe("choosing a renter (/renter/choose: renters sharing a phone or e-mail)", () => {
  it("R1's session offers no other renter and cannot open R2 or RB", async () => {
    const auth = new RenterAuthService({ tenantId: A.tenantId, hostname: hostOf(A.slug) }, testMeta({ ip: uniqueIp() }));
    expect(await auth.sessionChoices(r1Token)).toEqual([]);
    for (const foreign of [r2, rb]) expect(await auth.switchRenter(r1Token, foreign.renterId)).toBeNull();
    expect(await auth.readSession(r1Token)).toMatchObject({ renterId: r1.renterId, canSwitch: false });
    const onB = new RenterAuthService({ tenantId: B.tenantId, hostname: hostOf(B.slug) }, testMeta({ ip: uniqueIp() }));
    expect(await onB.switchRenter(r1Token, rb.renterId)).toBeNull();
  });
});
