// `db migrate` (scripts/db/grants.ts syncPermissionCatalog) keeps the system roles of existing
// workspaces equal to DEFAULT_ROLES: a permission added to the catalog after a workspace was
// created (messages.manage, templates.manage…) reaches its owner/admin roles, a code dropped from
// a default role leaves it, custom roles and other workspaces are left alone, and a second run
// changes nothing. Checked through the real permission middleware, not only the rows.
import { describe, expect, it } from "vitest";
import { DEFAULT_ROLES, type DefaultRoleKey } from "@/lib/permissions";
import { TenantDb } from "@/server/db/tenant-db";
import { createTenant, uniqueSlug, type CreatedTenant } from "@/server/testing/factories";
import { syncPermissionCatalog } from "@/scripts/db/grants";
import { createRole, expectTRPCError, hostOf, signedIn } from "./support/world";

const migrationUrl = process.env.DATABASE_MIGRATION_URL!;
const appUrl = process.env.DATABASE_URL!;

const NEW_CODES = ["messages.manage", "templates.manage"];

async function grantsOf(t: CreatedTenant): Promise<Record<string, string[]>> {
  const rows = await new TenantDb(t.tenantId).run((tx) =>
    tx.rolePermission.findMany({ select: { permissionCode: true, role: { select: { key: true } } } }),
  );
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.role.key] ??= []).push(r.permissionCode);
  for (const key of Object.keys(out)) out[key]!.sort();
  return out;
}

const expectedDefaults = (key: DefaultRoleKey) => [...DEFAULT_ROLES[key]].sort();

/** A workspace as it looked before NEW_CODES existed, plus a stale extra grant on its viewer role. */
async function oldWorkspace(): Promise<{ t: CreatedTenant; customKey: string }> {
  const t = await createTenant({ slug: uniqueSlug() });
  const customKey = `night-desk-${t.slug}`;
  await createRole(t.tenantId, customKey, ["workspace.view", "messages.view"]);
  await new TenantDb(t.tenantId).run(async (tx) => {
    await tx.rolePermission.deleteMany({ where: { roleId: { in: [t.roles.owner, t.roles.admin] }, permissionCode: { in: NEW_CODES } } });
    await tx.rolePermission.create({ data: { tenantId: t.tenantId, roleId: t.roles.viewer, permissionCode: "members.manage" } });
  });
  return { t, customKey };
}

describe("db migrate: system roles of existing workspaces follow DEFAULT_ROLES", () => {
  it("grants newly added default permissions to existing owner/admin roles, once, and nothing else", async () => {
    const { t, customKey } = await oldWorkspace();
    const control = await createTenant({ slug: uniqueSlug() });
    const controlBefore = await grantsOf(control);

    const before = await grantsOf(t);
    expect(before.owner).not.toContain("messages.manage");
    expect(before.admin).not.toContain("templates.manage");
    expect(before.viewer).toContain("members.manage");

    // The real permission check refuses the owner before the sync…
    const owner = await signedIn(t.owner.userId, hostOf(t.slug));
    await expectTRPCError(owner.messages.suppress({ address: `nobody@${t.slug}.test` }), "FORBIDDEN");

    const first = await syncPermissionCatalog(migrationUrl);
    // 2 codes × owner + admin added back, 1 stale viewer grant removed (at least: other files run too)
    expect(first.granted).toBeGreaterThanOrEqual(4);
    expect(first.revoked).toBeGreaterThanOrEqual(1);

    const after = await grantsOf(t);
    for (const key of Object.keys(DEFAULT_ROLES) as DefaultRoleKey[]) expect(after[key], key).toEqual(expectedDefaults(key));
    expect(after[customKey]).toEqual(["messages.view", "workspace.view"]);
    expect(await grantsOf(control)).toEqual(controlBefore);

    // …and lets the same session through on the very next call afterwards.
    await expect(owner.messages.suppress({ address: `nobody@${t.slug}.test` })).resolves.toBeDefined();

    // A second run is a no-op for this workspace.
    await syncPermissionCatalog(migrationUrl);
    expect(await grantsOf(t)).toEqual(after);
  });

  it("works for a migration role without BYPASSRLS (Role and RolePermission force row-level security)", async () => {
    const { t } = await oldWorkspace();
    // the app role has DML rights on every table but is subject to row-level security
    const result = await syncPermissionCatalog(appUrl);
    expect(result.granted).toBeGreaterThanOrEqual(4);
    const after = await grantsOf(t);
    expect(after.owner).toEqual(expectedDefaults("owner"));
    expect(after.admin).toEqual(expectedDefaults("admin"));
    expect(after.viewer).toEqual(expectedDefaults("viewer"));
  });
});
