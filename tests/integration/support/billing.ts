// Helpers for the billing tests (lifecycle, Bakong callbacks, reconciliation, plan gate): a fake
// Bakong API wired into the app's config, signed callbacks, KHQR attempts and read-backs of a
// tenant's subscription, invoices, payments, outbox events and audit rows.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect } from "vitest";
import { validateEnv } from "@/env";
import { TenantDb } from "@/server/db/tenant-db";
import { platformDb } from "@/server/db/platform-db";
import { bakongConfig, type BakongConfig } from "@/server/payments/bakong-config";
import { BAKONG_HEADERS, signBakongCallback } from "@/server/payments/bakong-signature";
import type { BakongTransaction } from "@/server/payments/bakong-client";
import { startFakeBakong, type FakeBakong } from "@/server/testing/fake-bakong";
import { AppError } from "@/server/core/errors";
import { createTranslator } from "@/lib/i18n";
import { BillingService } from "@/server/subscriptions/billing-service";
import { SubscriptionCheckout } from "@/server/payments/subscription-checkout";
import type { Clock } from "@/server/core/request-meta";
import { tenantContextFor } from "./team";
import { createContract, createRentInvoice, type CreatedTenant } from "@/server/testing/factories";
// eslint-disable-next-line no-restricted-imports -- the tests call the route handler itself
import { POST as bakongRoute } from "@/app/api/webhooks/bakong/route";

export const MIN = 60_000;
export const DAY = 86_400_000;
/** The receiving account of the local defaults (server/payments/bakong-config.ts). */
export const ACCOUNT = "phteah@aclb";

/**
 * Starts a fake Bakong API for the file and points BAKONG_API_BASE_URL at it (restored after).
 * getEnv() caches, so the cache is reset on both sides.
 */
export function withFakeBakong() {
  let fake: FakeBakong | undefined;
  let previous: string | undefined;
  beforeAll(async () => {
    fake = await startFakeBakong();
    previous = process.env.BAKONG_API_BASE_URL;
    process.env.BAKONG_API_BASE_URL = fake.url;
    validateEnv();
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.BAKONG_API_BASE_URL;
    else process.env.BAKONG_API_BASE_URL = previous;
    validateEnv();
    await fake?.close();
  });
  return {
    get fake(): FakeBakong {
      if (!fake) throw new Error("the fake Bakong API starts in beforeAll");
      return fake;
    },
    /** The app's Bakong config aimed at the fake (for ReconciliationService). */
    config(overrides: Partial<BakongConfig> = {}): BakongConfig {
      if (!fake) throw new Error("the fake Bakong API starts in beforeAll");
      return { ...bakongConfig(), apiBaseUrl: fake.url, apiToken: fake.token, apiEmail: null, ...overrides };
    },
  };
}

/** The same, under the name other test files import it by (aliased: eslint reads `use…` as a React hook). */
export const useFakeBakong = withFakeBakong;

export const callbackSecret = () => bakongConfig().callbackSecret;

export function randomMd5(): string {
  return randomBytes(16).toString("hex");
}

export function randomHash(): string {
  return randomBytes(32).toString("hex");
}

/** Minor units → the major units Bakong reports (USD dollars, KHR riel). */
export function majorUnits(minor: number, currency: string): number {
  return currency === "USD" ? minor / 100 : minor;
}

/** What Bakong would report for this payment (override a field to make it mismatch). */
export function transactionFor(
  payment: { amount: number; currency: string; receivingAccount?: string | null },
  overrides: Partial<BakongTransaction> = {},
): BakongTransaction {
  const now = Date.now();
  return {
    hash: randomHash(),
    fromAccountId: "payer@aclb",
    toAccountId: payment.receivingAccount ?? ACCOUNT,
    currency: payment.currency,
    amount: majorUnits(payment.amount, payment.currency),
    description: null,
    createdDateMs: now,
    acknowledgedDateMs: now,
    externalRef: `REF${randomBytes(4).toString("hex")}`,
    ...overrides,
  };
}

export interface SignedCallback {
  raw: string;
  headers: Headers;
}

/** A callback body signed per our contract (docs/BAKONG.md §4) at `at`. */
export function signedCallback(body: unknown, opts: { at?: Date | number; secret?: string } = {}): SignedCallback {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const atMs = opts.at instanceof Date ? opts.at.getTime() : (opts.at ?? Date.now());
  const ts = Math.floor(atMs / 1000);
  const headers = new Headers({
    "content-type": "application/json",
    "user-agent": "bakong-relay-test",
    [BAKONG_HEADERS.timestamp]: String(ts),
    [BAKONG_HEADERS.signature]: signBakongCallback(opts.secret ?? callbackSecret(), raw, ts),
  });
  return { raw, headers };
}

/** The callback JSON; `eventId: null` leaves the id out (the transaction hash is the key then). */
export function callbackBody(md5: string, transaction: BakongTransaction, eventId: string | null = `evt-${randomUUID()}`) {
  return eventId === null ? { md5, transaction } : { eventId, md5, transaction };
}

/** POSTs to the real route handler, as the relay would. */
export async function postCallback(cb: SignedCallback): Promise<{ status: number; body: Record<string, unknown> }> {
  const request = new Request("http://localhost:3000/api/webhooks/bakong", { method: "POST", headers: cb.headers, body: cb.raw });
  const res = await bakongRoute(request);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function billingRows(tenantId: string) {
  return new TenantDb(tenantId).run(async (tx) => ({
    sub: await tx.subscription.findFirstOrThrow({ include: { plan: true } }),
    invoices: await tx.subscriptionInvoice.findMany({ orderBy: [{ issuedAt: "asc" }, { number: "asc" }] }),
    payments: await tx.payment.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
  }));
}

export async function paymentRow(tenantId: string, paymentId: string) {
  return new TenantDb(tenantId).run((tx) => tx.payment.findUniqueOrThrow({ where: { id: paymentId } }));
}

export async function invoiceRow(tenantId: string, invoiceId: string) {
  return new TenantDb(tenantId).run((tx) => tx.subscriptionInvoice.findUniqueOrThrow({ where: { id: invoiceId } }));
}

export async function subscriptionRow(tenantId: string) {
  return new TenantDb(tenantId).run((tx) => tx.subscription.findFirstOrThrow({ include: { plan: true } }));
}

export async function outboxOf(tenantId: string, name?: string) {
  return new TenantDb(tenantId).run((tx) =>
    tx.outboxEvent.findMany({ where: name ? { name } : {}, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
  );
}

export async function auditOf(tenantId: string, action: string) {
  return new TenantDb(tenantId).run((tx) => tx.auditLog.findMany({ where: { action }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }));
}

export async function webhookRows(key: string) {
  return platformDb.run((tx) => tx.webhookEvent.findMany({ where: { provider: "bakong", idempotencyKey: key } }));
}

/**
 * A pending KHQR attempt written straight to the table (what checkout writes, minus the QR),
 * for states checkout cannot produce on its own: already expired, odd amounts, many at once.
 */
export async function khqrAttempt(
  tenantId: string,
  invoice: { id: string; number: string; amount: number; currency: string },
  opts: { expiresAt?: Date; status?: "pending" | "expired"; md5?: string; amount?: number } = {},
) {
  return new TenantDb(tenantId).run((tx) =>
    tx.payment.create({
      data: {
        tenantId,
        purpose: "subscription",
        subscriptionInvoiceId: invoice.id,
        method: "khqr",
        status: opts.status ?? "pending",
        amount: opts.amount ?? invoice.amount,
        currency: invoice.currency,
        receivingAccount: ACCOUNT,
        billNumber: invoice.number,
        qrString: `test-qr-${randomUUID()}`,
        md5: opts.md5 ?? randomMd5(),
        expiresAt: opts.expiresAt ?? new Date(Date.now() + 10 * MIN),
      },
    }),
  );
}

/** The owner's BillingService on a controlled clock (the tRPC router always uses the system clock). */
export async function billingServiceFor(t: CreatedTenant, clock?: Clock): Promise<BillingService> {
  return new BillingService(await tenantContextFor(t.owner.userId, t.slug), clock);
}

/** The owner's KHQR checkout on a controlled clock (the tRPC router always uses the system clock). */
export async function checkoutFor(t: CreatedTenant, clock?: Clock): Promise<SubscriptionCheckout> {
  return new SubscriptionCheckout(await tenantContextFor(t.owner.userId, t.slug), clock);
}

/** Runs `fn`, expects an AppError and returns it (services throw AppError, not TRPCError). */
export async function expectAppError(promise: Promise<unknown>, code: AppError["code"], key?: string): Promise<AppError> {
  const error = await promise.then(
    (v) => {
      throw new Error(`expected ${code}, but it succeeded with ${JSON.stringify(v)?.slice(0, 300)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const e = error as AppError;
  expect(e.code).toBe(code);
  if (key) expect(e.key).toBe(key);
  return e;
}

/** The English text a user would see for an AppError. */
export function englishMessage(e: unknown): string {
  const cause = e instanceof AppError ? e : (e as { cause?: unknown }).cause;
  if (!(cause instanceof AppError)) throw new Error(`not an AppError: ${String(e)}`);
  return createTranslator("en")(cause.key, cause.params);
}

/**
 * A renter's active contract at 25,000 a month from October 2026 and its October rent invoice,
 * open, with its pay link (the world of the rent-payment tests: Bakong settlements, receipts).
 */
export async function openRentInvoice(t: Pick<CreatedTenant, "tenantId">, renterId: string) {
  const contract = await createContract({
    tenantId: t.tenantId,
    renterId,
    status: "active",
    rentAmount: 25_000,
    startDate: "2026-10-01",
  });
  return createRentInvoice({
    tenantId: t.tenantId,
    contractId: contract.id,
    period: "2026-10",
    lines: [{ kind: "rent", description: "Rent October 2026", unitAmount: 25_000 }],
  });
}
