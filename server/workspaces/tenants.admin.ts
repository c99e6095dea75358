import "server-only";
import type { z } from "zod";
import { platformDb } from "@/server/db/platform-db";
import { AppError } from "@/server/core/errors";
import { AuditLogger } from "@/server/audit/audit-logger";
import { systemClock, type Clock, type RequestMeta } from "@/server/core/request-meta";
import type { listTenantsSchema, suspendTenantSchema } from "@/lib/schemas/admin";
import type { SessionUser } from "../core/session";
import { asEnumValue, MEMBERSHIP_STATUS_VALUES, TENANT_STATUS_VALUES, type TenantStatus } from "@/lib/enums";

export interface TenantAdminRow {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  createdAt: Date;
  members: number;
}

export interface TenantDetail extends TenantAdminRow {
  locale: string;
  timezone: string;
  suspendedAt: Date | null;
  suspendedReason: string | null;
  /** closed by its owner: deleted for good after this (deletion.admin.ts) */
  deleteAfter: Date | null;
  memberList: {
    membershipId: string;
    userId: string;
    name: string;
    email: string;
    role: string;
    roleName: string;
    status: string;
    isPlatformAdmin: boolean;
  }[];
}

const rowSelect = { id: true, slug: true, name: true, status: true, createdAt: true, _count: { select: { memberships: true } } } as const;

/** The admin console's view across tenants (platform handle). */
export class TenantAdminService {
  constructor(
    private readonly meta: RequestMeta,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Search, status filter, sort by name/slug/created; keyset paging on (sort key, id). */
  async list(input: z.output<typeof listTenantsSchema>): Promise<{ items: TenantAdminRow[]; nextCursor: string | null }> {
    const dir = input.sort.desc ? "desc" : "asc";
    const rows = await platformDb.run((tx) =>
      tx.tenant.findMany({
        where: {
          status: input.status,
          ...(input.search
            ? { OR: [{ slug: { contains: input.search, mode: "insensitive" } }, { name: { contains: input.search, mode: "insensitive" } }] }
            : {}),
        },
        select: rowSelect,
        orderBy: [{ [input.sort.id]: dir }, { id: dir }],
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      }),
    );
    const page = rows.slice(0, input.limit);
    return {
      items: page.map(({ _count, ...t }) => ({ ...t, status: asEnumValue(TENANT_STATUS_VALUES, t.status), members: _count.memberships })),
      nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
    };
  }

  async get(tenantId: string): Promise<TenantDetail> {
    return platformDb.run(async (tx) => {
      const t = await tx.tenant.findUnique({
        where: { id: tenantId },
        select: {
          ...rowSelect,
          locale: true,
          timezone: true,
          suspendedAt: true,
          suspendedReason: true,
          deleteAfter: true,
          memberships: {
            select: {
              id: true,
              status: true,
              role: { select: { key: true, name: true } },
              user: { select: { id: true, name: true, email: true, isPlatformAdmin: true } },
            },
            orderBy: { createdAt: "asc" },
            take: 200,
          },
        },
      });
      if (!t) throw new AppError("NOT_FOUND", "errors.notFound");
      const { _count, memberships, ...rest } = t;
      return {
        ...rest,
        status: asEnumValue(TENANT_STATUS_VALUES, rest.status),
        members: _count.memberships,
        memberList: memberships.map((m) => ({
          membershipId: m.id,
          userId: m.user.id,
          name: m.user.name,
          email: m.user.email,
          role: m.role.key,
          roleName: m.role.name,
          status: asEnumValue(MEMBERSHIP_STATUS_VALUES, m.status),
          isPlatformAdmin: m.user.isPlatformAdmin,
        })),
      };
    });
  }

  /** Suspension blocks the workspace (members see the suspended page); nothing is deleted. */
  async suspend(admin: SessionUser, input: z.output<typeof suspendTenantSchema>) {
    return this.setStatus(admin, input.tenantId, "suspended", input.reason);
  }

  async reactivate(admin: SessionUser, tenantId: string) {
    return this.setStatus(admin, tenantId, "active", null);
  }

  private async setStatus(admin: SessionUser, tenantId: string, status: "active" | "suspended", reason: string | null) {
    return platformDb.run(async (tx) => {
      const t = await tx.tenant.findUnique({ where: { id: tenantId }, select: { id: true, status: true, suspendedReason: true } });
      if (!t) throw new AppError("NOT_FOUND", "errors.notFound");
      if (t.status === status) throw new AppError("INVALID_STATE", "errors.noChange");
      // a workspace closed for deletion is restored through its own action (deletion.admin.ts)
      if (t.status === "closed") throw new AppError("INVALID_STATE", "workspaceDeletion.errors.closed");
      await tx.tenant.update({
        where: { id: t.id },
        data:
          status === "suspended"
            ? { status, suspendedAt: this.clock(), suspendedReason: reason }
            : { status, suspendedAt: null, suspendedReason: null },
      });
      await new AuditLogger(this.meta).log(tx, t.id, {
        action: status === "suspended" ? "admin.tenant.suspended" : "admin.tenant.reactivated",
        actorUserId: admin.userId,
        actorEmail: admin.email,
        targetType: "tenant",
        targetId: t.id,
        metadata: { before: { status: t.status, reason: t.suspendedReason }, after: { status, reason } },
      });
      return { tenantId: t.id, status };
    });
  }
}
