import "server-only";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { hashToken } from "@/server/auth/tokens";
import { AppError } from "@/server/core/errors";
import { AuditLogger } from "@/server/audit/audit-logger";
import { systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import type { TenantSummary } from "@/server/core/host-scope";
import { RateLimiter, AUTH_FAILURE_RULE } from "@/server/core/rate-limiter";
import { AuthService, accountBucket } from "../auth/auth.public";

export type InvitationPreview =
  { valid: false } | { valid: true; email: string; roleName: string; roleKey: string; workspace: string; hasAccount: boolean };

/**
 * Accepting an invitation on the workspace host, before anyone is signed in: an existing
 * account proves itself with its password, a new one is created; then the membership (or the
 * reactivation of a deactivated one), the claimed invitation and the audit row commit together,
 * and a handoff ticket signs the person in on this host.
 */
export class InvitationAcceptService {
  constructor(
    private readonly meta: RequestMeta,
    private readonly clock: Clock = systemClock,
  ) {}

  private async pending(tenant: TenantSummary, token: string) {
    const now = this.clock();
    return new TenantDb(tenant.id).run((tx) =>
      tx.invitation.findFirst({
        where: { tokenHash: hashToken(token), acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        select: { id: true, email: true, role: { select: { id: true, key: true, name: true } } },
      }),
    );
  }

  async preview(tenant: TenantSummary, token: string): Promise<InvitationPreview> {
    const inv = await this.pending(tenant, token);
    if (!inv) return { valid: false };
    const user = await getDb().user.findUnique({ where: { email: inv.email }, select: { id: true } });
    return {
      valid: true,
      email: inv.email,
      roleName: inv.role.name,
      roleKey: inv.role.key,
      workspace: tenant.name,
      hasAccount: Boolean(user),
    };
  }

  async accept(
    tenant: TenantSummary,
    hostname: string,
    input: { token: string; password: string; name?: string },
  ): Promise<
    | { ok: true; ticket: string }
    | { ok: false; reason: "invalid" | "bad_password" | "reset_required" }
    | { ok: false; reason: "throttled"; retryAfterSeconds: number }
  > {
    const limiter = new RateLimiter(this.clock);
    // slots are taken BEFORE the token or the password is checked, and given back on success
    const perIp = await limiter.consume([`invite:ip:${this.meta.ip ?? "unknown"}`], AUTH_FAILURE_RULE);
    if (perIp.limited) return { ok: false, reason: "throttled", retryAfterSeconds: perIp.retryAfterSeconds };

    const inv = await this.pending(tenant, input.token);
    if (!inv) return { ok: false, reason: "invalid" };
    const existing = await getDb().user.findUnique({ where: { email: inv.email } });
    if (existing) {
      // proving an existing account's password is a sign-in: the same per-account bucket, limit and refusals
      const slot = await limiter.consume([accountBucket(inv.email)], AUTH_FAILURE_RULE);
      if (slot.limited) return { ok: false, reason: "throttled", retryAfterSeconds: slot.retryAfterSeconds };
      const passwordOk = await verifyPassword(existing.passwordHash, input.password);
      if (!passwordOk || existing.lockedAt) return { ok: false, reason: "bad_password" };
      await limiter.refund(slot);
      await limiter.clear(accountBucket(inv.email));
      // a platform admin forced a reset: the old password proves nothing any more
      if (existing.passwordResetRequired) {
        await limiter.refund(perIp);
        return { ok: false, reason: "reset_required" };
      }
    } else if (input.password.length < 10 || !input.name) {
      // a form mistake on a valid invitation is not a guess
      await limiter.refund(perIp);
      throw new AppError("VALIDATION", input.password.length < 10 ? "validation.passwordTooShort" : "validation.required");
    }
    const passwordHash = existing ? null : await hashPassword(input.password);
    const now = this.clock();

    const userId = await new TenantDb(tenant.id).run(async (tx) => {
      const claimed = await tx.invitation.updateMany({
        where: { id: inv.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { acceptedAt: now },
      });
      if (claimed.count !== 1) return null;
      const user = existing ?? (await tx.user.create({ data: { email: inv.email, name: input.name!, passwordHash } }));
      const prior = await tx.membership.findFirst({ where: { tenantId: tenant.id, userId: user.id }, select: { id: true, status: true } });
      // an invitation reactivates a deactivated member with the invited role; an ACTIVE member
      // keeps the role they have now (a stale invitation must never demote, e.g. a new owner)
      const membership = !prior
        ? await tx.membership.create({ data: { tenantId: tenant.id, userId: user.id, roleId: inv.role.id } })
        : prior.status === "active"
          ? prior
          : await tx.membership.update({ where: { id: prior.id }, data: { status: "active", roleId: inv.role.id } });
      await new AuditLogger(this.meta).log(tx, tenant.id, {
        action: "invitation.accepted",
        actorUserId: user.id,
        actorEmail: user.email,
        targetType: "membership",
        targetId: membership.id,
        metadata: {
          invitationId: inv.id,
          role: prior?.status === "active" ? null : inv.role.key,
          newAccount: !existing,
          reactivated: prior?.status === "deactivated",
          alreadyMember: prior?.status === "active",
        },
      });
      return user.id;
    });
    if (!userId) return { ok: false, reason: "invalid" };
    await limiter.refund(perIp);
    return { ok: true, ticket: await new AuthService(this.meta, this.clock).issueHandoff(userId, hostname) };
  }
}
