import "server-only";
import { platformDb } from "@/server/db/platform-db";
import { AppError } from "@/server/core/errors";
import { AuditLogger } from "@/server/audit/audit-logger";
import { systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import { AUTH_FAILURE_RULE, RateLimiter } from "@/server/core/rate-limiter";
import { verifyPassword } from "@/server/auth/password";
import type { DataLifecyclePolicy } from "@/env";
import { dataLifecyclePolicy } from "./deletion-policy";
import type { TenantContext } from "@/server/core/tenant-context";
import type { SessionUser } from "@/server/core/session";

const DAY = 24 * 3600_000;

export interface WorkspaceDeletionStatus {
  status: "active" | "suspended" | "closed";
  closedAt: Date | null;
  deleteAfter: Date | null;
  /** the caller may delete (while open) or restore (while closed) */
  isOwner: boolean;
  graceDays: number;
}

/** Who acts on a workspace here: a member's context (the closed workspace's too: deletion.router.ts builds it). */
type Member = Pick<TenantContext, "tenantId" | "userId" | "userEmail" | "roleKey" | "impersonatorUserId" | "meta">;

/**
 * Workspace deletion, step one: an owner closes the workspace (typed address + password). For
 * WORKSPACE_DELETION_GRACE_DAYS it is closed, not deleted: nobody can use it (the tenant resolver
 * refuses a closed workspace), jobs skip it (they act on active workspaces only), its pay links
 * answer "not found" and billing stops; the owner, or a platform admin from the console, can
 * restore it. Step two, the hard delete after the grace period, is deletion.jobs.ts.
 */
export class WorkspaceDeletionService {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly policy: DataLifecyclePolicy = dataLifecyclePolicy(),
  ) {
    this.limiter = new RateLimiter(clock);
  }

  async status(member: Member): Promise<WorkspaceDeletionStatus> {
    const t = await platformDb.run((tx) =>
      tx.tenant.findUnique({ where: { id: member.tenantId }, select: { status: true, closedAt: true, deleteAfter: true } }),
    );
    if (!t) throw new AppError("NOT_FOUND", "errors.notFound");
    return {
      status: t.status === "closed" || t.status === "suspended" ? t.status : "active",
      closedAt: t.closedAt,
      deleteAfter: t.deleteAfter,
      isOwner: member.roleKey === "owner" && !member.impersonatorUserId,
      graceDays: this.policy.WORKSPACE_DELETION_GRACE_DAYS,
    };
  }

  private assertOwner(member: Member): void {
    if (member.impersonatorUserId) throw new AppError("FORBIDDEN", "workspaceDeletion.errors.impersonated");
    if (member.roleKey !== "owner") throw new AppError("FORBIDDEN", "workspaceDeletion.errors.notOwner");
  }

  /** Closes the workspace for deletion. Owner only; the address typed and the owner's password re-checked (throttled like sign-in). */
  async close(member: Member, input: { slug: string; password: string }): Promise<{ deleteAfter: Date }> {
    this.assertOwner(member);
    const tenant = await platformDb.run((tx) =>
      tx.tenant.findUnique({ where: { id: member.tenantId }, select: { slug: true, status: true } }),
    );
    if (!tenant) throw new AppError("NOT_FOUND", "errors.notFound");
    if (tenant.status === "closed") throw new AppError("INVALID_STATE", "workspaceDeletion.errors.closed");
    // NOT_FOUND: no workspace by the typed address here (the same answer whatever exists elsewhere)
    if (input.slug.trim().toLowerCase() !== tenant.slug) throw new AppError("NOT_FOUND", "workspaceDeletion.errors.slugMismatch");

    const bucket = `workspace-delete:user:${member.userId}`;
    const slot = await this.limiter.consume([bucket], AUTH_FAILURE_RULE);
    if (slot.limited) {
      throw new AppError("TOO_MANY_REQUESTS", "errors.tooManyRequestsRetry", { minutes: Math.ceil(slot.retryAfterSeconds / 60) });
    }
    const user = await platformDb.run((tx) => tx.user.findUnique({ where: { id: member.userId }, select: { passwordHash: true } }));
    if (!(await verifyPassword(user?.passwordHash, input.password)))
      throw new AppError("VALIDATION", "workspaceDeletion.errors.wrongPassword");
    await this.limiter.clear(bucket);

    const now = this.clock();
    const deleteAfter = new Date(now.getTime() + this.policy.WORKSPACE_DELETION_GRACE_DAYS * DAY);
    await platformDb.run(async (tx) => {
      // compare-and-set: a concurrent close or an admin's suspension in between wins
      const { count } = await tx.tenant.updateMany({
        where: { id: member.tenantId, status: tenant.status },
        data: { status: "closed", closedAt: now, closedByUserId: member.userId, deleteAfter },
      });
      if (count !== 1) throw new AppError("CONFLICT", "errors.conflict");
      await new AuditLogger(member.meta).log(tx, member.tenantId, {
        action: "tenant.deletion_requested",
        actorUserId: member.userId,
        actorEmail: member.userEmail,
        targetType: "tenant",
        targetId: member.tenantId,
        metadata: { before: { status: tenant.status }, deleteAfter: deleteAfter.toISOString() },
      });
    });
    return { deleteAfter };
  }

  /** The owner takes the deletion back within the grace period; an open workspace stays as it is (a second click). */
  async restoreByOwner(member: Member): Promise<{ status: "active" | "suspended" }> {
    this.assertOwner(member);
    const t = await platformDb.run((tx) => tx.tenant.findUnique({ where: { id: member.tenantId }, select: { status: true } }));
    if (t && t.status !== "closed") return { status: t.status === "suspended" ? "suspended" : "active" };
    return this.reopen(member.tenantId, member.meta, {
      action: "tenant.deletion_cancelled",
      actorUserId: member.userId,
      actorEmail: member.userEmail,
    });
  }

  /** A platform admin restores a closed workspace from the console (audited on the platform log and the workspace's). */
  async restoreByAdmin(admin: SessionUser, tenantId: string, meta: RequestMeta): Promise<{ status: "active" }> {
    return this.reopen(tenantId, meta, { action: "admin.tenant.restored", actorUserId: admin.userId, actorEmail: admin.email });
  }

  private async reopen(
    tenantId: string,
    meta: RequestMeta,
    actor: { action: "tenant.deletion_cancelled" | "admin.tenant.restored"; actorUserId: string; actorEmail: string },
  ): Promise<{ status: "active" }> {
    const now = this.clock();
    return platformDb.run(async (tx) => {
      const t = await tx.tenant.findUnique({
        where: { id: tenantId },
        select: { id: true, status: true, closedAt: true, deleteAfter: true },
      });
      if (!t) throw new AppError("NOT_FOUND", "errors.notFound");
      if (t.status !== "closed") throw new AppError("INVALID_STATE", "workspaceDeletion.errors.notClosed");
      if (t.deleteAfter && t.deleteAfter <= now) throw new AppError("INVALID_STATE", "workspaceDeletion.errors.graceOver");
      const { count } = await tx.tenant.updateMany({
        where: { id: t.id, status: "closed" },
        data: { status: "active", closedAt: null, closedByUserId: null, deleteAfter: null },
      });
      if (count !== 1) throw new AppError("CONFLICT", "errors.conflict");
      await new AuditLogger(meta).log(tx, t.id, {
        ...actor,
        targetType: "tenant",
        targetId: t.id,
        metadata: { closedAt: t.closedAt?.toISOString() ?? null, deleteAfter: t.deleteAfter?.toISOString() ?? null },
      });
      return { status: "active" as const };
    });
  }
}
