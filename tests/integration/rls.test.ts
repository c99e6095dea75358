// Row-level security, proved with plain SQL as the application role (what the app connects
// as): tenant rows are invisible and unwritable unless the transaction names their tenant
// (app.tenant_id) or platform mode (app.platform = 'on'). Also guards future tables: any
// table with a "tenantId" column must have RLS enabled, forced and a policy.

import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** Tenant-owned tables, as protected by the *_row_level_security migration. */
const TENANT_TABLES = [
  "AuditLog",
  "Contract",
  "ExchangeRate",
  "FeatureFlagOverride",
  "File",
  "Invitation",
  "InvoiceRun",
  "Membership",
  "MeterReading",
  "OutboundMessage",
  "OutboxEvent",
  "Payment",
  "Property",
  "PropertyPhoto",
  "RentCharge",
  "RentInvoice",
  "RentInvoiceLine",
  "Renter",
  "RenterLoginCode",
  "RenterSession",
  "Role",
  "RolePermission",
  "Subscription",
  "SubscriptionInvoice",
  "SuppressedAddress",
  "TelegramLinkToken",
  "TenantTemplate",
  "Unit",
  "WebhookEvent",
  "WorkspaceTelegramBot",
];

/**
 * Tables that carry a "tenantId" but are deliberately global (read before any tenant is
 * known). Adding a table here needs a reason; the default for a new table is RLS.
 */
const GLOBAL_TABLES_WITH_TENANT_ID: Record<string, string> = {
  UserSession: "looked up by id on every request before the tenant is resolved; tenantId only records the host it was issued for",
};

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });

async function tx<T>(settings: { tenant?: string; platform?: boolean }, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    if (settings.tenant) await client.query("SELECT set_config('app.tenant_id', $1, true)", [settings.tenant]);
    if (settings.platform) await client.query("SELECT set_config('app.platform', 'on', true)");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

interface Seeded {
  tenantId: string;
  roleId: string;
  membershipIds: string[];
}

const userIds = [randomUUID(), randomUUID()];
let a: Seeded;
let b: Seeded;

async function seedTenant(label: string): Promise<Seeded> {
  const tenantId = randomUUID();
  const roleId = randomUUID();
  const suffix = tenantId.slice(0, 8);
  // Tenant has no RLS: the app role creates it without a tenant context.
  await pool.query(`INSERT INTO "Tenant" (id, slug, name, "updatedAt") VALUES ($1, $2, $3, now())`, [
    tenantId,
    `rls-${label}-${suffix}`,
    `RLS ${label}`,
  ]);
  const membershipIds = userIds.map(() => randomUUID());
  await tx({ tenant: tenantId }, async (c) => {
    await c.query(`INSERT INTO "Role" (id, "tenantId", key, name, "updatedAt") VALUES ($1, $2, 'owner', 'Owner', now())`, [
      roleId,
      tenantId,
    ]);
    for (const [i, userId] of userIds.entries()) {
      await c.query(`INSERT INTO "Membership" (id, "tenantId", "userId", "roleId", "updatedAt") VALUES ($1, $2, $3, $4, now())`, [
        membershipIds[i],
        tenantId,
        userId,
        roleId,
      ]);
    }
  });
  return { tenantId, roleId, membershipIds };
}

beforeAll(async () => {
  for (const [i, id] of userIds.entries()) {
    await pool.query(`INSERT INTO "User" (id, email, name, "updatedAt") VALUES ($1, $2, $3, now())`, [
      id,
      `rls-${i}-${id}@example.test`,
      `RLS user ${i}`,
    ]);
  }
  a = await seedTenant("a");
  b = await seedTenant("b");
});

afterAll(async () => {
  // Tenant deletion cascades to roles and memberships (foreign keys are not subject to RLS).
  await pool.query(`DELETE FROM "Tenant" WHERE id = ANY($1::uuid[])`, [[a?.tenantId, b?.tenantId].filter(Boolean)]);
  await pool.query(`DELETE FROM "User" WHERE id = ANY($1::uuid[])`, [userIds]);
  await pool.end();
});

describe("row-level security as the application role", () => {
  it("connects as a role subject to RLS", async () => {
    const { rows } = await pool.query(`SELECT current_user AS u, rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user`);
    expect(rows).toEqual([{ u: "phteah_app", rolbypassrls: false, rolsuper: false }]);
  });

  it("shows no tenant rows when no tenant is set", async () => {
    expect((await pool.query(`SELECT * FROM "Membership"`)).rowCount).toBe(0);
    expect((await pool.query(`SELECT * FROM "Role"`)).rowCount).toBe(0);
    // global tables stay readable
    expect((await pool.query(`SELECT id FROM "Tenant" WHERE id = $1`, [a.tenantId])).rowCount).toBe(1);
  });

  it("shows only the current tenant's rows", async () => {
    const rows = await tx(
      { tenant: a.tenantId },
      async (c) => (await c.query<{ id: string; tenantId: string }>(`SELECT id, "tenantId" FROM "Membership"`)).rows,
    );
    expect(rows.map((r) => r.id).sort()).toEqual([...a.membershipIds].sort());
    expect(new Set(rows.map((r) => r.tenantId))).toEqual(new Set([a.tenantId]));
    const roles = await tx({ tenant: b.tenantId }, async (c) => (await c.query<{ id: string }>(`SELECT id FROM "Role"`)).rows);
    expect(roles.map((r) => r.id)).toEqual([b.roleId]);
  });

  it("keeps the tenant setting inside its transaction (pooled connections start clean)", async () => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.tenant_id', $1, true)", [a.tenantId]);
      expect((await client.query(`SELECT 1 FROM "Membership"`)).rowCount).toBe(a.membershipIds.length);
      await client.query("COMMIT");
      expect((await client.query(`SELECT 1 FROM "Membership"`)).rowCount).toBe(0);
    } finally {
      client.release();
    }
  });

  it("rejects writing another tenant's row (WITH CHECK)", async () => {
    const insertForB = tx({ tenant: a.tenantId }, (c) =>
      c.query(`INSERT INTO "Membership" (id, "tenantId", "userId", "roleId", "updatedAt") VALUES ($1, $2, $3, $4, now())`, [
        randomUUID(),
        b.tenantId,
        userIds[0],
        b.roleId,
      ]),
    );
    await expect(insertForB).rejects.toThrow(/row-level security/);

    const moveToB = tx({ tenant: a.tenantId }, (c) =>
      c.query(`UPDATE "Membership" SET "tenantId" = $1 WHERE id = $2`, [b.tenantId, a.membershipIds[0]]),
    );
    await expect(moveToB).rejects.toThrow(/row-level security/);
  });

  it("rejects tenant writes when no tenant is set", async () => {
    await expect(
      pool.query(`INSERT INTO "Role" (id, "tenantId", key, name, "updatedAt") VALUES ($1, $2, 'x', 'X', now())`, [
        randomUUID(),
        a.tenantId,
      ]),
    ).rejects.toThrow(/row-level security/);
    expect((await pool.query(`DELETE FROM "Membership" WHERE "tenantId" = $1`, [a.tenantId])).rowCount).toBe(0);
  });

  it("cannot update or delete another tenant's rows (they are invisible)", async () => {
    const result = await tx({ tenant: a.tenantId }, async (c) => ({
      updated: (await c.query(`UPDATE "Role" SET name = 'hijacked' WHERE id = $1`, [b.roleId])).rowCount,
      deleted: (await c.query(`DELETE FROM "Membership" WHERE "tenantId" = $1`, [b.tenantId])).rowCount,
    }));
    expect(result).toEqual({ updated: 0, deleted: 0 });
  });

  it("shows every tenant's rows in platform mode", async () => {
    const ids = await tx({ platform: true }, async (c) =>
      (
        await c.query<{ id: string }>(`SELECT id FROM "Membership" WHERE "tenantId" = ANY($1::uuid[])`, [[a.tenantId, b.tenantId]])
      ).rows.map((r) => r.id),
    );
    expect(ids.sort()).toEqual([...a.membershipIds, ...b.membershipIds].sort());
  });
});

describe("RLS coverage of the schema", () => {
  async function tablesWithTenantId() {
    const { rows } = await pool.query<{ table: string; rls: boolean; forced: boolean; policies: string[] }>(`
      SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
             COALESCE((SELECT array_agg(p.policyname::text ORDER BY p.policyname) FROM pg_policies p
                        WHERE p.schemaname = n.nspname AND p.tablename = c.relname), '{}') AS policies
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
         AND EXISTS (SELECT 1 FROM pg_attribute att
                      WHERE att.attrelid = c.oid AND att.attname = 'tenantId' AND NOT att.attisdropped)
       ORDER BY c.relname`);
    return rows;
  }

  it('enables, forces and has a policy on every table with a "tenantId" column', async () => {
    const unprotected = (await tablesWithTenantId())
      .filter((t) => !(t.table in GLOBAL_TABLES_WITH_TENANT_ID))
      .filter((t) => !t.rls || !t.forced || t.policies.length === 0)
      .map((t) => `${t.table} (rls=${t.rls}, forced=${t.forced}, policies=${t.policies.length})`);
    expect(
      unprotected,
      "tables with a tenantId but without complete row-level security: add ENABLE + FORCE ROW LEVEL SECURITY and a tenant_isolation policy in a migration",
    ).toEqual([]);
  });

  it("protects exactly the tenant tables, each with the tenant_isolation policy", async () => {
    const protectedTables = (await tablesWithTenantId()).filter((t) => t.rls);
    expect(protectedTables.map((t) => t.table)).toEqual(TENANT_TABLES);
    for (const t of protectedTables) expect(t.policies, t.table).toEqual(["tenant_isolation"]);
  });

  it("agrees with TENANT_MODELS of the tenant-scoped Prisma handle", async () => {
    const { TENANT_MODELS } = await import("@/server/db/tenant-db");
    expect([...TENANT_MODELS].sort()).toEqual(TENANT_TABLES);
  });
});
