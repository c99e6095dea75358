// Vitest global setup for the integration project: one throwaway embedded PostgreSQL for
// the whole run, migrated like production (migrations + app-role grants + permission
// catalog). Tests get DATABASE_URL (app role: no superuser, no BYPASSRLS, so row-level
// security applies) and DATABASE_MIGRATION_URL (superuser) through process.env, which the
// forked workers inherit, and through inject("DATABASE_URL" | "DATABASE_MIGRATION_URL").

import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { APP_ROLE, findFreePort, startEmbeddedPostgres } from "../../scripts/db/embedded";
import { applyMigrations } from "../../scripts/db/engine";
import { ensurePlanCatalog, grantAppRole, syncPermissionCatalog } from "../../scripts/db/grants";
import { ensureUuidv7 } from "./pg-compat";

declare module "vitest" {
  export interface ProvidedContext {
    DATABASE_URL: string;
    DATABASE_MIGRATION_URL: string;
  }
}

/** The app role's password on a TEST_DATABASE_URL server (a throwaway test server; fixed, so runs may share one server). */
const EXTERNAL_APP_PASSWORD = "phteah-test-app";

function withDatabase(url: string, database: string, user?: { name: string; password: string }): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (user) {
    u.username = encodeURIComponent(user.name);
    u.password = encodeURIComponent(user.password);
  }
  return u.toString();
}

/**
 * TEST_DATABASE_URL (stable contract): a superuser URL of an empty PostgreSQL 15-18 server. The
 * run gets a database of its own there (phteah_test_<random>, dropped at the end) and the app
 * role (NOSUPERUSER NOBYPASSRLS), instead of the embedded cluster.
 */
async function startExternal(superuserUrl: string): Promise<{ migrationUrl: string; appUrl: string; port: number; stop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: superuserUrl });
  await admin.connect();
  const database = `phteah_test_${randomBytes(5).toString("hex")}`;
  try {
    const { rows } = await admin.query<{ v: string; su: boolean }>(
      "SELECT current_setting('server_version_num') AS v, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS su",
    );
    const server = rows[0]!;
    if (Number(server.v) < 150000) throw new Error(`TEST_DATABASE_URL: PostgreSQL 15 or later is needed (server ${server.v})`);
    if (!server.su) throw new Error("TEST_DATABASE_URL must be a superuser URL (it creates the run's database and the app role)");
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
    const role = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APP_ROLE]);
    const attrs = `LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD ${admin.escapeLiteral(EXTERNAL_APP_PASSWORD)}`;
    await admin.query(`${role.rowCount === 0 ? "CREATE" : "ALTER"} ROLE ${admin.escapeIdentifier(APP_ROLE)} WITH ${attrs}`);
  } finally {
    await admin.end();
  }
  return {
    migrationUrl: withDatabase(superuserUrl, database),
    appUrl: withDatabase(superuserUrl, database, { name: APP_ROLE, password: EXTERNAL_APP_PASSWORD }),
    port: Number(new URL(superuserUrl).port || 5432),
    stop: async () => {
      const c = new pg.Client({ connectionString: superuserUrl });
      await c.connect();
      try {
        // the files' own databases (support/own-database.ts names them <run database>__<file>_<random>)
        const own = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [`${database}__`]);
        for (const { datname } of own.rows) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(datname)} WITH (FORCE)`);
        await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(database)} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * The run's database, shared by the projects of one run: `integration` (one module graph per worker)
 * and `integration-isolated` (a fresh module graph per file) both name this file as their global
 * setup, and Vitest calls it once per project in the main process. The first call starts the
 * database, the others reuse it; the last teardown stops it. Kept on globalThis: each project may
 * load this module on its own.
 */
interface SharedRun {
  users: number;
  ready: Promise<{ appUrl: string; migrationUrl: string; stop(): Promise<void> }>;
}
const shared = globalThis as unknown as { phteahTestRunDb?: SharedRun };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let run = shared.phteahTestRunDb;
  if (!run) {
    const ready = startRunDatabase();
    run = shared.phteahTestRunDb = { users: 0, ready };
    // a failed start is not kept: the next project's setup reports its own failure
    ready.catch(() => {
      if (shared.phteahTestRunDb === run) delete shared.phteahTestRunDb;
    });
  }
  run.users += 1;
  const db = await run.ready;
  project.provide("DATABASE_URL", db.appUrl);
  project.provide("DATABASE_MIGRATION_URL", db.migrationUrl);
  const mine = run;
  return async () => {
    mine.users -= 1;
    if (mine.users > 0) return;
    if (shared.phteahTestRunDb === mine) delete shared.phteahTestRunDb;
    await db.stop();
  };
}

async function startRunDatabase(): Promise<{ appUrl: string; migrationUrl: string; stop(): Promise<void> }> {
  const t0 = Date.now();
  const external = process.env.TEST_DATABASE_URL?.trim();
  const db = external
    ? await startExternal(external)
    : await startEmbeddedPostgres({ dataDir: "", port: await findFreePort(), persistent: false });
  try {
    await applyMigrations(db.migrationUrl);
    await grantAppRole(db.migrationUrl, APP_ROLE);
    await syncPermissionCatalog(db.migrationUrl);
    await ensurePlanCatalog(db.migrationUrl);
    if (external) await ensureUuidv7(db.migrationUrl);
  } catch (error) {
    await db.stop();
    throw error;
  }
  const previous = { DATABASE_URL: process.env.DATABASE_URL, DATABASE_MIGRATION_URL: process.env.DATABASE_MIGRATION_URL };
  process.env.DATABASE_URL = db.appUrl;
  process.env.DATABASE_MIGRATION_URL = db.migrationUrl;
  if (process.env.DEBUG?.includes("global-db"))
    console.log(`[global-db] PostgreSQL${external ? " (TEST_DATABASE_URL)" : ""} on port ${db.port} ready in ${Date.now() - t0} ms`);

  return {
    appUrl: db.appUrl,
    migrationUrl: db.migrationUrl,
    stop: async () => {
      for (const [key, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await db.stop();
    },
  };
}
