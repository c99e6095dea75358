import "server-only";
import type { z } from "zod";
import { Prisma } from "@/server/db/generated/client";
import { AppError } from "@/server/core/errors";
import { escapeLike } from "@/server/audit/audit-query";
import { inPageOrder, pageStatement } from "@/server/properties/list-queries";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { TenantContext } from "@/server/core/tenant-context";
import type { DbTx } from "@/server/db/tenant-db";
import type { changeMemberRoleSchema, listMembersSchema, setMemberStatusSchema } from "@/lib/schemas/members";
import { asEnumValue, MEMBERSHIP_STATUS_VALUES } from "@/lib/enums";

export interface MemberRow {
  id: string;
  userId: string;
  name: string;
  email: string;
  status: "active" | "deactivated";
  role: { id: string; key: string; name: string };
  createdAt: Date;
  isYou: boolean;
  /** whether the caller may change, deactivate or remove this member (the role hierarchy) */
  canManage: boolean;
}

export interface RoleOption {
  id: string;
  key: string;
  name: string;
  /** whether the caller may hand this role out (it holds every permission in it; owner only by owners) */
  grantable: boolean;
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
  status: string;
  createdAt: Date;
  user: { name: string; email: string };
  role: { id: string; key: string; name: string };
};

/** A role may only be handed out by someone who holds every permission in it. */
export async function assertCanGrantRole(tx: DbTx, ctx: TenantContext, roleId: string): Promise<void> {
  const codes = await tx.rolePermission.findMany({ where: { tenantId: ctx.tenantId, roleId }, select: { permissionCode: true } });
  const missing = codes.map((c) => c.permissionCode).filter((c) => !ctx.permissions.has(c as never));
  if (missing.length > 0) throw new AppError("FORBIDDEN", "errors.cannotGrantPermission", { permission: missing.join(", ") });
}

/**
 * The role hierarchy, for every action on another member (deactivate, reactivate, change role,
 * remove — which also ends their sessions): an owner acts on anyone; nobody else acts on an
 * owner; a non-owner acts only on members whose permissions are all among its own, so nobody
 * can deactivate, demote or remove someone with more power than they have.
 */
export async function assertMayActOn(tx: DbTx, ctx: TenantContext, target: { role: { id: string; key: string } }): Promise<void> {
  if (ctx.roleKey === "owner") return;
  if (target.role.key === "owner") throw new AppError("FORBIDDEN", "errors.onlyOwnerActsOnOwner");
  const codes = await tx.rolePermission.findMany({
    where: { tenantId: ctx.tenantId, roleId: target.role.id },
    select: { permissionCode: true },
  });
  if (!holdsAll(ctx, codes)) throw new AppError("FORBIDDEN", "errors.memberOutranksYou");
}

function holdsAll(ctx: TenantContext, codes: readonly { permissionCode: string }[]): boolean {
  return codes.every((c) => ctx.permissions.has(c.permissionCode as never));
}

/** The ids of the tenant's roles whose members the caller may act on, and of those it may hand out. */
async function reach(tx: DbTx, ctx: TenantContext): Promise<{ actOn: Set<string>; grant: Set<string> }> {
  const roles = await tx.role.findMany({
    where: { tenantId: ctx.tenantId },
    select: { id: true, key: true, permissions: { select: { permissionCode: true } } },
  });
  const isOwner = ctx.roleKey === "owner";
  const actOn = new Set<string>();
  const grant = new Set<string>();
  if (!ctx.permissions.has("members.manage")) return { actOn, grant };
  for (const r of roles) {
    const within = holdsAll(ctx, r.permissions);
    if (isOwner || (r.key !== "owner" && within)) actOn.add(r.id);
    if ((isOwner || r.key !== "owner") && within) grant.add(r.id);
  }
  return { actOn, grant };
}

/**
 * The members list's page statement (ids, LIMIT limit + 1), shared with the plan test: keyset on id
 * over `(tenantId, id)` or `(tenantId, status, id)`, both LEAKPROOF index conditions under row-level
 * security. The search (ILIKE on the user's name and e-mail) filters that walk.
 */
export function memberPageQuery(tenantId: string, input: z.output<typeof listMembersSchema>): Prisma.Sql {
  const c: Prisma.Sql[] = [Prisma.sql`m."tenantId" = ${tenantId}::uuid`];
  // an untyped parameter takes the column's type: the column's own equality, no cast on it
  if (input.status) c.push(Prisma.sql`m.status = ${input.status}`);
  const like = input.search ? `%${escapeLike(input.search)}%` : null;
  // ordered by id alone, the cursor is the last row's id (the whole key)
  if (input.cursor) c.push(Prisma.sql`m.id > ${input.cursor}::uuid`);
  return pageStatement({
    table: "Membership",
    alias: "m",
    select: Prisma.sql`m.id::text AS id`,
    where: c,
    search: like
      ? Prisma.sql`EXISTS (SELECT 1 FROM "User" u WHERE u.id = m."userId" AND (u.name ILIKE ${like} OR u.email ILIKE ${like}))`
      : null,
    // the equality columns lead the ORDER BY (same order: they are fixed) so the planner walks the
    // (tenantId[, status], id) index instead of the primary key filtered by tenant
    order: input.status ? Prisma.sql`m."tenantId", m.status, m.id ASC` : Prisma.sql`m."tenantId", m.id ASC`,
    limit: input.limit + 1,
  });
}

export class MemberService {
  constructor(private readonly ctx: TenantContext) {}

  async list(input: z.output<typeof listMembersSchema>): Promise<{ items: MemberRow[]; nextCursor: string | null }> {
    const sql = memberPageQuery(this.ctx.tenantId, input);
    const [keys, rows, { actOn }] = await this.ctx.db.run(async (tx) => {
      const keys = await tx.$queryRaw<Array<{ id: string }>>(sql);
      const ids = keys.slice(0, input.limit).map((r) => r.id);
      return [keys, await tx.membership.findMany({ where: { id: { in: ids } }, select: memberSelect }), await reach(tx, this.ctx)] as const;
    });
    const page = keys.slice(0, input.limit);
    const nextCursor = keys.length > input.limit ? (page[page.length - 1]?.id ?? null) : null;
    return {
      items: inPageOrder(
        page.map((r) => r.id),
        rows,
      ).map((m) => this.toRow(m, actOn)),
      nextCursor,
    };
  }

  private toRow(m: SelectedMember, actOn: ReadonlySet<string>): MemberRow {
    const { user, ...rest } = m;
    const isYou = m.userId === this.ctx.userId;
    return {
      ...rest,
      status: asEnumValue(MEMBERSHIP_STATUS_VALUES, m.status),
      name: user.name,
      email: user.email,
      isYou,
      canManage: !isYou && actOn.has(m.role.id),
    };
  }

  private async rowOf(tx: DbTx, m: SelectedMember): Promise<MemberRow> {
    return this.toRow(m, (await reach(tx, this.ctx)).actOn);
  }

  async roles(): Promise<RoleOption[]> {
    return this.ctx.db.run(async (tx) => {
      const roles = await tx.role.findMany({
        where: { tenantId: this.ctx.tenantId },
        select: { id: true, key: true, name: true },
        orderBy: { createdAt: "asc" },
      });
      const { grant } = await reach(tx, this.ctx);
      return roles.map((r) => ({ ...r, grantable: grant.has(r.id) }));
    });
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
      // changing your own role would let a member pick any role they can see; owners may step
      // down (the last-owner rule still applies), everyone else asks an owner or admin
      if (member.userId === this.ctx.userId && member.role.key !== "owner") throw new AppError("INVALID_STATE", "errors.cannotChangeSelf");
      // acting on someone who outranks you, or making someone an owner, is refused before anything else
      await assertMayActOn(tx, this.ctx, member);
      if (role.key === "owner" && this.ctx.roleKey !== "owner") throw new AppError("FORBIDDEN", "errors.onlyOwnerCanGrantOwner");
      await assertCanGrantRole(tx, this.ctx, role.id);
      if (member.role.key === "owner" && role.key !== "owner") await this.assertNotLastOwner(tx, member.id);
      const updated = await tx.membership.update({ where: { id: member.id }, data: { roleId: role.id }, select: memberSelect });
      await tenantAudit(this.ctx).log(tx, {
        action: "membership.role_changed",
        targetType: "membership",
        targetId: member.id,
        metadata: { before: { role: member.role.key }, after: { role: role.key }, user: member.user.email },
      });
      return this.rowOf(tx, updated);
    });
  }

  async setStatus(input: z.output<typeof setMemberStatusSchema>): Promise<MemberRow> {
    return this.ctx.db.run(async (tx) => {
      const member = await tx.membership.findUnique({ where: { id: input.membershipId }, select: memberSelect });
      if (!member) throw new AppError("NOT_FOUND", "errors.notFound");
      if (member.userId === this.ctx.userId) throw new AppError("INVALID_STATE", "errors.cannotChangeSelf");
      await assertMayActOn(tx, this.ctx, member);
      if (member.status === input.status) throw new AppError("INVALID_STATE", "errors.noChange");
      if (input.status === "deactivated" && member.role.key === "owner") await this.assertNotLastOwner(tx, member.id);
      const updated = await tx.membership.update({ where: { id: member.id }, data: { status: input.status }, select: memberSelect });
      await tenantAudit(this.ctx).log(tx, {
        action: "membership.status_changed",
        targetType: "membership",
        targetId: member.id,
        metadata: { before: { status: member.status }, after: { status: input.status }, user: member.user.email },
      });
      return this.rowOf(tx, updated);
    });
  }

  /** Removes the membership (the user account stays) and ends their sessions on this workspace. */
  async remove(membershipId: string): Promise<{ removed: string }> {
    return this.ctx.db.run(async (tx) => {
      const member = await tx.membership.findUnique({ where: { id: membershipId }, select: memberSelect });
      if (!member) throw new AppError("NOT_FOUND", "errors.notFound");
      if (member.userId === this.ctx.userId) throw new AppError("INVALID_STATE", "errors.cannotChangeSelf");
      await assertMayActOn(tx, this.ctx, member);
      if (member.role.key === "owner") await this.assertNotLastOwner(tx, member.id);
      await tx.membership.delete({ where: { id: member.id } });
      await tx.userSession.updateMany({
        where: { userId: member.userId, tenantId: this.ctx.tenantId, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      await tenantAudit(this.ctx).log(tx, {
        action: "membership.removed",
        targetType: "membership",
        targetId: member.id,
        metadata: { before: { role: member.role.key, status: member.status }, user: member.user.email },
      });
      return { removed: member.id };
    });
  }

  /** The owner hands ownership to an active member and becomes an admin, in one step. */
  async transferOwnership(membershipId: string): Promise<MemberRow> {
    if (this.ctx.roleKey !== "owner") throw new AppError("FORBIDDEN", "errors.onlyOwnerCanGrantOwner");
    return this.ctx.db.run(async (tx) => {
      const target = await tx.membership.findUnique({ where: { id: membershipId }, select: memberSelect });
      if (!target || target.status !== "active") throw new AppError("NOT_FOUND", "errors.notFound");
      if (target.userId === this.ctx.userId || target.role.key === "owner") throw new AppError("INVALID_STATE", "errors.noChange");
      const roles = await tx.role.findMany({
        where: { tenantId: this.ctx.tenantId, key: { in: ["owner", "admin"] } },
        select: { id: true, key: true },
      });
      const ownerRole = roles.find((r) => r.key === "owner");
      const adminRole = roles.find((r) => r.key === "admin");
      if (!ownerRole || !adminRole) throw new AppError("INVALID_STATE", "errors.noChange");
      const updated = await tx.membership.update({ where: { id: target.id }, data: { roleId: ownerRole.id }, select: memberSelect });
      await tx.membership.update({ where: { id: this.ctx.membershipId }, data: { roleId: adminRole.id } });
      await tenantAudit(this.ctx).log(tx, {
        action: "membership.ownership_transferred",
        targetType: "membership",
        targetId: target.id,
        metadata: { from: this.ctx.userEmail, to: target.user.email, before: { role: target.role.key }, after: { role: "owner" } },
      });
      return this.rowOf(tx, updated);
    });
  }
}
