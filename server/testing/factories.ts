import "server-only";
import { randomUUID } from "node:crypto";
import { getDb } from "@/server/db/client";
import { TenantDb, type DbTx } from "@/server/db/tenant-db";
import { hashPassword } from "@/server/auth/password";
import { createDefaultRoles } from "@/server/workspaces/tenant-setup";
import type { DefaultRoleKey } from "@/lib/permissions";

// Shared by integration tests, e2e set-up and the development seed. Each call creates what it
// names, nothing global; callers pick unique slugs and emails (see uniqueSlug).

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
    const sub = await tx.subscription.findFirstOrThrow({ include: { plan: true } });
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

// ───────── Rental operations (owned by slice C; others may append their own factories below) ─────────

/** A property in the tenant (default: an apartment building with a unique name). */
export async function createProperty(input: {
  tenantId: string;
  name?: string;
  address?: string;
  type?: "apartment_building" | "boarding_house" | "house" | "shop";
}) {
  return new TenantDb(input.tenantId).run((tx) =>
    tx.property.create({
      data: {
        tenantId: input.tenantId,
        name: input.name ?? `Building ${randomUUID().slice(0, 8)}`,
        address: input.address ?? "Street 63, Phnom Penh",
        type: input.type ?? "apartment_building",
      },
    }),
  );
}

/** A unit (default: in a new property, vacant, USD 250.00). */
export async function createUnit(input: {
  tenantId: string;
  propertyId?: string;
  code?: string;
  floor?: number | null;
  baseRent?: number;
  currency?: "USD" | "KHR";
  status?: "vacant" | "occupied" | "maintenance";
}) {
  const propertyId = input.propertyId ?? (await createProperty({ tenantId: input.tenantId })).id;
  return new TenantDb(input.tenantId).run((tx) =>
    tx.unit.create({
      data: {
        tenantId: input.tenantId,
        propertyId,
        code: input.code ?? `U-${randomUUID().slice(0, 6)}`,
        floor: input.floor ?? null,
        baseRent: input.baseRent ?? 25_000,
        currency: input.currency ?? "USD",
        status: input.status ?? "vacant",
      },
    }),
  );
}

/** A renter (default: unique Latin name and phone, no email). */
export async function createRenter(input: {
  tenantId: string;
  nameKm?: string;
  nameLatin?: string;
  phone?: string;
  email?: string | null;
  telegram?: string | null;
  locale?: "km" | "en";
}) {
  const n = randomUUID().replace(/\D/g, "").padEnd(8, "0").slice(0, 8);
  return new TenantDb(input.tenantId).run((tx) =>
    tx.renter.create({
      data: {
        tenantId: input.tenantId,
        nameKm: input.nameKm ?? "សុខ ដារ៉ា",
        nameLatin: input.nameLatin ?? `Sok Dara ${n}`,
        phone: input.phone ?? `+85512${n.slice(0, 6)}`,
        email: input.email ?? null,
        telegram: input.telegram ?? null,
        locale: input.locale ?? "km",
      },
    }),
  );
}

/**
 * A contract (default: draft, creating a unit and a renter when not given, USD 250.00 rent from
 * the 1st of the month of `now`, billing day 1). status "active" sets activeUnitId and the unit
 * occupied, "ended"/"terminated" set the end fields — the same rows ContractService would write.
 *
 * Dates: a test that pins any date (an end date, an invoice period, a run date) passes `startDate`
 * (or the clock `now` the defaults are read from), so nothing here reads the wall clock for it;
 * an `endDate` without either is refused. Only callers that pin nothing (the seed, e2e fixtures)
 * get the wall clock. See docs/TESTING.md.
 */
export async function createContract(input: {
  tenantId: string;
  unitId?: string;
  renterId?: string;
  propertyId?: string;
  status?: "draft" | "active" | "ended" | "terminated";
  startDate?: string | Date;
  endDate?: string | Date | null;
  rentAmount?: number;
  currency?: "USD" | "KHR";
  depositAmount?: number;
  billingDay?: number;
  dueDays?: number;
  lateFeeType?: "none" | "fixed" | "percent";
  lateFeeValue?: number;
  lateFeeGraceDays?: number;
  electricityRate?: number;
  waterRate?: number;
  recurringCharges?: { description: string; amount: number }[];
  creditBalance?: number;
  /** the clock the date defaults are read from (start: the 1st of its month, UTC; ended/terminated at) */
  now?: Date;
}) {
  const { tenantId } = input;
  if (input.endDate && input.startDate === undefined && input.now === undefined) {
    throw new Error("createContract: an endDate needs a startDate (or now), or the contract would depend on today's date");
  }
  const unitId = input.unitId ?? (await createUnit({ tenantId, propertyId: input.propertyId, currency: input.currency })).id;
  const renterId = input.renterId ?? (await createRenter({ tenantId })).id;
  const status = input.status ?? "draft";
  const toDate = (d: string | Date) => (d instanceof Date ? d : new Date(`${d}T00:00:00Z`));
  const clock = () => input.now ?? new Date();
  const startDate = input.startDate !== undefined ? toDate(input.startDate) : firstOfMonthUtc(clock());
  const endDate = input.endDate ? toDate(input.endDate) : null;
  // ended/terminated: on the end date when one is pinned, else at the clock
  const closedAt = status === "ended" || status === "terminated" ? (endDate ?? clock()) : null;
  return new TenantDb(tenantId).run(async (tx) => {
    const contract = await tx.contract.create({
      data: {
        tenantId,
        unitId,
        renterId,
        status,
        activeUnitId: status === "active" ? unitId : null,
        startDate,
        endDate,
        rentAmount: input.rentAmount ?? 25_000,
        currency: input.currency ?? "USD",
        depositAmount: input.depositAmount ?? 0,
        billingDay: input.billingDay ?? 1,
        dueDays: input.dueDays ?? 5,
        lateFeeType: input.lateFeeType ?? "none",
        lateFeeValue: input.lateFeeValue ?? 0,
        lateFeeGraceDays: input.lateFeeGraceDays ?? 0,
        electricityRate: input.electricityRate ?? 0,
        waterRate: input.waterRate ?? 0,
        recurringCharges: input.recurringCharges ?? [],
        creditBalance: input.creditBalance ?? 0,
        activatedAt: status === "draft" ? null : startDate,
        endedAt: status === "ended" ? closedAt : null,
        terminatedAt: status === "terminated" ? closedAt : null,
      },
    });
    if (status === "active") await tx.unit.update({ where: { id: unitId }, data: { status: "occupied" } });
    return contract;
  });
}

function firstOfMonthUtc(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

// ───────── Rent invoices and payments (slice Y) ─────────

/**
 * An issued rent invoice for a contract, written as the invoice run would (one rent line unless
 * `lines` are given; total = their sum), with a pay token. Numbers are unique per call
 * (R-<year>-9xxxxx), so they never meet the run's gap-free counter in the same test tenant.
 * With a `period`, nothing reads the wall clock: issued at 02:00 UTC on its 1st (09:00 in Phnom
 * Penh, when the run would issue it), due on its 5th. Without one, the period is that of `issuedAt`
 * or `now` (default: the wall clock).
 */
export async function createRentInvoice(input: {
  tenantId: string;
  contractId: string;
  period?: string;
  currency?: "USD" | "KHR";
  lines?: { kind?: "rent" | "electricity" | "water" | "charge" | "late_fee"; description: string; quantity?: number; unitAmount: number }[];
  status?: "issued" | "partially_paid" | "overdue" | "draft" | "void";
  amountPaid?: number;
  dueDate?: string;
  issuedAt?: Date;
  payToken?: string | null;
  /** the clock for the defaults when no period (nor issuedAt) is given */
  now?: Date;
}) {
  const { tenantId } = input;
  const lines = (input.lines ?? [{ kind: "rent" as const, description: "Rent", unitAmount: 25_000 }]).map((l, position) => ({
    tenantId,
    kind: l.kind ?? ("rent" as const),
    description: l.description,
    quantity: l.quantity ?? 1,
    unitAmount: l.unitAmount,
    amount: (l.quantity ?? 1) * l.unitAmount,
    position,
  }));
  const total = lines.reduce((s, l) => s + l.amount, 0);
  const at = input.issuedAt ?? (input.period ? new Date(`${input.period}-01T02:00:00Z`) : (input.now ?? new Date()));
  const period = input.period ?? `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, "0")}`;
  const hex = () => randomUUID().replace(/-/g, "");
  return new TenantDb(tenantId).run(async (tx) => {
    const contract = await tx.contract.findUniqueOrThrow({ where: { id: input.contractId }, select: { currency: true } });
    return tx.rentInvoice.create({
      data: {
        tenantId,
        contractId: input.contractId,
        number: `R-${period.slice(0, 4)}-9${String(parseInt(hex().slice(0, 8), 16) % 100_000).padStart(5, "0")}`,
        period,
        status: input.status ?? "issued",
        currency: input.currency ?? contract.currency,
        total,
        amountPaid: input.amountPaid ?? 0,
        issuedAt: at,
        dueDate: new Date(`${input.dueDate ?? `${period}-05`}T00:00:00Z`),
        payToken: input.payToken === undefined ? Buffer.from(hex() + hex(), "hex").toString("base64url") : input.payToken,
        lines: { create: lines.map(({ tenantId: _t, ...l }) => l) },
      },
      include: { lines: true },
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
}
