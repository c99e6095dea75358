import "server-only";
import { randomUUID } from "node:crypto";
import { getDb } from "@/server/db/client";
import { TenantDb } from "@/server/db/tenant-db";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { AppError, fromPrismaError } from "@/server/core/errors";
import { AuditLogger } from "@/server/audit/audit-logger";
import { enqueueEvent } from "@/server/core/outbox";
import { startTrial } from "@/server/subscriptions/subscriptions";
import { createDefaultRoles } from "@/server/workspaces/tenant-setup";
import { AUTH_FAILURE_RULE, RateLimiter } from "@/server/core/rate-limiter";
import { AuthService, accountBucket } from "../auth/auth.public";
import { originForTenant } from "@/server/core/host-scope";
import { getEnv } from "@/env";
import type { RequestMeta } from "@/server/core/request-meta";
import type { SignupInput } from "@/lib/schemas/auth";
import type { Locale } from "@/lib/i18n";
import { PRIVACY_VERSION, TERMS_VERSION } from "@/lib/legal";

const SIGNUP_RULE = { limit: 10, windowMs: 60 * 60_000 };

export type SignupResult =
  { ok: true; tenantId: string; redirectTo: string } | { ok: false; reason: "throttled"; retryAfterSeconds: number };

export class SignupService {
  constructor(private readonly meta: RequestMeta) {}

  /**
   * Tenant, default roles, owner user and membership, audit row and the
   * `tenant/workspace.created` event in one transaction; then a handoff ticket that signs the
   * owner in on the new subdomain. An existing account may open another workspace only by
   * proving its password.
   */
  async signup(input: SignupInput, locale: Locale): Promise<SignupResult> {
    const limiter = new RateLimiter();
    // every attempt counts against the address: a taken slug costs little to try
    const perIp = await limiter.consume([`signup:ip:${this.meta.ip ?? "unknown"}`], SIGNUP_RULE);
    if (perIp.limited) return { ok: false, reason: "throttled", retryAfterSeconds: perIp.retryAfterSeconds };

    // the address first: its answer is the same whatever password came with it
    if (await getDb().tenant.findUnique({ where: { slug: input.slug }, select: { id: true } })) {
      throw new AppError("CONFLICT", "errors.slugTaken");
    }
    const existing = await getDb().user.findUnique({ where: { email: input.email } });
    if (existing) {
      // proving an existing account's password is a sign-in: the same per-account bucket and
      // limit, a slot taken before the password is checked, and the same refusals
      const slot = await limiter.consume([accountBucket(input.email)], AUTH_FAILURE_RULE);
      if (slot.limited) return { ok: false, reason: "throttled", retryAfterSeconds: slot.retryAfterSeconds };
      const passwordOk = await verifyPassword(existing.passwordHash, input.password);
      // a locked account is refused like a wrong password (as sign-in does), and the slot stays consumed
      if (!passwordOk || existing.lockedAt) throw new AppError("CONFLICT", "errors.emailTaken");
      await limiter.refund(slot);
      await limiter.clear(accountBucket(input.email));
      // a platform admin forced a reset: the old password proves nothing any more
      if (existing.passwordResetRequired) throw new AppError("FORBIDDEN", "errors.passwordResetRequired");
    }
    const passwordHash = existing ? null : await hashPassword(input.password);
    const tenantId = randomUUID();

    let userId: string;
    try {
      userId = await new TenantDb(tenantId).run(async (tx) => {
        await tx.tenant.create({ data: { id: tenantId, slug: input.slug, name: input.workspaceName, locale } });
        const roles = await createDefaultRoles(tx, tenantId);
        const user = existing ?? (await tx.user.create({ data: { email: input.email, name: input.name, passwordHash, locale } }));
        const membership = await tx.membership.create({ data: { tenantId, userId: user.id, roleId: roles.owner } });
        // the terms and privacy notice versions the sign-up form shows as accepted (docs/PRIVACY_RETENTION.md)
        await tx.consentRecord.createMany({
          data: [
            { userId: user.id, document: "terms", version: TERMS_VERSION },
            { userId: user.id, document: "privacy", version: PRIVACY_VERSION },
          ],
        });
        await startTrial(tx, tenantId, new Date());
        const audit = new AuditLogger(this.meta);
        await audit.log(tx, tenantId, {
          action: "auth.signup",
          actorUserId: user.id,
          actorEmail: user.email,
          targetType: "tenant",
          targetId: tenantId,
          metadata: { slug: input.slug },
        });
        await audit.log(tx, tenantId, {
          action: "membership.created",
          actorUserId: user.id,
          actorEmail: user.email,
          targetType: "membership",
          targetId: membership.id,
          metadata: { role: "owner" },
        });
        await enqueueEvent(tx, tenantId, "tenant/workspace.created", { slug: input.slug, ownerUserId: user.id });
        return user.id;
      });
    } catch (e) {
      const mapped = fromPrismaError(e);
      if (mapped instanceof AppError && mapped.code === "CONFLICT") {
        // a concurrent sign-up took the slug or (for a new account) the email after the checks above
        const slugTaken = await getDb().tenant.findUnique({ where: { slug: input.slug }, select: { id: true } });
        throw new AppError("CONFLICT", slugTaken || existing ? "errors.slugTaken" : "errors.emailTaken");
      }
      throw mapped;
    }

    const hostname = `${input.slug}.${getEnv().APP_ROOT_DOMAIN}`;
    const ticket = await new AuthService(this.meta).issueHandoff(userId, hostname);
    return { ok: true, tenantId, redirectTo: `${originForTenant(input.slug)}/auth/handoff?token=${encodeURIComponent(ticket)}` };
  }
}
