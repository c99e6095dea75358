import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import { DEFAULT_ROLES, DEFAULT_ROLE_KEYS, type DefaultRoleKey } from "@/lib/permissions";

const ROLE_NAMES: Record<DefaultRoleKey, string> = {
  owner: "Owner",
  admin: "Admin",
  manager: "Manager",
  accountant: "Accountant",
  viewer: "Viewer",
};

/** Creates the default roles of a new tenant inside its TenantDb transaction; returns role ids by key. */
export async function createDefaultRoles(tx: DbTx, tenantId: string): Promise<Record<DefaultRoleKey, string>> {
  const ids = {} as Record<DefaultRoleKey, string>;
  for (const key of DEFAULT_ROLE_KEYS) {
    const role = await tx.role.create({ data: { tenantId, key, name: ROLE_NAMES[key], isSystem: true }, select: { id: true } });
    await tx.rolePermission.createMany({
      data: DEFAULT_ROLES[key].map((permissionCode) => ({ tenantId, roleId: role.id, permissionCode })),
    });
    ids[key] = role.id;
  }
  return ids;
}
