// The restore drill (docs/OPERATIONS.md): a source database of its own, filled through the app
// (workspaces, rentals, invoices, sessions, audit, uploaded public and private files), is backed
// up, restored into a fresh database and an empty file directory as a non-superuser owner (the
// README's production roles), and compared table by table, row by row, and file by file; then the
// app itself runs on the restored copy: the owner signs in with their password and reads a
// private file through the authorising route, and row-level security still holds. Also: a backup
// taken while writes continue is one snapshot; damaged, truncated, wrongly keyed archives and
// non-empty targets are refused and leave the database without tables.
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { SessionClaims } from "@/server/auth/auth.public";

const current = vi.hoisted(() => ({ headers: new Headers(), claims: null as Partial<SessionClaims> | null }));
vi.mock("next/headers", () => ({
  headers: async () => current.headers,
  cookies: async () => ({ get: () => undefined }),
}));
vi.mock("@/server/auth/next-auth.public", () => ({ currentClaims: async () => current.claims }));

import { createBackup, describeTables } from "@/server/ops/backup/backup";
import { restoreBackup, type RestoreOptions } from "@/server/ops/backup/restore";
import { BackupError, isSealed } from "@/server/ops/backup/archive";
import { applyMigrations, MIGRATIONS_DIR, PROJECT_ROOT } from "@/scripts/db/engine";
import { grantAppRole } from "@/scripts/db/grants";
import { prepareDatabase } from "@/scripts/prepare-db";
import { APP_ROLE } from "@/scripts/db/embedded";

const SUPER = inject("DATABASE_MIGRATION_URL");
const APP = inject("DATABASE_URL");
const RUN = randomBytes(4).toString("hex");
const OWNER = `drill_owner_${RUN}`;
const OWNER_PASSWORD = randomBytes(12).toString("hex");
const PASSWORD = "drill-password-2026";
const PORT = 3000;

function urlFor(base: string, db: string, user?: { name: string; password: string }): string {
  const u = new URL(base);
  u.pathname = `/${db}`;
  if (user) {
    u.username = user.name;
    u.password = user.password;
  }
  return u.toString();
}
const ownerUrl = (db: string) => urlFor(SUPER, db, { name: OWNER, password: OWNER_PASSWORD });

let su: pg.Client;
const dirs: string[] = [];
const tempDir = async (label: string) => {
  const d = await mkdtemp(path.join(tmpdir(), `phteah-drill-${label}-`));
  dirs.push(d);
  return d;
};
const createdDbs: string[] = [];
async function freshDb(label: string): Promise<string> {
  const name = `drill_${label}_${RUN}`;
  await su.query(`CREATE DATABASE ${name} OWNER ${OWNER}`);
  createdDbs.push(name);
  return name;
}

function restoreOptions(db: string, fileDir: string, archive: string, extra: Partial<RestoreOptions> = {}): RestoreOptions {
  return {
    databaseUrl: ownerUrl(db),
    appRole: APP_ROLE,
    fileDir,
    archive,
    passphrase: null,
    replace: false,
    migrationsDir: MIGRATIONS_DIR,
    applyMigrations: (url, dir) => applyMigrations(url, { migrationsDir: dir }),
    grantAppRole,
    ...extra,
  };
}

async function tablesOf(db: string): Promise<number> {
  const c = new pg.Client({ connectionString: urlFor(SUPER, db) });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
    );
    return Number(rows[0]!.n);
  } finally {
    await c.end();
  }
}

/** Every table's rows in primary-key order, as the superuser (RLS does not apply). */
async function dumpAll(db: string): Promise<Record<string, unknown[]>> {
  const c = new pg.Client({ connectionString: urlFor(SUPER, db) });
  await c.connect();
  try {
    const out: Record<string, unknown[]> = {};
    for (const t of await describeTables(c)) {
      const { rows } = await c.query(`SELECT * FROM "${t.name}" ORDER BY ${t.primaryKey.map((k) => `"${k}"`).join(", ")}`);
      out[t.name] = rows;
    }
    const { rows: forced } = await c.query<{ relname: string }>(
      `SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relforcerowsecurity ORDER BY 1`,
    );
    out["(forced RLS)"] = forced.map((r) => r.relname);
    const { rows: policies } = await c.query(
      `SELECT tablename, policyname, qual, with_check FROM pg_policies WHERE schemaname = 'public' ORDER BY 1, 2`,
    );
    out["(policies)"] = policies;
    return out;
  } finally {
    await c.end();
  }
}

async function filesOf(dir: string, base = dir): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) Object.assign(out, await filesOf(full, base));
    else out[path.relative(base, full)] = (await readFile(full)).toString("base64");
  }
  return out;
}

/** Points the app's database client at another database (the singleton of server/db/client.ts). */
async function useAppDatabase(db: string): Promise<void> {
  const holder = globalThis as unknown as { phteahDb?: { $disconnect(): Promise<void> } };
  await holder.phteahDb?.$disconnect();
  holder.phteahDb = undefined;
  process.env.DATABASE_URL = urlFor(APP, db);
}

let srcDb: string;
let srcFiles: string;
let fixture: { slug: string; email: string; privateFileId: string; privateBytes: Buffer };

beforeAll(async () => {
  su = new pg.Client({ connectionString: SUPER });
  await su.connect();
  // the README's production recipe: an owner role that is not a superuser, and the app role
  await su.query(`CREATE ROLE ${OWNER} LOGIN PASSWORD '${OWNER_PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE`);
  srcDb = await freshDb("src");
  await prepareDatabase(ownerUrl(srcDb), APP_ROLE);
  srcFiles = await tempDir("src-files");
  process.env.FILE_STORAGE_DIR = srcFiles;
  await useAppDatabase(srcDb);

  // fill the source through the app
  const f = await import("@/server/testing/factories");
  const { SAMPLE_PNG, SAMPLE_PDF } = await import("@/server/testing/sample-files");
  const { POST: uploadRoute } = await import("@/app/api/files/route");
  const { sessionFor, hostOf, uniqueIp } = await import("./support/world");
  const tenants = [];
  for (let i = 0; i < 3; i++) {
    const t = await f.createTenant({ slug: f.uniqueSlug(`drill${i}`), password: PASSWORD });
    tenants.push(t);
    const unit = await f.createUnit({ tenantId: t.tenantId });
    const renter = await f.createRenter({ tenantId: t.tenantId, nameLatin: `Drill Renter ${i} «ស្រី» "quoted"\ttab` });
    const contract = await f.createContract({ tenantId: t.tenantId, unitId: unit.id, renterId: renter.id, status: "active" });
    await f.createRentInvoice({ tenantId: t.tenantId, contractId: contract.id, period: "2026-01" });
    await f.createRentInvoice({
      tenantId: t.tenantId,
      contractId: contract.id,
      period: "2026-02",
      status: "partially_paid",
      amountPaid: 100,
    });
  }
  const upload = async (slug: string, claims: SessionClaims, purpose: string, bytes: Uint8Array) => {
    const host = hostOf(slug);
    current.headers = new Headers({
      host: `${host}:${PORT}`,
      origin: `http://${host}:${PORT}`,
      "x-forwarded-for": uniqueIp(),
      "accept-language": "en",
    });
    current.claims = claims;
    const form = new FormData();
    form.set("purpose", purpose);
    form.set("file", new Blob([new Uint8Array(bytes)]), `${purpose}.bin`);
    const res = await uploadRoute(
      new Request(`http://${host}:${PORT}/api/files`, { method: "POST", headers: current.headers, body: form }),
    );
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const t0 = tenants[0]!;
  const claims = await sessionFor(t0.owner.userId, hostOf(t0.slug));
  await upload(t0.slug, claims, "property_photo", SAMPLE_PNG);
  const privateFileId = await upload(t0.slug, claims, "renter_id", SAMPLE_PDF);
  await upload(tenants[1]!.slug, await sessionFor(tenants[1]!.owner.userId, hostOf(tenants[1]!.slug)), "contract_scan", SAMPLE_PDF);
  fixture = { slug: t0.slug, email: t0.owner.email, privateFileId, privateBytes: Buffer.from(SAMPLE_PDF) };
}, 120_000);

afterAll(async () => {
  await useAppDatabase("phteah");
  process.env.DATABASE_URL = APP;
  delete process.env.FILE_STORAGE_DIR;
  for (const db of createdDbs) await su.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
  await su.query(`DROP ROLE IF EXISTS ${OWNER}`).catch(() => undefined);
  await su.end();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("restore drill", () => {
  it("restores every table row for row and every file byte for byte into a fresh database, and the app runs on the copy", async () => {
    const archive = path.join(await tempDir("archive"), "drill.tar.gz");
    const backup = await createBackup({
      databaseUrl: ownerUrl(srcDb),
      fileDir: srcFiles,
      out: archive,
      passphrase: null,
      projectRoot: PROJECT_ROOT,
    });
    expect(await isSealed(archive)).toBe(false);
    expect(backup.manifest.files.map((x) => x.path).sort()).toEqual(
      Object.keys(await filesOf(srcFiles))
        .map((p) => p.split(path.sep).join("/"))
        .sort(),
    );
    expect(backup.manifest.totals.files).toBe(3);
    expect(backup.manifest.tables.find((t) => t.name === "RentInvoice")!.rows).toBeGreaterThanOrEqual(6);
    expect(backup.manifest.migrations.length).toBeGreaterThan(5);

    const dstDb = await freshDb("dst");
    const dstFiles = await tempDir("dst-files");
    const restored = await restoreBackup(restoreOptions(dstDb, dstFiles, archive));
    expect(restored.manifest.totals.rows).toBe(backup.manifest.totals.rows);

    expect(await dumpAll(dstDb)).toEqual(await dumpAll(srcDb));
    expect(await filesOf(dstFiles)).toEqual(await filesOf(srcFiles));

    // the app on the restored copy: password sign-in, then the private file through its route
    await useAppDatabase(dstDb);
    process.env.FILE_STORAGE_DIR = dstFiles;
    const { AuthService } = await import("@/server/auth/auth.public");
    const { resolveHostScope } = await import("@/server/core/host-scope");
    const { testMeta, hostOf } = await import("./support/world");
    const { GET: privateRoute } = await import("@/app/(app)/t/[tenant]/files/[id]/route");
    const host = hostOf(fixture.slug);
    const scope = await resolveHostScope(host);
    expect(scope?.kind).toBe("tenant");
    const auth = new AuthService(testMeta());
    const login = await auth.login(scope!, fixture.email, PASSWORD);
    expect(login.ok).toBe(true);
    const claims = await auth.redeemHandoff((login as { ticket: string }).ticket, host);
    expect(claims).not.toBeNull();
    current.headers = new Headers({ host: `${host}:${PORT}`, "x-forwarded-for": "10.7.7.7" });
    current.claims = claims;
    const res = await privateRoute(new Request(`http://${host}:${PORT}/files/${fixture.privateFileId}`, { headers: current.headers }), {
      params: Promise.resolve({ tenant: fixture.slug, id: fixture.privateFileId }),
    });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(fixture.privateBytes)).toBe(true);
    // without a session the private file is refused on the copy too
    current.claims = null;
    const anon = await privateRoute(new Request(`http://${host}:${PORT}/files/${fixture.privateFileId}`, { headers: current.headers }), {
      params: Promise.resolve({ tenant: fixture.slug, id: fixture.privateFileId }),
    });
    expect(anon.status).not.toBe(200);

    // row-level security still holds for the app role on the copy
    const app = new pg.Client({ connectionString: urlFor(APP, dstDb) });
    await app.connect();
    try {
      const { rows: role } = await app.query<{ rolbypassrls: boolean; rolsuper: boolean }>(
        "SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user",
      );
      expect(role[0]).toEqual({ rolbypassrls: false, rolsuper: false });
      const { rows } = await app.query<{ n: string }>(`SELECT count(*) AS n FROM "Renter"`);
      expect(Number(rows[0]!.n)).toBe(0);
    } finally {
      await app.end();
      await useAppDatabase(srcDb);
      process.env.FILE_STORAGE_DIR = srcFiles;
    }
  }, 180_000);

  it("takes one snapshot while writes continue: pairs written in one transaction are both in the archive or both absent", async () => {
    const c = new pg.Client({ connectionString: urlFor(SUPER, srcDb) });
    await c.connect();
    const tenant = (await c.query<{ id: string }>(`SELECT id FROM "Tenant" ORDER BY id LIMIT 1`)).rows[0]!.id;
    // bulk so the dump takes long enough for the writer to commit between two tables
    await c.query(
      `INSERT INTO "AuditLog" ("id", "tenantId", "actorEmail", "action", "targetType", "targetId", "createdAt")
       SELECT gen_random_uuid(), $1, 'bulk@drill.test', 'drill.bulk', 'x', g::text, now() FROM generate_series(1, 50000) g`,
      [tenant],
    );
    let stop = false;
    let pairs = 0;
    const writer = (async () => {
      const w = new pg.Client({ connectionString: urlFor(SUPER, srcDb) });
      await w.connect();
      while (!stop) {
        await w.query("BEGIN");
        const { rows } = await w.query<{ id: string }>(
          `INSERT INTO "Renter" ("id", "tenantId", "nameKm", "nameLatin", "phone", "updatedAt") VALUES (gen_random_uuid(), $1, 'ស', 'drill-pair', '+85512000000', now()) RETURNING id`,
          [tenant],
        );
        await w.query(
          `INSERT INTO "AuditLog" ("id", "tenantId", "actorEmail", "action", "targetType", "targetId", "createdAt") VALUES (gen_random_uuid(), $1, 'pair@drill.test', 'drill.pair', 'renter', $2, now())`,
          [tenant, rows[0]!.id],
        );
        await w.query("COMMIT");
        pairs++;
      }
      await w.end();
    })();
    await new Promise((r) => setTimeout(r, 100));
    const before = pairs;
    const archive = path.join(await tempDir("archive"), "live.tar.gz");
    await createBackup({ databaseUrl: ownerUrl(srcDb), fileDir: srcFiles, out: archive, passphrase: null, projectRoot: PROJECT_ROOT });
    const during = pairs - before;
    stop = true;
    await writer;
    await c.end();
    expect(during).toBeGreaterThan(5); // the writer really committed while the backup ran

    const dstDb = await freshDb("live");
    const dstFiles = await tempDir("live-files");
    await restoreBackup(restoreOptions(dstDb, dstFiles, archive));
    const r = new pg.Client({ connectionString: urlFor(SUPER, dstDb) });
    await r.connect();
    try {
      const { rows } = await r.query<{ renters: string; audits: string; orphans: string }>(
        `SELECT (SELECT count(*) FROM "Renter" WHERE "nameLatin" = 'drill-pair') AS renters,
                (SELECT count(*) FROM "AuditLog" WHERE action = 'drill.pair') AS audits,
                (SELECT count(*) FROM "AuditLog" a WHERE action = 'drill.pair' AND NOT EXISTS (SELECT 1 FROM "Renter" x WHERE x.id::text = a."targetId")) AS orphans`,
      );
      expect(Number(rows[0]!.renters)).toBeGreaterThan(0);
      expect(rows[0]!.audits).toBe(rows[0]!.renters);
      expect(rows[0]!.orphans).toBe("0");
    } finally {
      await r.end();
    }
  }, 180_000);

  it("refuses a truncated, a damaged, or a wrongly keyed archive and a non-empty target, leaving the database without tables", async () => {
    const dir = await tempDir("bad");
    const plain = path.join(dir, "ok.tar.gz");
    await createBackup({ databaseUrl: ownerUrl(srcDb), fileDir: srcFiles, out: plain, passphrase: null, projectRoot: PROJECT_ROOT });
    const size = (await stat(plain)).size;
    const bytes = await readFile(plain);

    const truncated = path.join(dir, "truncated.tar.gz");
    await writeFile(truncated, bytes);
    await truncate(truncated, Math.floor(size / 2));
    const damaged = path.join(dir, "damaged.tar.gz");
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(size / 2)] = flipped[Math.floor(size / 2)]! ^ 0xff;
    await writeFile(damaged, flipped);

    const sealed = path.join(dir, "sealed.tar.gz.enc");
    await createBackup({
      databaseUrl: ownerUrl(srcDb),
      fileDir: srcFiles,
      out: sealed,
      passphrase: "correct horse battery staple",
      projectRoot: PROJECT_ROOT,
    });
    expect(await isSealed(sealed)).toBe(true);
    const sealedBytes = await readFile(sealed);
    const sealedCut = path.join(dir, "sealed-cut.enc");
    await writeFile(sealedCut, sealedBytes.subarray(0, sealedBytes.length - 40));

    const target = await freshDb("bad");
    for (const [file, passphrase] of [
      [truncated, null],
      [damaged, null],
      [sealed, null],
      [sealed, "a wrong passphrase, long enough"],
      [sealedCut, "correct horse battery staple"],
    ] as const) {
      const files = await tempDir("bad-files");
      await expect(restoreBackup(restoreOptions(target, files, file, { passphrase })), file).rejects.toBeInstanceOf(BackupError);
      expect(await tablesOf(target)).toBe(0);
      expect(await readdir(files)).toEqual([]);
    }

    // the sealed archive with its key restores
    const files = await tempDir("sealed-files");
    await restoreBackup(restoreOptions(target, files, sealed, { passphrase: "correct horse battery staple" }));
    expect(await tablesOf(target)).toBeGreaterThan(10);

    // a non-empty database is refused (and left as it was) unless --replace
    const other = await tempDir("other-files");
    await expect(restoreBackup(restoreOptions(target, other, plain))).rejects.toThrow(/not empty/);
    expect(await tablesOf(target)).toBeGreaterThan(10);
    await restoreBackup(restoreOptions(target, files, plain, { replace: true }));
    expect(await dumpAll(target)).toEqual(await dumpAll(srcDb)); // the source has not changed since that backup
  }, 240_000);
});
