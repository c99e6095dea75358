// The app through PgBouncer in transaction mode (Debian's `pgbouncer`, started here on a free port
// in front of the run's PostgreSQL, with a server pool of 3 so that every server connection is
// shared by many client transactions, of different tenants). Everything in this file connects
// through it as the app role: tenant-scoped tRPC calls (the per-transaction app.tenant_id set in
// BEGIN), the RLS check in plain SQL, transaction-scoped advisory locks, the scheduler's lease,
// and many queries of the Prisma adapter and the pg driver (unnamed prepared statements). Migrations
// do not go through it: DATABASE_MIGRATION_URL points at PostgreSQL itself (docs/OPERATIONS.md).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { chownSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateEnv } from "@/env";
import { createTenant, uniqueSlug } from "@/server/testing/factories";
import { JobScheduler } from "@/server/ops/scheduler.jobs";
import { platformDb } from "@/server/db/platform-db";
import { findFreePort } from "../../scripts/db/embedded";
import { hostOf, signedIn, type Caller } from "./support/world";

const PGBOUNCER = "/usr/sbin/pgbouncer";
let bouncer: ChildProcess | undefined;
let dir = "";
let bouncerUrl = "";
let log = "";

async function startPgBouncer(): Promise<string> {
  const app = new URL(process.env.DATABASE_URL!);
  const database = app.pathname.slice(1);
  const user = decodeURIComponent(app.username);
  const password = decodeURIComponent(app.password);
  const port = await findFreePort();
  dir = mkdtempSync(path.join(tmpdir(), "phteah-pgbouncer-"));
  writeFileSync(path.join(dir, "userlist.txt"), `"${user}" "${password.replace(/"/g, '""')}"\n`);
  writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `${database} = host=${app.hostname} port=${app.port || 5432} dbname=${database}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      `unix_socket_dir =`,
      "auth_type = plain",
      `auth_file = ${path.join(dir, "userlist.txt")}`,
      "pool_mode = transaction",
      "default_pool_size = 3",
      "max_client_conn = 200",
      // what node-postgres and Prisma send at start-up that PgBouncer would otherwise refuse
      "ignore_startup_parameters = extra_float_digits,options",
      `pidfile = ${path.join(dir, "pgbouncer.pid")}`,
      "",
    ].join("\n"),
  );
  // PgBouncer refuses to run as root: as the OS user postgres then
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout);
    const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout);
    for (const f of ["", "userlist.txt", "pgbouncer.ini"]) chownSync(path.join(dir, f), uid, gid);
  }
  const ini = path.join(dir, "pgbouncer.ini");
  bouncer = asRoot ? spawn("runuser", ["-u", "postgres", "--", PGBOUNCER, ini]) : spawn(PGBOUNCER, [ini]);
  bouncer.stdout!.on("data", (d: Buffer) => (log += d.toString()));
  bouncer.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  const url = new URL(app);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  // wait until it accepts connections
  for (let i = 0; ; i++) {
    const c = new pg.Client({ connectionString: url.toString() });
    try {
      await c.connect();
      await c.query("SELECT 1");
      await c.end();
      break;
    } catch (e) {
      await c.end().catch(() => undefined);
      if (i > 100 || bouncer.exitCode !== null) throw new Error(`PgBouncer did not start: ${String(e)}\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return url.toString();
}

beforeAll(async () => {
  expect(spawnSync(PGBOUNCER, ["--version"], { stdio: "ignore" }).status, "pgbouncer (Debian package pgbouncer) must be installed").toBe(0);
  bouncerUrl = await startPgBouncer();
  // from here on, the app connects through PgBouncer
  const shared = globalThis as unknown as { phteahDb?: { $disconnect(): Promise<void> } };
  if (shared.phteahDb) {
    await shared.phteahDb.$disconnect();
    delete shared.phteahDb;
  }
  process.env.DATABASE_URL = bouncerUrl;
  process.env.DATABASE_POOL_MAX = "6";
  validateEnv();
}, 60_000);

afterAll(async () => {
  const shared = globalThis as unknown as { phteahDb?: { $disconnect(): Promise<void> } };
  await shared.phteahDb?.$disconnect();
  if (bouncer && bouncer.exitCode === null) {
    const exited = new Promise((r) => bouncer!.once("exit", r));
    // SIGTERM: PgBouncer closes at once (runuser passes it on)
    bouncer.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (bouncer.exitCode === null) {
      const pid = Number(spawnSync("cat", [path.join(dir, "pgbouncer.pid")], { encoding: "utf8" }).stdout);
      if (pid > 0) process.kill(pid, "SIGKILL");
      bouncer.kill("SIGKILL");
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function workspace(prefix: string): Promise<{ tenantId: string; owner: Caller }> {
  const t = await createTenant({ slug: uniqueSlug(prefix), subscription: { plan: "pro", status: "active" } });
  return { tenantId: t.tenantId, owner: await signedIn(t.owner.userId, hostOf(t.slug)) };
}

describe("through PgBouncer in transaction mode", () => {
  it("tenant-scoped calls of two workspaces interleaved on 3 server connections each see only their own rows", async () => {
    const a = await workspace("pgb-a");
    const b = await workspace("pgb-b");
    await a.owner.properties.create({ name: "Alpha House", type: "house" });
    await b.owner.properties.create({ name: "Bravo Shop", type: "shop" });
    await b.owner.properties.create({ name: "Bravo Tower", type: "apartment_building" });

    const lists = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        (i % 2 === 0 ? a : b).owner.properties.list({ limit: 10 }).then((r) => r.items.map((p) => p.name)),
      ),
    );
    lists.forEach((names, i) => expect(names.sort()).toEqual(i % 2 === 0 ? ["Alpha House"] : ["Bravo Shop", "Bravo Tower"]));

    // a write in one tenant, reads of the other at the same time: no binding leaks between transactions
    const [created, ...others] = await Promise.all([
      a.owner.properties.create({ name: "Alpha Annex", type: "house" }),
      ...Array.from({ length: 6 }, () => b.owner.properties.list({ limit: 10 })),
    ]);
    expect(created.name).toBe("Alpha Annex");
    for (const o of others) expect(o.items.map((p) => p.name).sort()).toEqual(["Bravo Shop", "Bravo Tower"]);
    expect((await a.owner.properties.list({ limit: 10 })).items.map((p) => p.name).sort()).toEqual(["Alpha Annex", "Alpha House"]);
  });

  it("RLS: the app role sees a tenant's rows only inside a transaction that names it, and the setting ends with it", async () => {
    const a = await workspace("pgb-rls");
    await a.owner.properties.create({ name: "Hidden House", type: "house" });
    const c = new pg.Client({ connectionString: bouncerUrl });
    await c.connect();
    try {
      const count = async () =>
        Number((await c.query(`SELECT count(*) AS n FROM "Property" WHERE "tenantId" = $1`, [a.tenantId])).rows[0].n);
      expect(await count()).toBe(0);
      await c.query("BEGIN");
      await c.query("SELECT set_config('app.tenant_id', $1, true)", [a.tenantId]);
      expect(await count()).toBe(1);
      await c.query("COMMIT");
      // the next transaction (possibly on another server connection, possibly on the same one) names no tenant
      expect(await count()).toBe(0);
      expect((await c.query("SELECT current_setting('app.tenant_id', true) AS t")).rows[0].t || null).toBeNull();
      // and writing a row of that tenant is refused
      await expect(
        c.query(`INSERT INTO "Property" (id, "tenantId", name, type, "updatedAt") VALUES ($1, $2, 'Sneaky', 'house', now())`, [
          randomUUID(),
          a.tenantId,
        ]),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await c.end();
    }
  });

  it("transaction-scoped advisory locks exclude each other and end with their transaction", async () => {
    const key = `pgbouncer-test:${randomUUID()}`;
    const c1 = new pg.Client({ connectionString: bouncerUrl });
    const c2 = new pg.Client({ connectionString: bouncerUrl });
    await Promise.all([c1.connect(), c2.connect()]);
    try {
      const tryLock = async (c: pg.Client) =>
        (await c.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok", [key])).rows[0]!.ok;
      await c1.query("BEGIN");
      expect(await tryLock(c1)).toBe(true);
      await c2.query("BEGIN");
      expect(await tryLock(c2)).toBe(false);
      await c2.query("ROLLBACK");
      await c1.query("COMMIT");
      await c2.query("BEGIN");
      expect(await tryLock(c2)).toBe(true);
      await c2.query("COMMIT");
    } finally {
      await Promise.all([c1.end(), c2.end()]);
    }
  });

  it("the scheduler's lease: two instances ticking together run a due job once", async () => {
    const job = `pgb-sched-${randomUUID()}`;
    let calls = 0;
    let now = new Date("2030-05-01T00:00:30Z");
    const jobs = [{ id: job, schedule: "* * * * *", run: async () => ++calls }];
    const a = new JobScheduler({ jobs, now: () => now });
    const b = new JobScheduler({ jobs, now: () => now });
    await Promise.all([a.tick(), b.tick()]);
    now = new Date("2030-05-01T00:01:02Z");
    const ran = (await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()])).flatMap((r) => r.ran);
    expect(ran).toEqual([{ id: job, ok: true }]);
    expect(calls).toBe(1);
    expect(await platformDb.run((tx) => tx.jobRun.count({ where: { job, status: "succeeded" } }))).toBe(1);
  });

  it("many parameterised statements (unnamed prepared statements) through shared server connections", async () => {
    const pool = new pg.Pool({ connectionString: bouncerUrl, max: 10 });
    try {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => pool.query<{ v: number }>("SELECT $1::int * 2 AS v", [i]).then((r) => r.rows[0]!.v)),
      );
      expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
    } finally {
      await pool.end();
    }
  });
});
