// Privileges of the application role and the permission catalog, both applied after
// migrations by `db migrate` (and by the test global setup).

import pg from "pg";
import { DEFAULT_ROLES, PERMISSIONS } from "@/lib/permissions";
import { DEFAULT_PLANS } from "@/lib/billing/plans";

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Lets `appRole` read and write every table, use every sequence and call every function in
 * schema public, now and for objects the migration role creates later. The app role owns
 * nothing and has no DDL rights, so row-level security always applies to it. It may read
 * but not change `_prisma_migrations`.
 */
export async function grantAppRole(migrationUrl: string, appRole: string): Promise<void> {
  await withClient(migrationUrl, async (client) => {
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [appRole]);
    if (exists.rowCount === 0) throw new Error(`Role "${appRole}" does not exist; create it (LOGIN NOSUPERUSER NOBYPASSRLS) first.`);
    const role = client.escapeIdentifier(appRole);
    const { rows } = await client.query<{ db: string }>("SELECT current_database() AS db");
    const db = client.escapeIdentifier(rows[0]!.db);
    await client.query(`
      BEGIN;
      GRANT CONNECT ON DATABASE ${db} TO ${role};
      GRANT USAGE ON SCHEMA public TO ${role};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role};
      GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role};
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${role};
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role};
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${role};
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO ${role};
      COMMIT;
    `);
    // Migration history is the migration role's business.
    const history = await client.query("SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS present");
    if (history.rows[0]?.present) {
      await client.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON TABLE public."_prisma_migrations" FROM ${role}`);
    }
  });
}

export interface CatalogSyncResult {
  upserted: number;
  removed: string[];
  /** RolePermission rows added to existing tenants' system roles (codes new to their default). */
  granted: number;
  /** RolePermission rows removed from system roles (codes no longer in their default). */
  revoked: number;
}

/**
 * Makes table "Permission" equal to PERMISSIONS in lib/permissions.ts: inserts or updates
 * every entry, deletes codes no longer in the catalog (their RolePermission rows cascade).
 *
 * Then makes every tenant's system roles (owner, admin, manager, accountant, viewer — created
 * by server/workspaces/tenant-setup.ts and read-only in the app) hold exactly DEFAULT_ROLES of
 * their key, so a permission added to the catalog (e.g. messages.manage) reaches workspaces
 * created before it. Custom roles are never touched. Idempotent; one transaction.
 */
export async function syncPermissionCatalog(migrationUrl: string): Promise<CatalogSyncResult> {
  const codes = PERMISSIONS.map((p) => p.code);
  const defaults = Object.entries(DEFAULT_ROLES).flatMap(([key, granted]) => granted.map((code) => [key, code] as const));
  const roleKeys = defaults.map(([key]) => key);
  const roleCodes = defaults.map(([, code]) => code);
  return withClient(migrationUrl, async (client) => {
    try {
      await client.query("BEGIN");
      // Role and RolePermission force row-level security, also for their owner.
      await client.query("SELECT set_config('app.platform', 'on', true)");
      await client.query(
        `INSERT INTO "Permission" (code, area, description)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
         ON CONFLICT (code) DO UPDATE SET area = EXCLUDED.area, description = EXCLUDED.description
         WHERE ("Permission".area, "Permission".description) IS DISTINCT FROM (EXCLUDED.area, EXCLUDED.description)`,
        [codes, PERMISSIONS.map((p) => p.area), PERMISSIONS.map((p) => p.description)],
      );
      const removed = await client.query<{ code: string }>(`DELETE FROM "Permission" WHERE NOT (code = ANY($1::text[])) RETURNING code`, [
        codes,
      ]);
      const granted = await client.query(
        `INSERT INTO "RolePermission" ("tenantId", "roleId", "permissionCode")
         SELECT r."tenantId", r.id, d.code
           FROM "Role" r
           JOIN unnest($1::text[], $2::text[]) AS d(key, code) ON d.key = r.key
          WHERE r."isSystem"
         ON CONFLICT DO NOTHING`,
        [roleKeys, roleCodes],
      );
      const revoked = await client.query(
        `DELETE FROM "RolePermission" rp
          USING "Role" r
          WHERE r.id = rp."roleId" AND r."tenantId" = rp."tenantId"
            AND r."isSystem" AND r.key = ANY($3::text[])
            AND NOT EXISTS (
              SELECT 1 FROM unnest($1::text[], $2::text[]) AS d(key, code)
               WHERE d.key = r.key AND d.code = rp."permissionCode")`,
        [roleKeys, roleCodes, Object.keys(DEFAULT_ROLES)],
      );
      await client.query("COMMIT");
      return {
        upserted: codes.length,
        removed: removed.rows.map((r) => r.code),
        granted: granted.rowCount ?? 0,
        revoked: revoked.rowCount ?? 0,
      };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  });
}

/**
 * Creates the plans of lib/billing/plans.ts that do not exist yet. Existing plans are left as
 * the platform admins edited them: this is reference data, not demo data, so it runs everywhere.
 */
export async function ensurePlanCatalog(migrationUrl: string): Promise<number> {
  return withClient(migrationUrl, async (client) => {
    let created = 0;
    for (const p of DEFAULT_PLANS) {
      const res = await client.query(
        `INSERT INTO "Plan" (id, code, name, tier, "priceMonthlyUsd", "priceYearlyUsd", "priceMonthlyKhr", "priceYearlyKhr",
                             "trialDays", "graceDays", features, limits, "isPublic", "updatedAt")
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text[], $11::jsonb, true, now())
         ON CONFLICT (code) DO NOTHING`,
        [
          p.code,
          p.name,
          p.tier,
          p.priceMonthlyUsd,
          p.priceYearlyUsd,
          p.priceMonthlyKhr,
          p.priceYearlyKhr,
          p.trialDays,
          p.graceDays,
          [...p.features],
          JSON.stringify(p.limits),
        ],
      );
      created += res.rowCount ?? 0;
    }
    return created;
  });
}
