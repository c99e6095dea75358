// The upgrade test (docs/OPERATIONS.md, "Release"): a database at the previous release's migrations
// (PREVIOUS_RELEASE in scripts/db/migration-lint.ts), migrated and filled BY THAT RELEASE'S OWN CODE
// (its tree from git, its generated client, its seed and factories), is migrated to this build's head;
// then
//   - the previous release's code still writes and reads against the new schema (the app rollback
//     path, and the window where old instances serve while the new ones start), because every newer
//     migration is expand-only per the migration lint or carries a reasoned marker;
//   - this build's smoke passes on the upgraded data: sign-in, the lists, the monthly invoice run.
import { execFile } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateEnv } from "@/env";
import type { PrismaClient } from "@/server/db/client";
import { getDb } from "@/server/db/client";
import { AuthService } from "@/server/auth/auth.public";
import { resolveHostScope } from "@/server/core/host-scope";
import { runInvoicesForTenant } from "@/server/rent-invoices/invoice-run";
import { APP_ROLE } from "@/scripts/db/embedded";
import { applyMigrations, PROJECT_ROOT } from "@/scripts/db/engine";
import { ensurePlanCatalog, grantAppRole, syncPermissionCatalog } from "@/scripts/db/grants";
import { lintMigrations, PREVIOUS_RELEASE, RELEASED_MIGRATIONS } from "@/scripts/db/migration-lint";
import { callPath, hostOf, signedIn, testMeta } from "./support/world";

const run = promisify(execFile);

let prevDir: string;
let dbName: string;
let migrationUrl: string;
let appUrl: string;
const figures: Record<string, number | string> = {};

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs `file` (TypeScript, in the previous release's tree) with that tree's code against the upgrade database. */
async function runPrevious(file: string, args: string[] = []): Promise<string> {
  const { stdout } = await run(path.join(PROJECT_ROOT, "node_modules/.bin/tsx"), ["--conditions=react-server", file, ...args], {
    cwd: prevDir,
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: appUrl,
      DATABASE_MIGRATION_URL: migrationUrl,
      FILE_STORAGE_DIR: path.join(prevDir, ".data/files"),
    },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 240_000,
  });
  return stdout;
}

// The previous release's fill: its seed (acme, globex, the platform admin) and its factories (three
// workspaces with properties, units, renters, active contracts and issued invoices), then reads back
// through its own client. Run once before the upgrade and once after it (other slugs).
const FILL = `
import { seed } from "./prisma/seed";
import { getDb } from "./server/db/client";
import { platformDb } from "./server/db/platform-db";
import { createTenant, createProperty, createUnit, createRenter, createContract, createRentInvoice } from "./server/testing/factories";

async function main() {
  const tag = process.argv[2]!;
  await seed();
  for (let w = 0; w < 3; w++) {
    const t = await createTenant({ slug: \`up-\${tag}-\${w}\`, name: \`Upgrade \${tag} \${w}\` });
    const property = await createProperty({ tenantId: t.tenantId, name: \`Block \${w}\` });
    for (let u = 0; u < 4; u++) {
      const unit = await createUnit({ tenantId: t.tenantId, propertyId: property.id, code: \`U\${w}\${u}\`, status: "occupied" });
      const renter = await createRenter({ tenantId: t.tenantId, nameLatin: \`Renter \${w}-\${u}\` });
      const contract = await createContract({ tenantId: t.tenantId, unitId: unit.id, renterId: renter.id, status: "active", startDate: "2026-01-01" });
      await createRentInvoice({ tenantId: t.tenantId, contractId: contract.id, period: "2026-02", lines: [{ description: "Rent", unitAmount: 150 }] });
    }
  }
  // reads through the previous release's client: every row of the kinds it wrote
  const counts = await platformDb.run(async (tx) => ({
    tenants: await tx.tenant.count(),
    renters: await tx.renter.count(),
    contracts: await tx.contract.count(),
    invoices: await tx.rentInvoice.count(),
    invoiceRows: (await tx.rentInvoice.findMany({ include: { lines: true } })).length,
  }));
  console.log(JSON.stringify(counts));
  await getDb().$disconnect();
}
main().catch((e) => { console.error(e); process.exit(1); });
`;

async function totalRows(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`SELECT set_config('app.platform', 'on', false)`);
    const { rows } = await c.query<{ t: string }>(
      `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    let total = 0;
    for (const r of rows) total += Number((await c.query(`SELECT count(*)::int AS n FROM public.${c.escapeIdentifier(r.t)}`)).rows[0].n);
    return total;
  } finally {
    await c.end();
  }
}

const holder = globalThis as unknown as { phteahDb?: PrismaClient };
let parked: PrismaClient | undefined;
const savedEnv = { DATABASE_URL: process.env.DATABASE_URL, DATABASE_MIGRATION_URL: process.env.DATABASE_MIGRATION_URL };

beforeAll(async () => {
  // the previous release's tree, with this checkout's node_modules and its own generated client
  prevDir = await mkdtemp(path.join(os.tmpdir(), "phteah-prev-"));
  await run("bash", ["-c", `git -C "${PROJECT_ROOT}" archive ${PREVIOUS_RELEASE.commit} | tar -x -C "${prevDir}"`]);
  await symlink(path.join(PROJECT_ROOT, "node_modules"), path.join(prevDir, "node_modules"));
  await run(path.join(PROJECT_ROOT, "node_modules/.bin/prisma"), ["generate"], {
    cwd: prevDir,
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
  await writeFile(path.join(prevDir, "upgrade-fill.ts"), FILL);

  dbName = `upgrade_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: savedEnv.DATABASE_MIGRATION_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(dbName)}`);
  await admin.end();
  migrationUrl = withDatabase(savedEnv.DATABASE_MIGRATION_URL!, dbName);
  appUrl = withDatabase(savedEnv.DATABASE_URL!, dbName);
}, 300_000);

afterAll(async () => {
  await holder.phteahDb?.$disconnect().catch(() => undefined);
  holder.phteahDb = parked;
  Object.assign(process.env, savedEnv);
  validateEnv();
  if (prevDir) await rm(prevDir, { recursive: true, force: true });
  console.log(`[upgrade] ${JSON.stringify(figures)}`);
});

describe(`upgrade from the previous release (${PREVIOUS_RELEASE.name})`, () => {
  it("the previous release's tree has exactly the released migrations", async () => {
    const theirs = (await readdir(path.join(prevDir, "prisma/migrations"), { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(theirs).toEqual([...RELEASED_MIGRATIONS]);
  });

  it("every migration after the previous release is expand-only per the lint, or carries a reasoned marker", async () => {
    const lint = await lintMigrations();
    figures.newMigrations = lint.linted.length;
    expect(lint.findings).toEqual([]);
  });

  it("migrates the previous release's filled database to head; its code and this build both work on it", async () => {
    // 1. the previous release migrates and fills its database with its own code
    const t0 = Date.now();
    await run(path.join(PROJECT_ROOT, "node_modules/.bin/tsx"), ["scripts/db/cli.ts", "migrate"], {
      cwd: prevDir,
      env: { ...process.env, DATABASE_URL: appUrl, DATABASE_MIGRATION_URL: migrationUrl },
      timeout: 240_000,
    });
    const before = JSON.parse((await runPrevious("upgrade-fill.ts", ["a"])).trim().split("\n").at(-1)!);
    // the seed's two workspaces with their rentals, and the factories' three
    expect(before).toMatchObject({ tenants: 5, invoiceRows: before.invoices });
    expect(before.contracts).toBeGreaterThanOrEqual(12);
    expect(before.invoices).toBeGreaterThanOrEqual(12);
    figures.rowsBefore = await totalRows(migrationUrl);
    figures.fillSeconds = (Date.now() - t0) / 1000;

    // 2. this build's migrate (as npm run db:migrate): the newer migrations, grants, catalogs
    const t1 = Date.now();
    const applied = await applyMigrations(migrationUrl);
    await grantAppRole(migrationUrl, APP_ROLE);
    await syncPermissionCatalog(migrationUrl);
    await ensurePlanCatalog(migrationUrl);
    figures.migrationsApplied = applied.length;
    figures.migrateSeconds = (Date.now() - t1) / 1000;
    expect(applied).toEqual((await lintMigrations()).linted);
    expect(await totalRows(migrationUrl)).toBeGreaterThanOrEqual(Number(figures.rowsBefore));

    // 3. the previous release's code writes and reads against the new schema
    const after = JSON.parse((await runPrevious("upgrade-fill.ts", ["b"])).trim().split("\n").at(-1)!);
    // the seed again (idempotent: nothing new) and three more workspaces
    expect(after).toEqual({
      tenants: before.tenants + 3,
      renters: before.renters + 12,
      contracts: before.contracts + 12,
      invoices: before.invoices + 12,
      invoiceRows: before.invoices + 12,
    });
    figures.rowsAfter = await totalRows(migrationUrl);

    // 4. this build on the upgraded database: sign-in, lists, the invoice run
    parked = holder.phteahDb;
    holder.phteahDb = undefined;
    process.env.DATABASE_URL = appUrl;
    process.env.DATABASE_MIGRATION_URL = migrationUrl;
    validateEnv();
    const t2 = Date.now();
    const scope = (await resolveHostScope(`${hostOf("acme")}:3000`))!;
    expect(scope.kind).toBe("tenant");
    const login = await new AuthService(testMeta()).login(scope, "owner@acme.test", "phteah-demo-2026");
    expect(login).toMatchObject({ ok: true });

    const owner = await getDb().user.findUniqueOrThrow({ where: { email: "owner@up-a-0.test" } });
    const tenant = await getDb().tenant.findUniqueOrThrow({ where: { slug: "up-a-0" } });
    const caller = await signedIn(owner.id, hostOf("up-a-0"));
    const properties = (await callPath(caller, "properties.list", {})) as { items: unknown[] };
    expect(properties.items).toHaveLength(1);
    const renters = (await callPath(caller, "renters.list", {})) as { items: unknown[] };
    expect(renters.items).toHaveLength(4);
    const contracts = (await callPath(caller, "contracts.list", {})) as { items: unknown[] };
    expect(contracts.items).toHaveLength(4);
    const invoices = (await callPath(caller, "rentInvoices.list", {})) as { items: unknown[] };
    expect(invoices.items).toHaveLength(4);
    // the monthly run on a fixed day (the clock is the run's input, never today)
    const invoiceRun = await runInvoicesForTenant(tenant.id, { date: "2026-03-01", trigger: "job", now: new Date("2026-03-01T03:00:00Z") });
    expect(invoiceRun).toMatchObject({ period: "2026-03", issued: 4, failed: 0 });
    const again = (await callPath(caller, "rentInvoices.list", {})) as { items: unknown[] };
    expect(again.items).toHaveLength(8);
    figures.smokeSeconds = (Date.now() - t2) / 1000;
  }, 600_000);
});
