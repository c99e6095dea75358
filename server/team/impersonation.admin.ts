import "server-only";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { AppError } from "@/server/core/errors";
import { AuditLogger } from "@/server/audit/audit-logger";
import { originForTenant } from "@/server/core/host-scope";
import { systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import { getEnv } from "@/env";
import { newToken } from "@/server/auth/tokens";
import { IMPERSONATION_SESSION_MS as IMPERSONATION_TTL_MS, type SessionUser } from "../core/session";

const HANDOFF_TTL_MS = 2 * 60_000;

/**
 * Support impersonation: a platform admin acts as a tenant member for at most 30 minutes, in
 * a session of its own on the tenant host that carries the admin's id. Start and stop are
 * audited in the tenant's log with the admin's identity; every audited action in between
 * records both (tenantAudit). Platform admins are never impersonated.
 */
export class ImpersonationService {
  constructor(
    private readonly meta: RequestMeta,
    private readonly clock: Clock = systemClock,
  ) {}

  async start(admin: SessionUser, tenantId: string, membershipId: string): Promise<{ url: string }> {
    const tenant = await getDb().tenant.findUnique({ where: { id: tenantId }, select: { id: true, slug: true, status: true } });
    if (!tenant) throw new AppError("NOT_FOUND", "errors.notFound");
    if (tenant.status !== "active") throw new AppError("INVALID_STATE", "errors.workspaceSuspended");
    const now = this.clock();
    const { token, tokenHash } = newToken();
    await new TenantDb(tenant.id).run(async (tx) => {
      const member = await tx.membership.findFirst({
        where: { id: membershipId, tenantId: tenant.id, status: "active" },
        select: { id: true, user: { select: { id: true, email: true, isPlatformAdmin: true } } },
      });
      if (!member) throw new AppError("NOT_FOUND", "errors.notFound");
      if (member.user.isPlatformAdmin) throw new AppError("FORBIDDEN", "errors.cannotImpersonateAdmin");
      await tx.authToken.create({
        data: {
          kind: "login_handoff",
          tokenHash,
          userId: member.user.id,
          host: `${tenant.slug}.${getEnv().APP_ROOT_DOMAIN}`,
          impersonatorUserId: admin.userId,
          expiresAt: new Date(now.getTime() + HANDOFF_TTL_MS),
        },
      });
      await new AuditLogger(this.meta).log(tx, tenant.id, {
        action: "admin.impersonation.started",
        actorUserId: admin.userId,
        actorEmail: admin.email,
        impersonatorUserId: admin.userId,
        targetType: "user",
        targetId: member.user.id,
        metadata: { user: member.user.email, minutes: IMPERSONATION_TTL_MS / 60_000 },
      });
    });
    return { url: `${originForTenant(tenant.slug)}/auth/handoff?token=${encodeURIComponent(token)}` };
  }

  /** Ends the impersonation session (the admin's own console session is untouched). */
  async stop(session: SessionUser, tenantId: string): Promise<void> {
    if (!session.impersonatorUserId) throw new AppError("INVALID_STATE", "errors.noChange");
    const admin = await getDb().user.findUnique({ where: { id: session.impersonatorUserId }, select: { email: true } });
    await new TenantDb(tenantId).run(async (tx) => {
      await tx.userSession.updateMany({ where: { id: session.sessionId, revokedAt: null }, data: { revokedAt: this.clock() } });
      await new AuditLogger(this.meta).log(tx, tenantId, {
        action: "admin.impersonation.stopped",
        actorUserId: session.impersonatorUserId,
        actorEmail: admin?.email ?? null,
        impersonatorUserId: session.impersonatorUserId,
        targetType: "user",
        targetId: session.userId,
        metadata: { user: session.email },
      });
    });
  }

  /** What the banner shows: who is acting as whom, until when. */
  async describe(session: SessionUser): Promise<{ adminEmail: string; userName: string; endsAt: Date } | null> {
    if (!session.impersonatorUserId) return null;
    const row = await getDb().userSession.findUnique({ where: { id: session.sessionId }, select: { expiresAt: true } });
    const admin = await getDb().user.findUnique({ where: { id: session.impersonatorUserId }, select: { email: true } });
    if (!row || !admin) return null;
    return { adminEmail: admin.email, userName: session.name, endsAt: row.expiresAt };
  }
}
