import "server-only";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { TenantDb, type DbTx } from "@/server/db/tenant-db";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { hashToken, newToken } from "@/server/auth/tokens";
import { AuditLogger, type AuditEntry } from "@/server/audit/audit-logger";
import { RateLimiter, AUTH_FAILURE_RULE } from "@/server/core/rate-limiter";
import { systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import { originForScope, type HostScope } from "@/server/core/host-scope";
import { sendMail } from "@/server/notifications/mail";
import { isLocale, type Locale } from "@/lib/i18n";
import { deliverSoon, queueMessage } from "@/server/notifications/queue";
import { renderMessage } from "@/server/notifications/template-render";
import { IMPERSONATION_SESSION_MS, SESSION_TTL_MS, readSession, type SessionClaims, type SessionUser } from "@/server/core/session";

// The session types and the session read live in server/core/session.ts (request code imports
// them from there); re-exported for sign-in code and its tests.
export { IMPERSONATION_SESSION_MS, SESSION_TTL_MS, type SessionClaims, type SessionUser };

const HANDOFF_TTL_MS = 2 * 60_000;
const RESET_TTL_MS = 60 * 60_000;

export type LoginResult =
  | { ok: true; ticket: string; userId: string }
  | { ok: false; reason: "invalid" }
  /**
   * On the apex (platform staff only), every refusal: the e-mail may belong to workspaces, whose
   * members sign in at each workspace's address. One answer for an unknown e-mail, a wrong
   * password and a workspace member alike (no enumeration); the page offers "find my workspace".
   */
  | { ok: false; reason: "find_workspace" }
  | { ok: false; reason: "reset_required" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * The per-account bucket of failed password proofs, shared by sign-in, sign-up with an existing
 * e-mail and invitation acceptance: guesses through any of them count against the same limit.
 */
export function accountBucket(email: string): string {
  return `login:acct:${email}`;
}

function tenantIdOf(scope: HostScope): string | null {
  return scope.kind === "tenant" ? scope.tenant.id : null;
}

/**
 * Sign-in, sign-out, sessions and password reset. Sessions are per host: a session row and
 * its cookie are bound to the host name they were created on and are refused anywhere else.
 */
export class AuthService {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly meta: RequestMeta,
    private readonly clock: Clock = systemClock,
  ) {
    this.limiter = new RateLimiter(clock);
  }

  /** Runs `fn` in the transaction that may write audit rows for this host. */
  private inScope<T>(scope: HostScope, fn: (tx: DbTx) => Promise<T>): Promise<T> {
    return scope.kind === "tenant" ? new TenantDb(scope.tenant.id).run(fn) : platformDb.run(fn);
  }

  private audit(scope: HostScope, entry: AuditEntry): Promise<void> {
    return this.inScope(scope, (tx) => new AuditLogger(this.meta).log(tx, tenantIdOf(scope), entry));
  }

  private loginBuckets(email: string): string[] {
    return [`login:ip:${this.meta.ip ?? "unknown"}`, accountBucket(email)];
  }

  async login(scope: HostScope, email: string, password: string): Promise<LoginResult> {
    // the slot is taken BEFORE the password is checked: of any burst of parallel guesses for
    // one account at most AUTH_FAILURE_RULE.limit reach verifyPassword
    const slot = await this.limiter.consume(this.loginBuckets(email), AUTH_FAILURE_RULE);
    if (slot.limited) return { ok: false, reason: "throttled", retryAfterSeconds: slot.retryAfterSeconds };

    const user = await getDb().user.findUnique({ where: { email } });
    const passwordOk = await verifyPassword(user?.passwordHash, password);
    let allowed = Boolean(user && passwordOk && !user.lockedAt);
    if (allowed && user) {
      if (scope.kind === "apex") allowed = user.isPlatformAdmin;
      else {
        const membership = await new TenantDb(scope.tenant.id).run((tx) =>
          tx.membership.findFirst({ where: { userId: user.id, status: "active" }, select: { id: true } }),
        );
        allowed = membership !== null;
      }
    }

    if (!allowed || !user) {
      // the slot stays consumed: this was a failed attempt
      const reason = !user ? "unknown_email" : !passwordOk ? "bad_password" : user.lockedAt ? "locked" : "no_access";
      await this.audit(
        scope,
        scope.kind === "tenant"
          ? // a workspace's log must not tell its admins whether an e-mail has an account elsewhere
            { action: "auth.login.failed", actorUserId: null, actorEmail: email, metadata: { reason: "invalid_credentials" } }
          : { action: "auth.login.failed", actorUserId: user?.id ?? null, actorEmail: email, metadata: { reason } },
      );
      return scope.kind === "apex" ? { ok: false, reason: "find_workspace" } : { ok: false, reason: "invalid" };
    }

    // the password was right: this attempt costs the address nothing and the account's failures are forgiven
    await this.limiter.refund(slot);
    await this.limiter.clear(accountBucket(email));
    if (user.passwordResetRequired) {
      // a platform admin forced a reset: the old password proves nothing any more
      await this.audit(scope, {
        action: "auth.login.failed",
        actorUserId: user.id,
        actorEmail: email,
        metadata: { reason: "reset_required" },
      });
      return { ok: false, reason: "reset_required" };
    }
    const ticket = await this.issueHandoff(user.id, scope.hostname);
    await this.audit(scope, { action: "auth.login.succeeded", actorUserId: user.id, actorEmail: user.email });
    return { ok: true, ticket, userId: user.id };
  }

  /** A single-use, two-minute ticket that the session layer exchanges for a session cookie on `hostname`. */
  async issueHandoff(userId: string, hostname: string): Promise<string> {
    const { token, tokenHash } = newToken();
    await getDb().authToken.create({
      data: { kind: "login_handoff", tokenHash, userId, host: hostname, expiresAt: new Date(this.clock().getTime() + HANDOFF_TTL_MS) },
    });
    return token;
  }

  /** Consumes a handoff ticket (atomically: a replay finds nothing) and opens a session row. */
  async redeemHandoff(token: string, hostname: string): Promise<SessionClaims | null> {
    const now = this.clock();
    const claimed = await getDb().authToken.updateMany({
      where: { tokenHash: hashToken(token), kind: "login_handoff", host: hostname, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claimed.count !== 1) return null;
    const row = await getDb().authToken.findUniqueOrThrow({
      where: { tokenHash: hashToken(token) },
      select: { userId: true, impersonatorUserId: true },
    });
    const tenant = await this.tenantIdForHost(hostname);
    const session = await getDb().userSession.create({
      data: {
        userId: row.userId,
        tenantId: tenant,
        host: hostname,
        ip: this.meta.ip,
        userAgent: this.meta.userAgent?.slice(0, 500) ?? null,
        // a support (impersonation) session lasts at most 30 minutes
        expiresAt: new Date(now.getTime() + (row.impersonatorUserId ? IMPERSONATION_SESSION_MS : SESSION_TTL_MS)),
        impersonatorUserId: row.impersonatorUserId,
      },
    });
    return { uid: row.userId, sid: session.id, host: hostname };
  }

  private async tenantIdForHost(hostname: string): Promise<string | null> {
    const slug = hostname.split(".")[0];
    if (!slug || !hostname.includes(".")) return null;
    const t = await getDb().tenant.findUnique({ where: { slug }, select: { id: true } });
    return t?.id ?? null;
  }

  /** Turns cookie claims into a signed-in user, or null (server/core/session.ts readSession). */
  resolveSession(claims: Partial<SessionClaims> | null | undefined, hostname: string): Promise<SessionUser | null> {
    return readSession(claims, hostname, this.clock);
  }

  async logout(scope: HostScope, session: SessionUser): Promise<void> {
    await getDb().userSession.updateMany({ where: { id: session.sessionId, revokedAt: null }, data: { revokedAt: this.clock() } });
    await this.audit(scope, { action: "auth.logout", actorUserId: session.userId, actorEmail: session.email });
  }

  /**
   * Always looks the same from outside (no account enumeration); sends a link only when the
   * account may sign in on this host. Each request counts against the throttle.
   */
  async requestPasswordReset(
    scope: HostScope,
    email: string,
    locale: Locale,
  ): Promise<{ throttled: false } | { throttled: true; retryAfterSeconds: number }> {
    const buckets = [`reset:ip:${this.meta.ip ?? "unknown"}`, `reset:acct:${email}`];
    const limited = await this.limiter.consume(buckets, AUTH_FAILURE_RULE);
    if (limited.limited) return { throttled: true, retryAfterSeconds: limited.retryAfterSeconds };

    const user = await getDb().user.findUnique({ where: { email } });
    if (!user || user.lockedAt) return { throttled: false };
    if (scope.kind === "apex" && !user.isPlatformAdmin) return { throttled: false };
    if (scope.kind === "tenant") {
      const member = await new TenantDb(scope.tenant.id).run((tx) =>
        tx.membership.findFirst({ where: { userId: user.id, status: "active" }, select: { id: true } }),
      );
      if (!member) return { throttled: false };
    }

    await this.sendResetLink(scope, user, locale);
    await this.audit(scope, { action: "auth.password_reset.requested", actorUserId: user.id, actorEmail: user.email });
    return { throttled: false };
  }

  /**
   * Emails a single-use, 60-minute reset link for `scope`'s host (also used for admin-forced
   * resets). On a workspace host the token and the message are written in one transaction and
   * the message pipeline delivers it; the apex (platform admins) has no tenant to own a message,
   * so that one is rendered from the same template and sent directly.
   */
  async sendResetLink(
    scope: HostScope,
    user: { id: string; email: string; name: string; locale: string | null },
    locale: Locale,
  ): Promise<void> {
    const { token, tokenHash } = newToken();
    const tokenRow = {
      kind: "password_reset" as const,
      tokenHash,
      userId: user.id,
      host: scope.hostname,
      expiresAt: new Date(this.clock().getTime() + RESET_TTL_MS),
    };
    const mailLocale: Locale = isLocale(user.locale) ? user.locale : locale;
    const variables = {
      workspace: scope.kind === "tenant" ? scope.tenant.name : "Phteah",
      name: user.name,
      link: `${originForScope(scope)}/reset-password?token=${encodeURIComponent(token)}`,
      minutes: String(RESET_TTL_MS / 60_000),
    };
    if (scope.kind === "tenant") {
      const tenantId = scope.tenant.id;
      const messageId = await new TenantDb(tenantId).run(async (tx) => {
        const row = await tx.authToken.create({ data: tokenRow, select: { id: true } });
        const queued = await queueMessage(tx, {
          tenantId,
          key: "auth.password_reset",
          to: user.email,
          locale: mailLocale,
          variables,
          dedupeKey: `password-reset:${row.id}`,
        });
        return queued.id;
      });
      deliverSoon([messageId]);
      return;
    }
    await getDb().authToken.create({ data: tokenRow });
    const mail = await platformDb.run((tx) =>
      renderMessage(tx, { tenantId: null, key: "auth.password_reset", channel: "email", locale: mailLocale, variables }),
    );
    await sendMail({ to: user.email, subject: mail.subject, text: mail.text, html: mail.html, tags: { kind: "auth_password_reset" } });
  }

  /** Single use: the token is claimed atomically; all of the user's sessions end. */
  async resetPassword(scope: HostScope, token: string, password: string): Promise<"ok" | "invalid" | { retryAfterSeconds: number }> {
    const slot = await this.limiter.consume([`reset-confirm:ip:${this.meta.ip ?? "unknown"}`], AUTH_FAILURE_RULE);
    if (slot.limited) return { retryAfterSeconds: slot.retryAfterSeconds };

    const now = this.clock();
    const tokenHash = hashToken(token);
    const passwordHash = await hashPassword(password);
    const userId = await this.inScope(scope, async (tx) => {
      const claimed = await tx.authToken.updateMany({
        where: { tokenHash, kind: "password_reset", host: scope.hostname, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (claimed.count !== 1) return null;
      const row = await tx.authToken.findUniqueOrThrow({ where: { tokenHash }, select: { userId: true } });
      await tx.user.update({ where: { id: row.userId }, data: { passwordHash, passwordChangedAt: now, passwordResetRequired: false } });
      await tx.userSession.updateMany({ where: { userId: row.userId, revokedAt: null }, data: { revokedAt: now } });
      await tx.authToken.updateMany({ where: { userId: row.userId, kind: "password_reset", usedAt: null }, data: { usedAt: now } });
      await new AuditLogger(this.meta).log(tx, tenantIdOf(scope), { action: "auth.password_reset.completed", actorUserId: row.userId });
      return row.userId;
    });
    if (!userId) return "invalid"; // the slot stays consumed
    await this.limiter.refund(slot);
    return "ok";
  }
}
