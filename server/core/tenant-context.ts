import "server-only";
import { TenantDb } from "@/server/db/tenant-db";
import { isPermissionCode, type PermissionCode } from "@/lib/permissions";
import type { TenantSummary } from "./host-scope";
import type { RequestMeta } from "./request-meta";
import type { SessionUser } from "./session";
import { loadPlanInfo, type PlanInfo } from "../subscriptions/plan-info";

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

export async function buildTenantContext(tenant: TenantSummary, user: SessionUser, meta: RequestMeta): Promise<TenantContext | null> {
  const db = new TenantDb(tenant.id);
  const found = await db.run(async (tx) => {
    const membership = await tx.membership.findFirst({
      where: { userId: user.userId, status: "active" },
      select: { id: true, role: { select: { key: true, name: true, permissions: { select: { permissionCode: true } } } } },
    });
    return membership ? { membership, plan: await loadPlanInfo(tx, tenant.id) } : null;
  });
  if (!found) return null;
  const { membership, plan } = found;
  const permissions = new Set<PermissionCode>(membership.role.permissions.map((p) => p.permissionCode).filter(isPermissionCode));
  return {
    tenant,
    tenantId: tenant.id,
    userId: user.userId,
    userEmail: user.email,
    impersonatorUserId: user.impersonatorUserId,
    membershipId: membership.id,
    roleKey: membership.role.key,
    roleName: membership.role.name,
    permissions,
    plan,
    meta,
    db,
  };
}
