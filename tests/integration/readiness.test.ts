// Liveness and readiness (GET /api/health/live, /api/health/ready, /api/health as its alias) against
// a real database of this file's own: every component ok, then each fault on its own: the database
// stopped (503 naming it, then 200 again without restarting anything), migrations behind the build,
// an outbox backlog, a stuck job, an old or failed backup; details only with the token.
import { chmod, mkdtemp, mkdir, rm, utimes, writeFile } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateEnv } from "@/env";
import type { PrismaClient } from "@/server/db/client";
import { checkReadiness, readinessResponse } from "@/server/ops/health.public";
import { JOBS } from "@/server/ops/jobs.admin";
import { findFreePort, startEmbeddedPostgres, APP_ROLE, type EmbeddedPostgres } from "@/scripts/db/embedded";
import { applyMigrations, readMigrationList } from "@/scripts/db/engine";
import { grantAppRole } from "@/scripts/db/grants";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { GET as live } from "@/app/api/health/live/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { GET as ready } from "@/app/api/health/ready/route";
// eslint-disable-next-line no-restricted-imports -- this test calls the route handlers themselves
import { GET as health } from "@/app/api/health/route";
import { ownDatabaseForThisFile } from "./support/own-database";

ownDatabaseForThisFile("readiness");

const TOKEN = "readiness-test-token-0123456789";
/** a fixed instant: the checks measure ages against the injected clock, never today */
const T = new Date("2031-03-04T05:06:00.000Z");
const at = (ms: number) => () => new Date(T.getTime() + ms);
const MIN = 60_000;
const HOUR = 60 * MIN;

let su: pg.Client;
let tmp: string;
let envSnapshot: Record<string, string | undefined>;

const req = (headers: Record<string, string> = {}) => new Request("http://localhost:3000/api/health/ready", { headers });
const env = (extra: Record<string, string> = {}) => ({ ...process.env, HEALTH_DETAILS_TOKEN: TOKEN, ...extra });
const ALL_OK = { database: "ok", migrations: "ok", outbox: "ok", jobs: "ok", files: "ok", backup: "skipped" };

beforeAll(async () => {
  envSnapshot = { FILE_STORAGE_DIR: process.env.FILE_STORAGE_DIR, HEALTH_DETAILS_TOKEN: process.env.HEALTH_DETAILS_TOKEN };
  tmp = await mkdtemp(path.join(os.tmpdir(), "phteah-readiness-"));
  await chmod(tmp, 0o711); // the embedded cluster below runs as the postgres OS user
  process.env.FILE_STORAGE_DIR = path.join(tmp, "files");
  await mkdir(process.env.FILE_STORAGE_DIR);
  su = new pg.Client({ connectionString: process.env.DATABASE_MIGRATION_URL });
  await su.connect();
});

afterAll(async () => {
  await su?.end();
  for (const [k, v] of Object.entries(envSnapshot ?? {})) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await rm(tmp, { recursive: true, force: true });
});

async function jobRun(job: string, status: "succeeded" | "failed", startedAt: Date, error: string | null = null) {
  await su.query(
    `INSERT INTO "JobRun" (id, job, trigger, status, "startedAt", "finishedAt", "durationMs", error)
     VALUES (gen_random_uuid(), $1, 'schedule', $2, $3, $3, 5, $4)`,
    [job, status, startedAt, error],
  );
}

describe("liveness", () => {
  it("answers 200 without touching the database", async () => {
    const res = live();
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ status: "ok", uptimeSeconds: expect.any(Number) });
  });
});

describe("readiness", () => {
  it("is 200 with every component's status; /api/health answers the same", async () => {
    for (const handler of [ready, health]) {
      const res = await handler(req());
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toEqual({ status: "ok", db: "ok", components: ALL_OK, failing: [] });
    }
  });

  it("gives details only to the token (X-Health-Token or a bearer), never to a wrong one", async () => {
    const withToken = await (await readinessResponse(req({ "x-health-token": TOKEN }), { env: env() })).json();
    expect(withToken).toMatchObject({ status: "ok", components: ALL_OK, details: { database: { ms: expect.any(Number) } } });
    const heads = (await readMigrationList()).migrationDirectories.map((d) => d.path);
    expect(withToken.details.migrations).toMatchObject({ expectedHead: heads.at(-1), pending: [], unfinished: [] });
    expect(Object.keys(withToken.details.jobs.jobs).sort()).toEqual(Object.keys(JOBS).sort());
    const bearer = await (await readinessResponse(req({ authorization: `Bearer ${TOKEN}` }), { env: env() })).json();
    expect(bearer.details).toBeDefined();
    for (const headers of [{}, { "x-health-token": `${TOKEN}x` }, { authorization: "Bearer nope" }] as Record<string, string>[]) {
      const body = await (await readinessResponse(req(headers), { env: env() })).json();
      expect(body).toEqual({ status: "ok", db: "ok", components: ALL_OK, failing: [] });
    }
    // no token configured: nobody gets details with a header
    const unset = await (
      await readinessResponse(req({ "x-health-token": TOKEN }), { env: { ...process.env, HEALTH_DETAILS_TOKEN: "" } })
    ).json();
    expect(unset.details).toBeUndefined();
  });

  it("a migration this build has but the database lacks: 503 naming migrations, the pending one in the details", async () => {
    const dir = path.join(tmp, "migrations");
    const names = (await readMigrationList()).migrationDirectories.map((d) => d.path);
    for (const n of [...names, "20991231235959_not_applied"]) await mkdir(path.join(dir, n), { recursive: true });
    const res = await readinessResponse(req({ "x-health-token": TOKEN }), { env: env(), migrationsDir: dir });
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body).toMatchObject({ status: "degraded", db: "ok", failing: ["migrations"], components: { ...ALL_OK, migrations: "failed" } });
    expect(body.details.migrations).toMatchObject({ expectedHead: "20991231235959_not_applied", pending: ["20991231235959_not_applied"] });
    // a database ahead of the build (a rolled-back app on an expand-only schema) is ready
    const older = path.join(tmp, "migrations-older");
    for (const n of names.slice(0, -1)) await mkdir(path.join(older, n), { recursive: true });
    const behind = await readinessResponse(req({ "x-health-token": TOKEN }), { env: env(), migrationsDir: older });
    expect(behind.status).toBe(200);
    expect((await behind.json()).details.migrations.ahead).toEqual([names.at(-1)]);
  });

  it("an outbox event unpublished for longer than the threshold: 503 naming outbox", async () => {
    const { rows } = await su.query<{ id: string }>(
      `INSERT INTO "OutboxEvent" (id, name, payload, "availableAt", "createdAt") VALUES (gen_random_uuid(), 'readiness/probe', '{}', $1, $1) RETURNING id`,
      [T],
    );
    try {
      const fresh = await checkReadiness({ clock: at(5 * MIN), env: env() });
      expect(fresh.failing).toEqual([]);
      expect(fresh.components.outbox.detail).toMatchObject({ due: 1, oldestAgeSeconds: 300, maxAgeSeconds: 600 });
      const res = await readinessResponse(req({ "x-health-token": TOKEN }), { clock: at(11 * MIN), env: env() });
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body).toMatchObject({ failing: ["outbox"], components: { ...ALL_OK, outbox: "failed" } });
      expect(body.details.outbox).toMatchObject({ due: 1, oldestAgeSeconds: 660, oldestDueAt: T.toISOString() });
      // a lower threshold by setting
      expect((await checkReadiness({ clock: at(5 * MIN), env: env({ HEALTH_OUTBOX_MAX_AGE_SECONDS: "120" }) })).failing).toEqual([
        "outbox",
      ]);
    } finally {
      await su.query(`DELETE FROM "OutboxEvent" WHERE id = $1`, [rows[0]!.id]);
    }
  });

  it("a job whose last success is older than twice its interval: 503 naming the job", async () => {
    await jobRun("rent-invoice-run", "succeeded", T); // hourly
    await jobRun("rent-invoice-run", "failed", new Date(T.getTime() + HOUR), "boom: the invoice run broke");
    await jobRun("cleanup", "failed", T, "never worked"); // daily, never succeeded: measured from its first run
    try {
      const ok = await checkReadiness({ clock: at(2 * HOUR), env: env() });
      expect(ok.failing).toEqual([]);
      const res = await readinessResponse(req({ "x-health-token": TOKEN }), { clock: at(2 * HOUR + 5 * MIN), env: env() });
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body).toMatchObject({ status: "degraded", failing: ["jobs"], components: { ...ALL_OK, jobs: "failed" } });
      expect(body.details.jobs.stale).toEqual(["rent-invoice-run"]);
      expect(body.details.jobs.jobs["rent-invoice-run"]).toMatchObject({
        status: "failed",
        schedule: JOBS["rent-invoice-run"].schedule,
        lastSuccessAt: T.toISOString(),
        maxAgeSeconds: 7200,
        lastRun: { status: "failed", error: "boom: the invoice run broke" },
      });
      expect(body.details.jobs.jobs["outbox-relay"]).toMatchObject({ status: "no run yet", lastSuccessAt: null });
      // two days later the daily cleanup that never succeeded is stale too
      const later = await checkReadiness({ clock: at(49 * HOUR), env: env() });
      expect(later.components.jobs.detail.stale).toEqual(["cleanup", "rent-invoice-run"]);
    } finally {
      await su.query(`DELETE FROM "JobRun" WHERE job IN ('rent-invoice-run', 'cleanup')`);
    }
  });

  it("with BACKUP_DIR: the newest archive's age, and a failed last backup in the details", async () => {
    const dir = path.join(tmp, "backups");
    await mkdir(dir);
    const archive = path.join(dir, "phteah-2031-03-04T04-00-00Z.tar.gz");
    await writeFile(archive, "x");
    await writeFile(path.join(dir, "notes.txt"), "not an archive");
    await utimes(archive, new Date(T.getTime() - HOUR), new Date(T.getTime() - HOUR));
    const e = env({ BACKUP_DIR: dir });
    await jobRun("backup", "failed", T, "ENOSPC: no space left on device");
    try {
      const res = await readinessResponse(req({ "x-health-token": TOKEN }), { clock: at(0), env: e });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.components.backup).toBe("ok");
      expect(body.details.backup).toMatchObject({
        configured: true,
        newest: "phteah-2031-03-04T04-00-00Z.tar.gz",
        ageHours: 1,
        maxAgeHours: 48,
        lastRun: { status: "failed", error: "ENOSPC: no space left on device" },
        warnings: ["the last backup failed: ENOSPC: no space left on device"],
      });
      const old = await readinessResponse(req(), { clock: at(48 * HOUR), env: e });
      expect(old.status).toBe(503);
      expect(await old.json()).toMatchObject({ failing: ["backup"], components: { backup: "failed" } });
      // without BACKUP_DIR the age is not checked, but the failed run still shows
      const unconfigured = await checkReadiness({ clock: at(0), env: env() });
      expect(unconfigured.components.backup).toMatchObject({
        status: "skipped",
        detail: { configured: false, lastRun: { status: "failed" } },
      });
    } finally {
      await su.query(`DELETE FROM "JobRun" WHERE job = 'backup'`);
    }
  });

  it("a file store that cannot be written: 503 naming files", async () => {
    const blocked = path.join(tmp, "not-a-dir");
    await writeFile(blocked, "a file where the directory should be");
    process.env.FILE_STORAGE_DIR = blocked;
    try {
      const r = await checkReadiness({ env: env() });
      expect(r.failing).toEqual(["files"]);
      expect(r.components.files.detail.error).toEqual(expect.any(String));
    } finally {
      process.env.FILE_STORAGE_DIR = path.join(tmp, "files");
    }
  });
});

describe("readiness while the database hangs", () => {
  it("a server that accepts but never answers: 503 naming the database after the check's timeout", async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => void sockets.push(socket)); // accepts, never answers
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const holder = globalThis as unknown as { phteahDb?: PrismaClient };
    const live = holder.phteahDb;
    const savedUrl = process.env.DATABASE_URL;
    holder.phteahDb = undefined;
    process.env.DATABASE_URL = `postgresql://phteah_app:x@127.0.0.1:${port}/phteah`;
    validateEnv();
    try {
      const started = Date.now();
      const res = await readinessResponse(req(), { env: env({ HEALTH_CHECK_TIMEOUT_MS: "500" }) });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ db: "unreachable", failing: ["database"], components: { database: "failed" } });
      console.log(`[readiness] database hanging: 503 in ${((Date.now() - started) / 1000).toFixed(2)} s (timeout 0.5 s)`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const hung = holder.phteahDb as PrismaClient | undefined;
      await hung?.$disconnect().catch(() => undefined);
      holder.phteahDb = live;
      process.env.DATABASE_URL = savedUrl;
      validateEnv();
    }
  });
});

describe("readiness while the database stops and comes back", () => {
  let cluster: EmbeddedPostgres | undefined;
  let dataDir: string;
  let port: number;
  const holder = globalThis as unknown as { phteahDb?: PrismaClient };
  let parked: PrismaClient | undefined;
  let savedUrl: string | undefined;

  beforeAll(async () => {
    dataDir = path.join(tmp, "pg", "data");
    port = await findFreePort();
    cluster = await startEmbeddedPostgres({ dataDir, port, persistent: true });
    await applyMigrations(cluster.migrationUrl);
    await grantAppRole(cluster.migrationUrl, APP_ROLE);
    parked = holder.phteahDb;
    holder.phteahDb = undefined;
    savedUrl = process.env.DATABASE_URL;
    process.env.DATABASE_URL = cluster.appUrl;
    validateEnv();
  }, 180_000);

  afterAll(async () => {
    await holder.phteahDb?.$disconnect().catch(() => undefined);
    if (savedUrl !== undefined) {
      holder.phteahDb = parked;
      process.env.DATABASE_URL = savedUrl;
      validateEnv();
    }
    await cluster?.stop();
  });

  it("503 naming the database while PostgreSQL is stopped, 200 again once it is back, same process", async () => {
    const first = await ready(req());
    expect(first.status).toBe(200);
    const client = holder.phteahDb;
    expect(client).toBeDefined();

    await cluster!.stop();
    cluster = undefined;
    const started = Date.now();
    const down = await ready(req());
    const seconds = (Date.now() - started) / 1000;
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      status: "degraded",
      db: "unreachable",
      components: { database: "failed", migrations: "skipped", outbox: "skipped", jobs: "skipped", files: "ok", backup: "skipped" },
      failing: ["database"],
    });
    console.log(`[readiness] database stopped: 503 in ${seconds.toFixed(2)} s`);

    cluster = await startEmbeddedPostgres({ dataDir, port, persistent: true });
    let again = await ready(req());
    // the pool may hold a socket that died with the server: its first use fails, the next one reconnects
    for (let i = 0; again.status !== 200 && i < 10; i++) again = await ready(req());
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: "ok", db: "ok", components: ALL_OK, failing: [] });
    expect(holder.phteahDb).toBe(client); // no new client: the app was not restarted
  }, 180_000);
});
