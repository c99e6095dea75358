import "server-only";
import { randomUUID } from "node:crypto";
import { getDb } from "@/server/db/client";
import { TenantDb, type DbTx } from "@/server/db/tenant-db";
import { hashPassword } from "@/server/auth/password";
import { createDefaultRoles } from "@/server/workspaces/tenant-setup";
import type { DefaultRoleKey } from "@/lib/permissions";
import { createContract, createRentInvoice } from "./rental-factories";
import { withEnums, BILLING_INTERVAL_VALUES } from "@/lib/enums";

// Shared by integration tests, e2e set-up and the development seed. Each call creates what it
// names, nothing global; callers pick unique slugs and emails (see uniqueSlug).
// Tenants, users, members and subscriptions here; rental rows in rental-factories.ts.

export { createContract, createProperty, createRenter, createRentInvoice, createUnit } from "./rental-factories";

const hashes = new Map<string, Promise<string>>();
function cachedHash(password: string): Promise<string> {
  if (!hashes.has(password)) hashes.set(password, hashPassword(password));
  return hashes.get(password)!;
}

export function uniqueSlug(prefix = "t"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface TestSubscription {
  plan?: string;
  status?: "trialing" | "active" | "past_due" | "suspended" | "canceled";
  interval?: "month" | "year";
  currency?: "USD" | "KHR";
  periodStart?: Date;
  periodEnd?: Date;
  graceEndsAt?: Date | null;
  suspendedAt?: Date | null;
}

async function createSubscription(tx: DbTx, tenantId: string, sub: TestSubscription) {
  const plan = await tx.plan.findUniqueOrThrow({ where: { code: sub.plan ?? "pro" } });
  const start = sub.periodStart ?? new Date();
  const end = sub.periodEnd ?? new Date(start.getTime() + 30 * 86_400_000);
  const status = sub.status ?? "active";
  return tx.subscription.create({
    data: {
      tenantId,
      planId: plan.id,
      status,
      interval: sub.interval ?? "month",
      currency: sub.currency ?? "USD",
      trialEndsAt: status === "trialing" ? end : null,
      currentPeriodStart: start,
      currentPeriodEnd: end,
      pastDueAt: status === "past_due" ? end : null,
      graceEndsAt: sub.graceEndsAt ?? null,
      suspendedAt: sub.suspendedAt ?? (status === "suspended" ? new Date() : null),
    },
  });
}

/** Replaces a tenant's subscription (tests and e2e fixtures). */
export async function setSubscription(tenantId: string, sub: TestSubscription) {
  return new TenantDb(tenantId).run(async (tx) => {
    await tx.subscription.deleteMany({ where: { tenantId } });
    return createSubscription(tx, tenantId, sub);
  });
}

export interface CreatedTenant {
  tenantId: string;
  slug: string;
  roles: Record<DefaultRoleKey, string>;
  owner: { userId: string; email: string; membershipId: string };
}

export async function createUser(input: { email: string; name?: string; password?: string; isPlatformAdmin?: boolean; locale?: string }) {
  return getDb().user.upsert({
    where: { email: input.email },
    update: {},
    create: {
      email: input.email,
      name: input.name ?? input.email.split("@")[0]!,
      passwordHash: input.password ? await cachedHash(input.password) : null,
      isPlatformAdmin: input.isPlatformAdmin ?? false,
      locale: input.locale ?? null,
    },
  });
}

export async function createTenant(input: {
  slug?: string;
  name?: string;
  ownerEmail?: string;
  ownerName?: string;
  password?: string;
  status?: "active" | "suspended";
  locale?: string;
  /** the subscription; default Pro, active, for a month from now (so plan limits do not get in the way) */
  subscription?: TestSubscription | null;
}): Promise<CreatedTenant> {
  const slug = input.slug ?? uniqueSlug();
  const tenantId = randomUUID();
  const owner = await createUser({
    email: input.ownerEmail ?? `owner@${slug}.test`,
    name: input.ownerName ?? `Owner of ${slug}`,
    password: input.password,
  });
  return new TenantDb(tenantId).run(async (tx) => {
    await tx.tenant.create({
      data: { id: tenantId, slug, name: input.name ?? slug, status: input.status ?? "active", locale: input.locale ?? "en" },
    });
    const roles = await createDefaultRoles(tx, tenantId);
    const membership = await tx.membership.create({ data: { tenantId, userId: owner.id, roleId: roles.owner } });
    if (input.subscription !== null) await createSubscription(tx, tenantId, input.subscription ?? {});
    return { tenantId, slug, roles, owner: { userId: owner.id, email: owner.email, membershipId: membership.id } };
  });
}

/** An existing tenant's id and default role ids, by slug (for fixtures on seeded tenants). */
export async function tenantBySlug(slug: string): Promise<Pick<CreatedTenant, "tenantId" | "slug" | "roles">> {
  const tenant = await getDb().tenant.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  const roles = await new TenantDb(tenant.id).run((tx) => tx.role.findMany({ where: { isSystem: true }, select: { id: true, key: true } }));
  return { tenantId: tenant.id, slug, roles: Object.fromEntries(roles.map((r) => [r.key, r.id])) as Record<DefaultRoleKey, string> };
}

export async function addMember(
  tenant: Pick<CreatedTenant, "tenantId" | "roles">,
  input: { email: string; name?: string; password?: string; role: DefaultRoleKey; status?: "active" | "deactivated" },
) {
  const user = await createUser(input);
  const membership = await new TenantDb(tenant.tenantId).run((tx) =>
    tx.membership.create({
      data: { tenantId: tenant.tenantId, userId: user.id, roleId: tenant.roles[input.role], status: input.status ?? "active" },
    }),
  );
  return { userId: user.id, email: user.email, membershipId: membership.id };
}

/** A one-time 2FA enrolment link's token for an un-enrolled platform admin (what the e-mail or `npm run admin:enrol-link` gives). */
export async function enrolmentLinkToken(userId: string): Promise<string> {
  const { issueEnrolmentLink } = await import("@/server/auth/mfa-enrolment-links.admin");
  const { SYSTEM_META } = await import("@/server/core/request-meta");
  const { link } = await issueEnrolmentLink(userId, "command", SYSTEM_META);
  return new URL(link).searchParams.get("enrol")!;
}

/** Enrols a user in TOTP with a known secret (tests and the e2e admin). */
export async function enrolTotp(userId: string, secret: string): Promise<void> {
  const { encryptSecret } = await import("@/server/auth/totp");
  await getDb().user.update({ where: { id: userId }, data: { totpSecretEnc: encryptSecret(secret), totpEnabledAt: new Date() } });
}

/** Issues the renewal invoice of the tenant's current period end (what the billing cycle would do), e.g. for a lapsed fixture. */
export async function issueRenewalInvoice(tenantId: string, now = new Date()) {
  const { issueSubscriptionInvoice, planLine } = await import("@/server/subscriptions/subscription-invoices");
  const { followingPeriodEnd } = await import("@/server/subscriptions/subscriptions");
  const { planPrice } = await import("@/lib/billing/plans");
  return new TenantDb(tenantId).run(async (tx) => {
    const sub = withEnums(await tx.subscription.findFirstOrThrow({ include: { plan: true } }), { interval: BILLING_INTERVAL_VALUES });
    const amount = planPrice(sub.plan, sub.interval, sub.currency === "KHR" ? "KHR" : "USD");
    const end = followingPeriodEnd(sub, sub.interval);
    return issueSubscriptionInvoice(tx, {
      sub,
      plan: sub.plan,
      kind: "renewal",
      interval: sub.interval,
      periodStart: sub.currentPeriodEnd,
      periodEnd: end,
      amount,
      lines: [planLine(sub.plan, sub.interval, amount, sub.currentPeriodEnd, end)],
      dueAt: sub.currentPeriodEnd,
      now,
    });
  });
}

/** Fixed pay tokens of the e2e pay-page fixture (43 base64url characters, as newPayToken makes them). */
export const E2E_PAY_TOKENS = {
  /** payco: Pro, own Bakong account, USD 280.00 open (KHQR + simulator) */
  khqr: "e2e-payco-khqr".padEnd(43, "0"),
  /** payco: an invoice whose link was revoked before; this token is the old one (404) */
  revoked: "e2e-payco-revoked".padEnd(43, "0"),
  /** paycash: Free plan, no Bakong account: cash / transfer instructions only */
  cashOnly: "e2e-paycash-open".padEnd(43, "0"),
  /** payco: USD 280.00 open, paid once by e2e/pay-page-toast.spec.ts (one success toast) */
  toast: "e2e-payco-toast".padEnd(43, "0"),
  /** payco: USD 280.00 open, only looked at (e2e/axe.spec.ts) */
  look: "e2e-payco-look".padEnd(43, "0"),
  /** rielco: Pro, own Bakong account, 4,100 riel per dollar since 2020, USD 280.00 open: paid in riel (e2e/pay-riel.spec.ts) */
  riel: "e2e-rielco-usd".padEnd(43, "0"),
} as const;

/** e2e-only: the workspaces and invoices the pay-page spec opens by their fixed tokens. */
export async function seedPayPageFixture(): Promise<void> {
  const payco = await createTenant({
    slug: "payco",
    name: "Payco Apartments",
    password: "phteah-demo-2026",
    subscription: { plan: "pro" },
  });
  await getDb().tenant.update({ where: { id: payco.tenantId }, data: { bakongAccountId: "payco@aclb" } });
  const contract = await createContract({ tenantId: payco.tenantId, status: "active", rentAmount: 25_000 });
  const lines = [
    { kind: "rent" as const, description: "Rent", unitAmount: 25_000 },
    { kind: "electricity" as const, description: "Electricity 120 kWh", quantity: 120, unitAmount: 25 },
  ];
  await createRentInvoice({ tenantId: payco.tenantId, contractId: contract.id, period: "2026-10", lines, payToken: E2E_PAY_TOKENS.khqr });
  await createRentInvoice({ tenantId: payco.tenantId, contractId: contract.id, period: "2026-09", lines, payToken: null });
  await createRentInvoice({ tenantId: payco.tenantId, contractId: contract.id, period: "2026-08", lines, payToken: E2E_PAY_TOKENS.toast });
  await createRentInvoice({ tenantId: payco.tenantId, contractId: contract.id, period: "2026-07", lines, payToken: E2E_PAY_TOKENS.look });
  const paycash = await createTenant({
    slug: "paycash",
    name: "Paycash House",
    password: "phteah-demo-2026",
    subscription: { plan: "free" },
  });
  const cashContract = await createContract({ tenantId: paycash.tenantId, status: "active", rentAmount: 1_000_000, currency: "KHR" });
  await createRentInvoice({
    tenantId: paycash.tenantId,
    contractId: cashContract.id,
    period: "2026-10",
    lines: [{ kind: "rent", description: "Rent", unitAmount: 1_000_000 }],
    payToken: E2E_PAY_TOKENS.cashOnly,
  });
  // toastco: Pro, suspended for an unpaid renewal; e2e/pay-page-toast.spec.ts pays it on /billing/pay/<id>
  const DAY = 86_400_000;
  const now = Date.now();
  const toastco = await createTenant({
    slug: "toastco",
    name: "Toast Co Rentals",
    password: "phteah-demo-2026",
    subscription: {
      plan: "pro",
      status: "suspended",
      periodStart: new Date(now - 40 * DAY),
      periodEnd: new Date(now - 10 * DAY),
      graceEndsAt: new Date(now - 3 * DAY),
      suspendedAt: new Date(now - 3 * DAY),
    },
  });
  await issueRenewalInvoice(toastco.tenantId, new Date(now - 17 * DAY));
  // rielco: a USD invoice a renter pays in riel (docs/CURRENCY.md)
  const rielco = await createTenant({
    slug: "rielco",
    name: "Riel Co Rentals",
    password: "phteah-demo-2026",
    subscription: { plan: "pro" },
  });
  await getDb().tenant.update({ where: { id: rielco.tenantId }, data: { bakongAccountId: "rielco@aclb" } });
  await new TenantDb(rielco.tenantId).run((tx) =>
    tx.exchangeRate.create({
      data: { tenantId: rielco.tenantId, effectiveDate: new Date("2020-01-01T00:00:00Z"), khrPerUsd: 4100, source: "manual" },
    }),
  );
  const rielContract = await createContract({ tenantId: rielco.tenantId, status: "active", rentAmount: 25_000 });
  await createRentInvoice({
    tenantId: rielco.tenantId,
    contractId: rielContract.id,
    period: "2026-10",
    lines,
    payToken: E2E_PAY_TOKENS.riel,
  });
}
