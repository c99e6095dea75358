import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import type { RequestMeta } from "../core/request-meta";
import type { TenantContext } from "../core/tenant-context";
import type { AuditAction } from "@/lib/audit-actions";

// The action names live in lib/audit-actions.ts (AUDIT_ACTIONS): add new ones there, with labels.
export { AUDIT_ACTIONS, type AuditAction } from "@/lib/audit-actions";

export interface AuditEntry {
  action: AuditAction;
  actorUserId?: string | null;
  actorEmail?: string | null;
  impersonatorUserId?: string | null;
  targetType?: string;
  targetId?: string;
  /** before/after for changes, never secrets */
  metadata?: Prisma.InputJsonValue;
}

/**
 * Writes audit rows inside the caller's transaction, so an audited change and its audit
 * row commit or roll back together. `tenantId` null = a platform-level event; the
 * transaction must then be a platformDb one (row-level security enforces it).
 */
export class AuditLogger {
  constructor(private readonly meta: RequestMeta) {}

  async log(tx: DbTx, tenantId: string | null, entry: AuditEntry): Promise<void> {
    await tx.auditLog.create({
      data: {
        tenantId,
        action: entry.action,
        actorUserId: entry.actorUserId ?? null,
        actorEmail: entry.actorEmail ?? null,
        impersonatorUserId: entry.impersonatorUserId ?? null,
        targetType: entry.targetType ?? null,
        targetId: entry.targetId ?? null,
        metadata: entry.metadata,
        ip: this.meta.ip,
        userAgent: this.meta.userAgent?.slice(0, 500) ?? null,
        requestId: this.meta.requestId,
      },
    });
  }
}

/** The audit logger of a tenant service: tenant, actor and impersonator come from the context. */
export function tenantAudit(ctx: TenantContext) {
  const logger = new AuditLogger(ctx.meta);
  return {
    log(tx: DbTx, entry: Omit<AuditEntry, "actorUserId" | "actorEmail" | "impersonatorUserId">): Promise<void> {
      return logger.log(tx, ctx.tenantId, {
        ...entry,
        actorUserId: ctx.userId,
        actorEmail: ctx.userEmail,
        impersonatorUserId: ctx.impersonatorUserId,
      });
    },
  };
}
