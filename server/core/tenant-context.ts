import "server-only";
import { TenantDb } from "@/server/db/tenant-db";
import { isPermissionCode, type PermissionCode } from "@/lib/permissions";
import type { TenantSummary } from "./host-scope";
import type { RequestMeta } from "./request-meta";
import type { SessionUser } from "./session";
import type { PlanInfo } from "../subscriptions/plan-info";
import { lookupRequestContext, type ContextFacts } from "./request-lookup";

/**
 * Who is acting, in which tenant, with which permissions. Built on the server from the Host
 * header, the session and the membership; nothing in it comes from the client.
 */
export interface TenantContext {
  tenant: TenantSummary;
  tenantId: string;
  userId: string;
  userEmail: string;
  /** set while a platform admin acts as this member; audit rows record both */
  impersonatorUserId: string | null;
  membershipId: string;
  roleKey: string;
  roleName: string;
  permissions: ReadonlySet<PermissionCode>;
  /** the subscription's plan, features, limits and status (PlanGate answers from it) */
  plan: PlanInfo;
  meta: RequestMeta;
  db: TenantDb;
}

/**
 * The member's context in `tenant`, or null when the user is not an active member. `prefetched`:
 * the facts the request's one context statement already read (request-lookup.ts) for this tenant
 * and user; without them (or for another tenant or user) membership and plan are read here, in
 * one statement under the tenant's row-level security.
 */
export async function buildTenantContext(
  tenant: TenantSummary,
  user: SessionUser,
  meta: RequestMeta,
  prefetched?: Pick<ContextFacts, "tenant" | "membership" | "plan" | "membershipOf">,
): Promise<TenantContext | null> {
  const fits = prefetched?.tenant?.id === tenant.id && prefetched.membershipOf === user.userId;
  const facts = fits ? prefetched : await lookupRequestContext({ tenantId: tenant.id, userId: user.userId });
  const { membership, plan } = facts;
  if (!membership || !plan || membership.tenantId !== tenant.id || membership.userId !== user.userId) return null;
  const permissions = new Set<PermissionCode>(membership.permissions.filter(isPermissionCode));
  return {
    tenant,
    tenantId: tenant.id,
    userId: user.userId,
    userEmail: user.email,
    impersonatorUserId: user.impersonatorUserId,
    membershipId: membership.id,
    roleKey: membership.roleKey,
    roleName: membership.roleName,
    permissions,
    plan,
    meta,
    db: new TenantDb(tenant.id),
  };
}
