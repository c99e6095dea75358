// A test file that changes platform-wide state (global templates, plans, feature flags: the
// input fuzz as a platform admin) must not do it in the run's shared database, where the other
// test files running at the same time would read it. This gives such a file a database of its
// own in the same throwaway cluster, migrated like the shared one; call it before anything in
// the file touches the database.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { beforeAll } from "vitest";
import { validateEnv } from "@/env";
import { APP_ROLE } from "../../../scripts/db/embedded";
import { applyMigrations } from "../../../scripts/db/engine";
import { ensurePlanCatalog, grantAppRole, syncPermissionCatalog } from "../../../scripts/db/grants";
import { ensureUuidv7 } from "../../setup/pg-compat";

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function ownDatabaseForThisFile(prefix: string): void {
  beforeAll(async () => {
    const migrationUrl = process.env.DATABASE_MIGRATION_URL;
    const appUrl = process.env.DATABASE_URL;
    if (!migrationUrl || !appUrl)
      throw new Error("ownDatabaseForThisFile needs the integration project's DATABASE_URL and DATABASE_MIGRATION_URL");
    // on a TEST_DATABASE_URL server, named after the run's database so the run drops it at the end (global-db.ts)
    const runDatabase = decodeURIComponent(new URL(migrationUrl).pathname.slice(1));
    const name = `${`${process.env.TEST_DATABASE_URL ? `${runDatabase}__` : ""}${prefix}`.slice(0, 52)}_${randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: migrationUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
    } finally {
      await admin.end();
    }
    const ownMigrationUrl = withDatabase(migrationUrl, name);
    await applyMigrations(ownMigrationUrl);
    await grantAppRole(ownMigrationUrl, APP_ROLE);
    await syncPermissionCatalog(ownMigrationUrl);
    await ensurePlanCatalog(ownMigrationUrl);
    if (process.env.TEST_DATABASE_URL) await ensureUuidv7(ownMigrationUrl);
    const shared = globalThis as unknown as { phteahDb?: { $disconnect(): Promise<void> } };
    if (shared.phteahDb) {
      await shared.phteahDb.$disconnect();
      delete shared.phteahDb;
    }
    process.env.DATABASE_MIGRATION_URL = ownMigrationUrl;
    process.env.DATABASE_URL = withDatabase(appUrl, name);
    validateEnv();
  }, 60_000);
}
