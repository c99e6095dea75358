import "server-only";
import { PlanGate } from "../subscriptions/plan-gate";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { AppError } from "@/server/core/errors";
import { tenantAudit } from "@/server/audit/audit-logger";
import type { TenantContext } from "@/server/core/tenant-context";
import type { createRoleSchema, updateRoleSchema } from "@/lib/schemas/roles";

export interface RoleRow {
  id: string;
  key: string;
  name: string;
  description: string | null;
  isSystem: boolean;
  permissions: string[];
  members: number;
}

const select = {
  id: true,
  key: true,
  name: true,
  description: true,
  isSystem: true,
  permissions: { select: { permissionCode: true } },
  _count: { select: { memberships: true } },
} as const;

function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 30);
  return `custom-${base || "role"}-${randomUUID().slice(0, 6)}`;
}

/**
 * Default roles are fixed (system); custom roles are built from the permission catalog. A
 * member's permissions are loaded on every request, so an edit applies on their next click.
 */
export class RoleService {
  constructor(private readonly ctx: TenantContext) {}

  /** Nobody builds a role with permissions they do not hold themselves (no self-escalation). */
  private assertGrantable(codes: readonly string[]): void {
    const missing = codes.filter((c) => !this.ctx.permissions.has(c as never));
    if (missing.length > 0) throw new AppError("FORBIDDEN", "errors.cannotGrantPermission", { permission: missing.join(", ") });
  }

  async list(): Promise<RoleRow[]> {
    const rows = await this.ctx.db.run((tx) =>
      tx.role.findMany({ where: { tenantId: this.ctx.tenantId }, select, orderBy: [{ isSystem: "desc" }, { createdAt: "asc" }] }),
    );
    return rows.map(({ permissions, _count, ...r }) => ({
      ...r,
      permissions: permissions.map((p) => p.permissionCode),
      members: _count.memberships,
    }));
  }

  async create(input: z.output<typeof createRoleSchema>): Promise<RoleRow> {
    this.assertGrantable(input.permissions);
    const id = await this.ctx.db.run(async (tx) => {
      await new PlanGate(this.ctx).assertFeature(tx, "custom_roles");
      const role = await tx.role.create({
        data: {
          tenantId: this.ctx.tenantId,
          key: slugify(input.name),
          name: input.name,
          description: input.description ?? null,
          isSystem: false,
        },
        select: { id: true, key: true },
      });
      const codes = [...new Set(input.permissions)];
      await tx.rolePermission.createMany({
        data: codes.map((permissionCode) => ({ tenantId: this.ctx.tenantId, roleId: role.id, permissionCode })),
      });
      await tenantAudit(this.ctx).log(tx, {
        action: "role.created",
        targetType: "role",
        targetId: role.id,
        metadata: { after: { name: input.name, permissions: codes } },
      });
      return role.id;
    });
    return this.get(id);
  }

  async update(input: z.output<typeof updateRoleSchema>): Promise<RoleRow> {
    this.assertGrantable(input.permissions);
    await this.ctx.db.run(async (tx) => {
      const role = await tx.role.findUnique({ where: { id: input.roleId }, select });
      if (!role) throw new AppError("NOT_FOUND", "errors.notFound");
      if (role.isSystem) throw new AppError("INVALID_STATE", "errors.systemRoleReadOnly");
      const codes = [...new Set(input.permissions)];
      await tx.role.update({ where: { id: role.id }, data: { name: input.name, description: input.description ?? null } });
      await tx.rolePermission.deleteMany({ where: { roleId: role.id } });
      await tx.rolePermission.createMany({
        data: codes.map((permissionCode) => ({ tenantId: this.ctx.tenantId, roleId: role.id, permissionCode })),
      });
      await tenantAudit(this.ctx).log(tx, {
        action: "role.updated",
        targetType: "role",
        targetId: role.id,
        metadata: {
          before: { name: role.name, permissions: role.permissions.map((p) => p.permissionCode) },
          after: { name: input.name, permissions: codes },
        },
      });
    });
    return this.get(input.roleId);
  }

  async delete(roleId: string): Promise<{ deleted: string }> {
    return this.ctx.db.run(async (tx) => {
      const role = await tx.role.findUnique({
        where: { id: roleId },
        select: { ...select, _count: { select: { memberships: true, invitations: { where: { acceptedAt: null, revokedAt: null } } } } },
      });
      if (!role) throw new AppError("NOT_FOUND", "errors.notFound");
      if (role.isSystem) throw new AppError("INVALID_STATE", "errors.systemRoleReadOnly");
      // members and pending invitations both hold the role: deleting it would silently drop them
      const holders = role._count.memberships + role._count.invitations;
      if (holders > 0) throw new AppError("INVALID_STATE", "errors.roleInUse", { count: holders });
      await tx.role.delete({ where: { id: role.id } });
      await tenantAudit(this.ctx).log(tx, {
        action: "role.deleted",
        targetType: "role",
        targetId: role.id,
        metadata: { before: { name: role.name, permissions: role.permissions.map((p) => p.permissionCode) } },
      });
      return { deleted: role.id };
    });
  }

  private async get(id: string): Promise<RoleRow> {
    const role = (await this.list()).find((r) => r.id === id);
    if (!role) throw new AppError("NOT_FOUND", "errors.notFound");
    return role;
  }
}
