// The database tooling end to end, against the run's embedded PostgreSQL (tests/setup/global-db.ts):
// migrations applied like `prisma migrate deploy`, migrations equal to schema.prisma, and an
// application role that cannot get around row-level security.

import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PERMISSIONS } from "@/lib/permissions";
import { diffMigrationsToSchema, isEmptyDiff, readMigrationList } from "@/scripts/db/engine";

const appUrl = process.env.DATABASE_URL!;
const migrationUrl = process.env.DATABASE_MIGRATION_URL!;

let admin: pg.Client;
let app: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: migrationUrl });
  app = new pg.Client({ connectionString: appUrl });
  await Promise.all([admin.connect(), app.connect()]);
});

afterAll(async () => {
  await Promise.all([admin?.end(), app?.end()]);
});

describe("test database wiring", () => {
  it("exposes both URLs to the test workers through process.env and inject()", () => {
    expect(appUrl).toMatch(/^postgresql:\/\/phteah_app:/);
    expect(migrationUrl).toMatch(/^postgresql:\/\/postgres:/);
    expect(inject("DATABASE_URL")).toBe(appUrl);
    expect(inject("DATABASE_MIGRATION_URL")).toBe(migrationUrl);
  });
});

describe("migrations", () => {
  it("records every migration folder in _prisma_migrations as finished", async () => {
    const folders = (await readMigrationList()).migrationDirectories.map((d) => d.path);
    expect(folders).toEqual([
      expect.stringMatching(/^\d{14}_init$/),
      expect.stringMatching(/^\d{14}_row_level_security$/),
      ...folders.slice(2),
    ]);
    const { rows } = await admin.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations"
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(folders);
  });

  it("leaves nothing between the migrations and schema.prisma", async () => {
    const sql = await diffMigrationsToSchema(migrationUrl);
    expect(isEmptyDiff(sql), `missing from the migrations:\n${sql}`).toBe(true);
  });

  it("synced the permission catalog from lib/permissions.ts", async () => {
    const { rows } = await admin.query<{ code: string; area: string; description: string }>(
      `SELECT code, area, description FROM "Permission" ORDER BY code`,
    );
    const expected = PERMISSIONS.map(({ code, area, description }) => ({ code, area, description })).sort((a, b) =>
      a.code.localeCompare(b.code),
    );
    expect(rows).toEqual(expected);
  });
});

describe("application role", () => {
  it("is neither superuser nor able to bypass row-level security", async () => {
    const { rows } = await app.query<{
      rolname: string;
      rolsuper: boolean;
      rolbypassrls: boolean;
      rolcreatedb: boolean;
      rolcreaterole: boolean;
    }>(`SELECT rolname, rolsuper, rolbypassrls, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user`);
    expect(rows).toEqual([{ rolname: "phteah_app", rolsuper: false, rolbypassrls: false, rolcreatedb: false, rolcreaterole: false }]);
  });

  it("owns no table (owners could disable row-level security)", async () => {
    const { rows } = await app.query(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user`,
    );
    expect(rows).toEqual([]);
  });

  it("can use the tables but not change the schema or the migration history", async () => {
    await expect(app.query(`SELECT count(*) FROM "Tenant"`)).resolves.toBeDefined();
    await expect(app.query(`CREATE TABLE app_should_not_create (id int)`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`DELETE FROM "_prisma_migrations"`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`ALTER TABLE "Membership" DISABLE ROW LEVEL SECURITY`)).rejects.toThrow(/must be owner/);
  });
});
