import "server-only";
import type { z } from "zod";
import { AppError } from "@/server/errors";
import { tenantAudit } from "@/server/services/audit-logger";
import type { TenantContext } from "@/server/services/tenant-context";
import type { DbTx } from "@/server/db/tenant-db";
import type { changeMemberRoleSchema, listMembersSchema, setMemberStatusSchema } from "@/lib/schemas/members";

export interface MemberRow {
  id: string;
  userId: string;
  name: string;
  email: string;
  status: "active" | "deactivated";
  role: { id: string; key: string; name: string };
  createdAt: Date;
  isYou: boolean;
}

const memberSelect = {
  id: true,
  userId: true,
  status: true,
  createdAt: true,
  user: { select: { name: true, email: true } },
  role: { select: { id: true, key: true, name: true } },
} as const;

type SelectedMember = {
  id: string;
  userId: string;
  status: "active" | "deactivated";
  createdAt: Date;
  user: { name: string; email: string };
  role: { id: string; key: string; name: string };
};

export class MemberService {
  constructor(private readonly ctx: TenantContext) {}

  async list(input: z.output<typeof listMembersSchema>): Promise<{ items: MemberRow[]; nextCursor: string | null }> {
    const rows = await this.ctx.db.run((tx) =>
      tx.membership.findMany({
        where: {
          tenantId: this.ctx.tenantId,
          status: input.status,
          ...(input.search
            ? {
                user: {
                  OR: [
                    { name: { contains: input.search, mode: "insensitive" } },
                    { email: { contains: input.search, mode: "insensitive" } },
                  ],
                },
              }
            : {}),
        },
        select: memberSelect,
        orderBy: { id: "asc" },
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      }),
    );
    const page = rows.slice(0, input.limit);
    return {
      items: page.map((m) => this.toRow(m)),
      nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
    };
  }

  private toRow(m: SelectedMember): MemberRow {
    const { user, ...rest } = m;
    return { ...rest, name: user.name, email: user.email, isYou: m.userId === this.ctx.userId };
  }

  async roles(): Promise<{ id: string; key: string; name: string }[]> {
    return this.ctx.db.run((tx) =>
      tx.role.findMany({
        where: { tenantId: this.ctx.tenantId },
        select: { id: true, key: true, name: true },
        orderBy: { createdAt: "asc" },
      }),
    );
  }

  /** The last active owner can be neither demoted nor deactivated. */
  private async assertNotLastOwner(tx: DbTx, membershipId: string): Promise<void> {
    // serialise owner changes per tenant so two concurrent demotions cannot both pass
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`owners:${this.ctx.tenantId}`}))`;
    const owners = await tx.membership.findMany({
      where: { tenantId: this.ctx.tenantId, status: "active", role: { key: "owner" } },
      select: { id: true },
      take: 2,
    });
    if (owners.length === 1 && owners[0]!.id === membershipId) throw new AppError("INVALID_STATE", "errors.lastOwner");
  }

  async changeRole(input: z.output<typeof changeMemberRoleSchema>): Promise<MemberRow> {
    return this.ctx.db.run(async (tx) => {
      const member = await tx.membership.findUnique({ where: { id: input.membershipId }, select: memberSelect });
      if (!member) throw new AppError("NOT_FOUND", "errors.notFound");
      const role = await tx.role.findUnique({ where: { id: input.roleId }, select: { id: true, key: true, name: true } });
      if (!role) throw new AppError("NOT_FOUND", "errors.notFound");
      if (member.role.key === "owner" && role.key !== "owner") await this.assertNotLastOwner(tx, member.id);
      if (role.key === "owner" && !this.ctx.permissions.has("billing.manage")) {
        // only owners hold billing.manage; making someone an owner is an owner's decision
        throw new AppError("FORBIDDEN", "errors.onlyOwnerCanGrantOwner");
      }
      const updated = await tx.membership.update({ where: { id: member.id }, data: { roleId: role.id }, select: memberSelect });
      await tenantAudit(this.ctx).log(tx, {
        action: "membership.role_changed",
        targetType: "membership",
        targetId: member.id,
        metadata: { before: { role: member.role.key }, after: { role: role.key }, user: member.user.email },
      });
      return this.toRow(updated);
    });
  }

  async setStatus(input: z.output<typeof setMemberStatusSchema>): Promise<MemberRow> {
    return this.ctx.db.run(async (tx) => {
      const member = await tx.membership.findUnique({ where: { id: input.membershipId }, select: memberSelect });
      if (!member) throw new AppError("NOT_FOUND", "errors.notFound");
      if (member.userId === this.ctx.userId) throw new AppError("INVALID_STATE", "errors.cannotChangeSelf");
      if (member.status === input.status) throw new AppError("INVALID_STATE", "errors.noChange");
      if (input.status === "deactivated" && member.role.key === "owner") await this.assertNotLastOwner(tx, member.id);
      const updated = await tx.membership.update({ where: { id: member.id }, data: { status: input.status }, select: memberSelect });
      await tenantAudit(this.ctx).log(tx, {
        action: "membership.status_changed",
        targetType: "membership",
        targetId: member.id,
        metadata: { before: { status: member.status }, after: { status: input.status }, user: member.user.email },
      });
      return this.toRow(updated);
    });
  }
}
