import "server-only";
import { DEFAULT_PLANS, isPlanFeature, parsePlanLimits } from "@/lib/billing/plans";
import { isReadOnlyStatus, SUBSCRIPTION_STATUSES, type SubscriptionStatusName } from "@/lib/billing/payment-state";
import { getDb } from "@/server/db/client";
import { contextCache } from "./context-cache";
import type { PlanInfo } from "@/server/subscriptions/plan-info";
import type { TenantSummary } from "./host-scope";

// Everything a request needs to know about who is asking, read in ONE statement: the SQL function
// app_request_context (migration 20261206115734_request_context) returns the host's tenant, the
// session row and its user, the user's active membership (role, permissions) and the workspace's
// plan as one jsonb value. No transaction of its own (one statement is atomic; the function is
// STABLE, so its reads share one snapshot); the tenant tables are read under row-level security,
// bound inside the function to the tenant it found. The checks themselves stay in TypeScript:
// readSession (session.ts) and buildTenantContext (tenant-context.ts) decide from these facts.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FREE = DEFAULT_PLANS[0];

/** A session row with its user, as the cookie's session id found it (not yet checked). */
export interface SessionFacts {
  id: string;
  userId: string;
  host: string;
  expiresAt: Date;
  revokedAt: Date | null;
  lastSeenAt: Date;
  mfaVerifiedAt: Date | null;
  impersonatorUserId: string | null;
  user: { id: string; email: string; name: string; locale: string | null; isPlatformAdmin: boolean; lockedAt: Date | null };
}

/** The user's ACTIVE membership of the tenant, with its role's permission codes. */
export interface MembershipFacts {
  id: string;
  tenantId: string;
  userId: string;
  roleKey: string;
  roleName: string;
  permissions: string[];
}

export interface ContextFacts {
  /** the tenant asked for (by slug or id), null when there is none */
  tenant: TenantSummary | null;
  /** the session row of the session id asked for, null when there is none */
  session: SessionFacts | null;
  /** read only when a tenant and a user id were asked for: null = not an active member */
  membership: MembershipFacts | null;
  /** the workspace's plan, read with an active membership */
  plan: PlanInfo | null;
  /** the slug the tenant was looked up by (null: by id, or none) */
  slugAsked: string | null;
  /** the user whose membership was looked for (null: none was) */
  membershipOf: string | null;
}

export interface ContextQuery {
  slug?: string | null;
  tenantId?: string | null;
  sessionId?: string | null;
  userId?: string | null;
}

/** A cookie's ids are uuids; anything else (a forged or damaged cookie) finds nothing. */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

type Json = Record<string, unknown>;

const date = (v: unknown): Date | null => (typeof v === "string" ? new Date(v) : null);

function tenantFrom(t: Json | null): TenantSummary | null {
  if (!t) return null;
  const status = t.status === "suspended" || t.status === "active" || t.status === "closed" ? t.status : null;
  if (!status) throw new Error(`Unexpected tenant status "${String(t.status)}"`);
  return {
    id: t.id as string,
    slug: t.slug as string,
    name: t.name as string,
    status,
    locale: t.locale as string,
    timezone: t.timezone as string,
    currency: t.currency as string,
  };
}

function sessionFrom(s: Json | null): SessionFacts | null {
  if (!s) return null;
  const u = s.user as Json;
  return {
    id: s.id as string,
    userId: s.userId as string,
    host: s.host as string,
    expiresAt: date(s.expiresAt)!,
    revokedAt: date(s.revokedAt),
    lastSeenAt: date(s.lastSeenAt)!,
    mfaVerifiedAt: date(s.mfaVerifiedAt),
    impersonatorUserId: (s.impersonatorUserId as string | null) ?? null,
    user: {
      id: u.id as string,
      email: u.email as string,
      name: u.name as string,
      locale: (u.locale as string | null) ?? null,
      isPlatformAdmin: u.isPlatformAdmin === true,
      lockedAt: date(u.lockedAt),
    },
  };
}

function subscriptionStatus(value: unknown): SubscriptionStatusName {
  const found = SUBSCRIPTION_STATUSES.find((s) => s === value);
  if (!found) throw new Error(`Unexpected subscription status "${String(value)}"`);
  return found;
}

/** The same PlanInfo as loadPlanInfo (server/subscriptions/plan-info.ts) gives for these rows. */
function planFrom(sub: Json | null, free: Json | null): PlanInfo {
  if (sub) {
    const plan = sub.plan as Json;
    const status = subscriptionStatus(sub.status);
    return {
      subscriptionId: sub.id as string,
      status,
      readOnly: isReadOnlyStatus(status),
      planId: plan.id as string,
      code: plan.code as string,
      name: plan.name as string,
      tier: plan.tier as number,
      features: new Set((plan.features as string[]).filter(isPlanFeature)),
      limits: parsePlanLimits(plan.limits),
      currentPeriodEnd: date(sub.currentPeriodEnd),
      trialEndsAt: date(sub.trialEndsAt),
      graceEndsAt: date(sub.graceEndsAt),
    };
  }
  // a workspace without a subscription row (created before billing existed) gets the free plan
  return {
    subscriptionId: null,
    status: "active",
    readOnly: false,
    planId: (free?.id as string | undefined) ?? null,
    code: FREE.code,
    name: (free?.name as string | undefined) ?? FREE.name,
    tier: (free?.tier as number | undefined) ?? FREE.tier,
    features: new Set(((free?.features as string[] | undefined) ?? FREE.features).filter(isPlanFeature)),
    limits: free ? parsePlanLimits(free.limits) : { ...FREE.limits },
    currentPeriodEnd: null,
    trialEndsAt: null,
    graceEndsAt: null,
  };
}

/**
 * One statement: the tenant (by slug, or id), the session row of `sessionId` and, when both a
 * tenant and `userId` are given, that user's active membership and the workspace's plan.
 * Ids that are not uuids are not looked up (a damaged cookie finds no session).
 */
export async function lookupRequestContext(query: ContextQuery): Promise<ContextFacts> {
  const tenantId = isUuid(query.tenantId) ? query.tenantId : null;
  const slug = tenantId ? null : (query.slug ?? null);
  const sessionId = isUuid(query.sessionId) ? query.sessionId : null;
  const userId = isUuid(query.userId) ? query.userId : null;
  const asked = { slug, tenantId, sessionId, userId };
  // cached per process while the database tells us what changes (context-cache.ts)
  const cache = contextCache();
  return cache ? cache.lookup(asked, () => readRequestContext(asked)) : readRequestContext(asked);
}

async function readRequestContext({ slug, tenantId, sessionId, userId }: Required<ContextQuery>): Promise<ContextFacts> {
  const rows = await getDb().$queryRaw<Array<{ ctx: string }>>`
    SELECT app_request_context(${slug}::text, ${tenantId}::uuid, ${sessionId}::uuid, ${userId}::uuid, ${FREE.code}::text)::text AS ctx`;
  const raw = JSON.parse(rows[0]!.ctx) as Record<"tenant" | "session" | "membership" | "subscription" | "freePlan", Json | null>;
  const m = raw.membership;
  return {
    tenant: tenantFrom(raw.tenant),
    session: sessionFrom(raw.session),
    membership: m
      ? {
          id: m.id as string,
          tenantId: m.tenantId as string,
          userId: m.userId as string,
          roleKey: m.roleKey as string,
          roleName: m.roleName as string,
          permissions: m.permissions as string[],
        }
      : null,
    plan: m ? planFrom(raw.subscription, raw.freePlan) : null,
    slugAsked: slug,
    membershipOf: raw.tenant ? userId : null,
  };
}
