import "server-only";
import { platformDb } from "@/server/db/platform-db";
import { AppError } from "@/server/core/errors";
import { AuditLogger } from "@/server/audit/audit-logger";
import { AUTH_FAILURE_RULE, RateLimiter } from "@/server/core/rate-limiter";
import { systemClock, type Clock } from "@/server/core/request-meta";
import { verifyPassword } from "./password";
import type { TenantContext } from "@/server/core/tenant-context";

export type AccountDeletionResult = { deleted: true } | { deleted: false; reason: "ownsWorkspace"; workspaces: string[] };

/**
 * Deletes the signed-in user's account (from the account page): the e-mail typed and the password
 * re-checked (throttled like sign-in). Refused while the user owns a workspace (the answer names
 * them: ownership must be handed over or the workspace deleted first). Then the User row goes, and
 * with it (foreign keys) every membership, session, one-time token and recovery code; consent
 * records stay without the user; one platform audit row (user id and counts, no e-mail) remains.
 */
export class AccountDeletionService {
  private readonly limiter: RateLimiter;

  constructor(private readonly clock: Clock = systemClock) {
    this.limiter = new RateLimiter(clock);
  }

  async delete(
    ctx: Pick<TenantContext, "userId" | "userEmail" | "impersonatorUserId" | "meta">,
    input: { email: string; password: string },
  ): Promise<AccountDeletionResult> {
    if (ctx.impersonatorUserId) throw new AppError("FORBIDDEN", "accountDeletion.errors.impersonated");
    // NOT_FOUND: no account by the typed address here
    if (input.email.trim().toLowerCase() !== ctx.userEmail.toLowerCase())
      throw new AppError("NOT_FOUND", "accountDeletion.errors.emailMismatch");
    const bucket = `account-delete:user:${ctx.userId}`;
    const slot = await this.limiter.consume([bucket], AUTH_FAILURE_RULE);
    if (slot.limited) {
      throw new AppError("TOO_MANY_REQUESTS", "errors.tooManyRequestsRetry", { minutes: Math.ceil(slot.retryAfterSeconds / 60) });
    }
    const user = await platformDb.run((tx) => tx.user.findUnique({ where: { id: ctx.userId }, select: { passwordHash: true } }));
    if (!user || !(await verifyPassword(user.passwordHash, input.password))) {
      throw new AppError("VALIDATION", "accountDeletion.errors.wrongPassword");
    }
    await this.limiter.clear(bucket);

    return platformDb.run(async (tx) => {
      const owned = await tx.membership.findMany({
        where: { userId: ctx.userId, status: "active", role: { key: "owner" } },
        select: { tenant: { select: { slug: true } } },
        orderBy: { createdAt: "asc" },
      });
      if (owned.length > 0)
        return { deleted: false as const, reason: "ownsWorkspace" as const, workspaces: owned.map((m) => m.tenant.slug) };
      const memberships = await tx.membership.count({ where: { userId: ctx.userId } });
      const sessions = await tx.userSession.count({ where: { userId: ctx.userId, revokedAt: null, expiresAt: { gt: this.clock() } } });
      await tx.user.delete({ where: { id: ctx.userId } });
      await new AuditLogger(ctx.meta).log(tx, null, {
        action: "account.deleted",
        actorUserId: ctx.userId,
        targetType: "user",
        targetId: ctx.userId,
        metadata: { memberships, sessions },
      });
      return { deleted: true as const };
    });
  }
}
