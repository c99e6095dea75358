import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import type { RequestMeta } from "./request-meta";
import type { TenantContext } from "./tenant-context";

export type AuditAction =
  | "auth.signup"
  | "auth.login.succeeded"
  | "auth.login.failed"
  | "auth.logout"
  | "auth.password_reset.requested"
  | "auth.password_reset.completed"
  | "membership.created"
  | "membership.role_changed"
  | "membership.status_changed"
  | "membership.removed"
  | "membership.ownership_transferred"
  | "invitation.created"
  | "invitation.resent"
  | "invitation.revoked"
  | "invitation.accepted"
  | "role.created"
  | "role.updated"
  | "role.deleted"
  | "admin.tenant.suspended"
  | "admin.tenant.reactivated"
  | "admin.user.locked"
  | "admin.user.unlocked"
  | "admin.user.password_reset_forced"
  | "admin.impersonation.started"
  | "admin.impersonation.stopped"
  | "tenant.created"
  | "admin.job.run"
  | "admin.tenant.viewed"
  | "audit.exported"
  | "admin.audit.exported"
  | "admin.mfa.enrolled"
  | "admin.mfa.verified"
  | "admin.mfa.failed"
  | "admin.mfa.recovery_codes_regenerated"
  | "admin.flag.created"
  | "admin.flag.updated"
  | "admin.flag.deleted"
  | "admin.flag.override_set"
  | "admin.flag.override_cleared"
  | "account.profile_updated"
  | "account.locale_changed"
  | "account.password_changed"
  | "account.session_revoked"
  | "account.signed_out_everywhere"
  | "billing.payment.succeeded"
  | "billing.payment.flagged"
  | "billing.payment.refunded"
  | "billing.payment.checkout_started"
  | "billing.subscription.status_changed"
  | "billing.plan.change_requested"
  | "billing.plan.downgrade_scheduled"
  | "billing.plan.downgrade_canceled"
  | "billing.invoice.repriced"
  | "admin.plan.updated"
  | "admin.webhook.replayed"
  | "admin.billing.exported"
  | "template.saved"
  | "template.reset"
  | "admin.template.saved"
  | "admin.template.reset"
  | "message.retried"
  | "admin.message.retried"
  | "suppression.added"
  | "suppression.lifted"
  | "file.uploaded"
  | "tenant.logo_changed"
  | "contract.created"
  | "contract.updated"
  | "contract.deleted"
  | "contract.activated"
  | "contract.ended"
  | "contract.terminated"
  | "contract.scan_attached"
  | "reading.saved"
  | "reading.grid_saved"
  | "property.created"
  | "property.updated"
  | "property.archived"
  | "property.photo_added"
  | "property.photo_removed"
  | "unit.created"
  | "unit.updated"
  | "unit.archived"
  | "renter.created"
  | "renter.updated"
  | "renter.archived"
  | "renter.restored"
  | "renter.id_document_set"
  | "renter.id_document_removed"
  | "renter.imported"
  | "unit.imported"
  | "rent.payment.recorded"
  | "rent.payment.applied"
  | "rent.payment.checkout_started"
  | "rent.pay_link.rotated"
  | "rent.pay_link.revoked"
  | "rent.invoice.issued"
  | "rent.invoice.voided"
  | "rent.invoice.overdue"
  | "rent.late_fee.created"
  | "rent.charge.added"
  | "rent.invoice_run.started";

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
