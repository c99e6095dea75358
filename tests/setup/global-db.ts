// Vitest global setup for the integration project: one throwaway embedded PostgreSQL for
// the whole run, migrated like production (migrations + app-role grants + permission
// catalog). Tests get DATABASE_URL (app role: no superuser, no BYPASSRLS, so row-level
// security applies) and DATABASE_MIGRATION_URL (superuser) through process.env, which the
// forked workers inherit, and through inject("DATABASE_URL" | "DATABASE_MIGRATION_URL").

import type { TestProject } from "vitest/node";
import { APP_ROLE, findFreePort, startEmbeddedPostgres } from "../../scripts/db/embedded";
import { applyMigrations } from "../../scripts/db/engine";
import { ensurePlanCatalog, grantAppRole, syncPermissionCatalog } from "../../scripts/db/grants";

declare module "vitest" {
  export interface ProvidedContext {
    DATABASE_URL: string;
    DATABASE_MIGRATION_URL: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const t0 = Date.now();
  const db = await startEmbeddedPostgres({ dataDir: "", port: await findFreePort(), persistent: false });
  try {
    await applyMigrations(db.migrationUrl);
    await grantAppRole(db.migrationUrl, APP_ROLE);
    await syncPermissionCatalog(db.migrationUrl);
    await ensurePlanCatalog(db.migrationUrl);
  } catch (error) {
    await db.stop();
    throw error;
  }
  const previous = { DATABASE_URL: process.env.DATABASE_URL, DATABASE_MIGRATION_URL: process.env.DATABASE_MIGRATION_URL };
  process.env.DATABASE_URL = db.appUrl;
  process.env.DATABASE_MIGRATION_URL = db.migrationUrl;
  project.provide("DATABASE_URL", db.appUrl);
  project.provide("DATABASE_MIGRATION_URL", db.migrationUrl);
  if (process.env.DEBUG?.includes("global-db")) console.log(`[global-db] PostgreSQL on port ${db.port} ready in ${Date.now() - t0} ms`);

  return async () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await db.stop();
  };
}
