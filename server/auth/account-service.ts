import "server-only";
import { AppError } from "@/server/core/errors";
import { getDb } from "@/server/db/client";
import type { DbTx } from "@/server/db/tenant-db";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { TenantContext } from "@/server/core/tenant-context";
import { systemClock, type Clock } from "@/server/core/request-meta";
import { AUTH_FAILURE_RULE, RateLimiter } from "@/server/core/rate-limiter";
import { isLocale, type Locale } from "@/lib/i18n";
import type { ChangePasswordInput, SetLocaleInput, UpdateProfileInput } from "@/lib/schemas/account";

export interface AccountProfile {
  userId: string;
  email: string;
  name: string;
  locale: Locale | null;
  passwordChangedAt: Date | null;
  /** a platform admin is acting as this member: password and sign-out-everywhere are refused */
  isImpersonated: boolean;
}

export interface AccountSession {
  id: string;
  host: string;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  /** parsed from the user agent; null when not recognised */
  browser: string | null;
  os: string | null;
  isCurrent: boolean;
  /** opened by a platform admin acting as this member */
  isSupport: boolean;
}

/**
 * Browser and operating system names from a User-Agent header, for the sessions list. Order
 * matters: Edge, Opera and Samsung Internet also say "Chrome", Chrome also says "Safari", and
 * Android also says "Linux".
 */
export function describeUserAgent(ua: string | null | undefined): { browser: string | null; os: string | null } {
  if (!ua) return { browser: null, os: null };
  const browsers: [RegExp, string][] = [
    [/\bEdg(e|A|iOS)?\//, "Edge"],
    [/\b(OPR|Opera)\//, "Opera"],
    [/\bSamsungBrowser\//, "Samsung Internet"],
    [/\b(Firefox|FxiOS)\//, "Firefox"],
    [/\b(Chrome|CriOS|Chromium|HeadlessChrome)\//, "Chrome"],
    [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
  ];
  const systems: [RegExp, string][] = [
    [/\bWindows\b/, "Windows"],
    [/\bAndroid\b/, "Android"],
    [/\b(iPhone|iPad|iPod)\b/, "iOS"],
    [/\bCrOS\b/, "ChromeOS"],
    [/\b(Macintosh|Mac OS X)\b/, "macOS"],
    [/\bLinux\b/, "Linux"],
  ];
  return {
    browser: browsers.find(([re]) => re.test(ua))?.[1] ?? null,
    os: systems.find(([re]) => re.test(ua))?.[1] ?? null,
  };
}

/**
 * The signed-in member's own global account (User and UserSession rows), from a workspace.
 * It never touches another user's rows; audit rows go to the workspace the change was made in,
 * in the same transaction as the change.
 */
export class AccountService {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly ctx: TenantContext,
    /** the session making this request (from the cookie, checked by the tRPC context) */
    private readonly currentSessionId: string,
    private readonly clock: Clock = systemClock,
  ) {
    this.limiter = new RateLimiter(clock);
  }

  private get userId(): string {
    return this.ctx.userId;
  }

  private refuseWhileImpersonated(): void {
    if (this.ctx.impersonatorUserId) throw new AppError("FORBIDDEN", "account.errors.impersonated");
  }

  private audit(tx: DbTx, entry: Parameters<ReturnType<typeof tenantAudit>["log"]>[1]): Promise<void> {
    return tenantAudit(this.ctx).log(tx, entry);
  }

  async profile(): Promise<AccountProfile> {
    const user = await getDb().user.findUnique({
      where: { id: this.userId },
      select: { id: true, email: true, name: true, locale: true, passwordChangedAt: true },
    });
    if (!user) throw new AppError("NOT_FOUND", "errors.notFound");
    return {
      userId: user.id,
      email: user.email,
      name: user.name,
      locale: isLocale(user.locale) ? user.locale : null,
      passwordChangedAt: user.passwordChangedAt,
      isImpersonated: this.ctx.impersonatorUserId !== null,
    };
  }

  async updateProfile(input: UpdateProfileInput): Promise<AccountProfile> {
    await this.ctx.db.run(async (tx) => {
      const before = await tx.user.findUniqueOrThrow({ where: { id: this.userId }, select: { name: true } });
      if (before.name === input.name) return;
      await tx.user.update({ where: { id: this.userId }, data: { name: input.name } });
      await this.audit(tx, {
        action: "account.profile_updated",
        targetType: "user",
        targetId: this.userId,
        metadata: { before: { name: before.name }, after: { name: input.name } },
      });
    });
    return this.profile();
  }

  async setLocale(input: SetLocaleInput): Promise<AccountProfile> {
    await this.ctx.db.run(async (tx) => {
      const before = await tx.user.findUniqueOrThrow({ where: { id: this.userId }, select: { locale: true } });
      if (before.locale === input.locale) return;
      await tx.user.update({ where: { id: this.userId }, data: { locale: input.locale } });
      await this.audit(tx, {
        action: "account.locale_changed",
        targetType: "user",
        targetId: this.userId,
        metadata: { before: { locale: before.locale }, after: { locale: input.locale } },
      });
    });
    return this.profile();
  }

  /**
   * Verifies the current password (wrong guesses are throttled per user, like sign-in), stores
   * the new hash and ends every other session of the user, on every host. This session stays.
   */
  async changePassword(input: ChangePasswordInput): Promise<{ revokedSessions: number }> {
    this.refuseWhileImpersonated();
    if (input.newPassword === input.currentPassword) throw new AppError("VALIDATION", "account.password.mustDiffer");
    const bucket = `account-password:user:${this.userId}`;
    // the slot is taken BEFORE the password is checked: parallel guesses get at most the limit
    const slot = await this.limiter.consume([bucket], AUTH_FAILURE_RULE);
    if (slot.limited) {
      throw new AppError("TOO_MANY_REQUESTS", "errors.tooManyRequestsRetry", { minutes: Math.ceil(slot.retryAfterSeconds / 60) });
    }

    const user = await getDb().user.findUnique({ where: { id: this.userId }, select: { passwordHash: true } });
    if (!user) throw new AppError("NOT_FOUND", "errors.notFound");
    // a wrong guess keeps its slot
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw new AppError("VALIDATION", "account.errors.wrongPassword");

    const passwordHash = await hashPassword(input.newPassword);
    const now = this.clock();
    const revoked = await this.ctx.db.run(async (tx) => {
      // compare-and-set: a concurrent change (or reset) since the check above wins, this one fails
      const updated = await tx.user.updateMany({
        where: { id: this.userId, passwordHash: user.passwordHash },
        data: { passwordHash, passwordChangedAt: now },
      });
      if (updated.count !== 1) throw new AppError("CONFLICT", "errors.conflict");
      const sessions = await tx.userSession.updateMany({
        where: { userId: this.userId, revokedAt: null, id: { not: this.currentSessionId } },
        data: { revokedAt: now },
      });
      // a reset link asked for before the change must not undo it
      await tx.authToken.updateMany({ where: { userId: this.userId, kind: "password_reset", usedAt: null }, data: { usedAt: now } });
      await this.audit(tx, {
        action: "account.password_changed",
        targetType: "user",
        targetId: this.userId,
        metadata: { revokedSessions: sessions.count },
      });
      return sessions.count;
    });
    await this.limiter.clear(bucket);
    return { revokedSessions: revoked };
  }

  /** The user's live sessions on every host (workspaces and the apex), this one first. */
  async sessions(): Promise<AccountSession[]> {
    const rows = await getDb().userSession.findMany({
      where: { userId: this.userId, revokedAt: null, expiresAt: { gt: this.clock() } },
      select: { id: true, host: true, createdAt: true, lastSeenAt: true, ip: true, userAgent: true, impersonatorUserId: true },
      orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
      take: 200,
    });
    const list = rows.map(({ userAgent, impersonatorUserId, ...row }) => ({
      ...row,
      ...describeUserAgent(userAgent),
      isCurrent: row.id === this.currentSessionId,
      isSupport: impersonatorUserId !== null,
    }));
    return [...list.filter((s) => s.isCurrent), ...list.filter((s) => !s.isCurrent)];
  }

  /** Signs one of the user's other sessions out; anything else (someone else's, gone, ended) is NOT_FOUND. */
  async revokeSession(input: { id: string }): Promise<{ id: string }> {
    this.refuseWhileImpersonated();
    if (input.id === this.currentSessionId) throw new AppError("INVALID_STATE", "account.errors.revokeCurrent");
    const now = this.clock();
    return this.ctx.db.run(async (tx) => {
      const session = await tx.userSession.findFirst({
        where: { id: input.id, userId: this.userId, revokedAt: null, expiresAt: { gt: now } },
        select: { id: true, host: true },
      });
      if (!session) throw new AppError("NOT_FOUND", "errors.notFound");
      await tx.userSession.update({ where: { id: session.id }, data: { revokedAt: now } });
      await this.audit(tx, {
        action: "account.session_revoked",
        targetType: "session",
        targetId: session.id,
        metadata: { host: session.host },
      });
      return { id: session.id };
    });
  }

  /** Ends every session of the user, this one included; the page then goes to sign-in. */
  async signOutEverywhere(): Promise<{ revokedSessions: number }> {
    this.refuseWhileImpersonated();
    const now = this.clock();
    return this.ctx.db.run(async (tx) => {
      const sessions = await tx.userSession.updateMany({ where: { userId: this.userId, revokedAt: null }, data: { revokedAt: now } });
      await this.audit(tx, {
        action: "account.signed_out_everywhere",
        targetType: "user",
        targetId: this.userId,
        metadata: { revokedSessions: sessions.count },
      });
      return { revokedSessions: sessions.count };
    });
  }
}
