import "server-only";
import type { z } from "zod";
import { platformDb } from "@/server/db/platform-db";
import { AppError } from "@/server/core/errors";
import { AuditLogger } from "@/server/audit/audit-logger";
import { findTenantBySlug, type HostScope } from "@/server/core/host-scope";
import { systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import { getEnv } from "@/env";
import type { listUsersSchema } from "@/lib/schemas/admin";
import { AuthService, type SessionUser } from "../auth/auth.public";

export interface UserAdminRow {
  id: string;
  email: string;
  name: string;
  isPlatformAdmin: boolean;
  lockedAt: Date | null;
  passwordResetRequired: boolean;
  totpEnabled: boolean;
  createdAt: Date;
  workspaces: string[];
}

/** Users across the platform: search, lock/unlock, force a password reset. */
export class UserAdminService {
  constructor(
    private readonly meta: RequestMeta,
    private readonly clock: Clock = systemClock,
  ) {}

  async list(input: z.output<typeof listUsersSchema>): Promise<{ items: UserAdminRow[]; nextCursor: string | null }> {
    const rows = await platformDb.run((tx) =>
      tx.user.findMany({
        where: {
          ...(input.search
            ? {
                OR: [{ email: { contains: input.search, mode: "insensitive" } }, { name: { contains: input.search, mode: "insensitive" } }],
              }
            : {}),
          ...(input.filter === "locked" ? { lockedAt: { not: null } } : {}),
          ...(input.filter === "admins" ? { isPlatformAdmin: true } : {}),
          ...(input.filter === "reset_required" ? { passwordResetRequired: true } : {}),
        },
        select: {
          id: true,
          email: true,
          name: true,
          isPlatformAdmin: true,
          lockedAt: true,
          passwordResetRequired: true,
          totpEnabledAt: true,
          createdAt: true,
          memberships: { select: { tenant: { select: { slug: true } } }, take: 10 },
        },
        orderBy: { id: "desc" },
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      }),
    );
    const page = rows.slice(0, input.limit);
    return {
      items: page.map(({ memberships, totpEnabledAt, ...u }) => ({
        ...u,
        totpEnabled: totpEnabledAt !== null,
        workspaces: memberships.map((m) => m.tenant.slug),
      })),
      nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
    };
  }

  /** Locking ends every session at once; the user cannot sign in until unlocked. */
  async lock(admin: SessionUser, userId: string): Promise<{ userId: string; locked: true }> {
    if (userId === admin.userId) throw new AppError("INVALID_STATE", "errors.cannotChangeSelf");
    return platformDb.run(async (tx) => {
      const u = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, lockedAt: true } });
      if (!u) throw new AppError("NOT_FOUND", "errors.notFound");
      if (u.lockedAt) throw new AppError("INVALID_STATE", "errors.noChange");
      const now = this.clock();
      await tx.user.update({ where: { id: u.id }, data: { lockedAt: now } });
      await tx.userSession.updateMany({ where: { userId: u.id, revokedAt: null }, data: { revokedAt: now } });
      await new AuditLogger(this.meta).log(tx, null, {
        action: "admin.user.locked",
        actorUserId: admin.userId,
        actorEmail: admin.email,
        targetType: "user",
        targetId: u.id,
        metadata: { user: u.email },
      });
      return { userId: u.id, locked: true as const };
    });
  }

  async unlock(admin: SessionUser, userId: string): Promise<{ userId: string; locked: false }> {
    return platformDb.run(async (tx) => {
      const u = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, lockedAt: true } });
      if (!u) throw new AppError("NOT_FOUND", "errors.notFound");
      if (!u.lockedAt) throw new AppError("INVALID_STATE", "errors.noChange");
      await tx.user.update({ where: { id: u.id }, data: { lockedAt: null } });
      await new AuditLogger(this.meta).log(tx, null, {
        action: "admin.user.unlocked",
        actorUserId: admin.userId,
        actorEmail: admin.email,
        targetType: "user",
        targetId: u.id,
        metadata: { user: u.email },
      });
      return { userId: u.id, locked: false as const };
    });
  }

  /**
   * The current password stops working (sign-in is refused until a reset), every session ends,
   * and a reset link is emailed for the host the user signs in on (a workspace, or the apex for
   * platform admins).
   */
  async forcePasswordReset(admin: SessionUser, userId: string): Promise<{ userId: string; emailed: boolean }> {
    const user = await platformDb.run(async (tx) => {
      const u = await tx.user.findUnique({
        where: { id: userId },
        select: {
          id: true,
          email: true,
          name: true,
          locale: true,
          isPlatformAdmin: true,
          memberships: { where: { status: "active" }, select: { tenant: { select: { slug: true } } }, take: 1 },
        },
      });
      if (!u) throw new AppError("NOT_FOUND", "errors.notFound");
      const now = this.clock();
      await tx.user.update({ where: { id: u.id }, data: { passwordResetRequired: true } });
      await tx.userSession.updateMany({ where: { userId: u.id, revokedAt: null }, data: { revokedAt: now } });
      await new AuditLogger(this.meta).log(tx, null, {
        action: "admin.user.password_reset_forced",
        actorUserId: admin.userId,
        actorEmail: admin.email,
        targetType: "user",
        targetId: u.id,
        metadata: { user: u.email },
      });
      return u;
    });
    const scope = await this.homeScope(user.isPlatformAdmin, user.memberships[0]?.tenant.slug);
    if (scope) await new AuthService(this.meta, this.clock).sendResetLink(scope, user, user.locale === "km" ? "km" : "en");
    return { userId: user.id, emailed: scope !== null };
  }

  private async homeScope(isPlatformAdmin: boolean, slug: string | undefined): Promise<HostScope | null> {
    const root = getEnv().APP_ROOT_DOMAIN;
    if (isPlatformAdmin) return { kind: "apex", hostname: root };
    if (!slug) return null;
    const tenant = await findTenantBySlug(slug);
    return tenant ? { kind: "tenant", hostname: `${slug}.${root}`, tenant } : null;
  }
}
