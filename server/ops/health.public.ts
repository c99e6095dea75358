import "server-only";
import { timingSafeEqual, createHash, randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { systemClock, type Clock } from "@/server/core/request-meta";
import { deleteStoredFile, readStoredFile, storageKeyFor, writeStoredFile } from "@/server/files/storage";
import { JOBS } from "./jobs.admin";
import { nextRunOf } from "./job-runs.jobs";

/** True when PostgreSQL answers within the timeout. */
export async function databaseIsUp(timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const probe = getDb().$queryRaw`SELECT 1`;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("database health probe timed out")), timeoutMs);
    });
    await Promise.race([probe, timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Row-level security is the second wall only if the app's role cannot bypass it. A production
 * server connected as a superuser or a BYPASSRLS role refuses to start.
 */
export async function appRoleProblems(): Promise<string[]> {
  const [role] = await getDb().$queryRaw<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }[]>`
    SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`;
  const problems: string[] = [];
  if (role?.rolsuper) problems.push(`DATABASE_URL connects as superuser "${role.rolname}"; use the application role`);
  if (role?.rolbypassrls) problems.push(`DATABASE_URL role "${role?.rolname}" has BYPASSRLS; row-level security would not apply`);
  return problems;
}

// ---------------------------------------------------------------------------------------
// Readiness (GET /api/health/ready, and /api/health, its alias): docs/OPERATIONS.md, "Health checks".

/** The readiness settings (process.env; every one optional). */
export const healthSettingsSchema = z.object({
  /** a caller sending it (X-Health-Token or Authorization: Bearer) gets the details; unset or shorter than 16: only platform admins do */
  HEALTH_DETAILS_TOKEN: z
    .string()
    .optional()
    .transform((v) => (v && v.trim().length >= 16 ? v.trim() : undefined)),
  /** ms each check may take before it counts as failed (a stopped database answers 503 within about this) */
  HEALTH_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).catch(2_000),
  /** the oldest unpublished outbox event may be this old (s); the relay runs every minute */
  HEALTH_OUTBOX_MAX_AGE_SECONDS: z.coerce.number().int().min(60).max(86_400).catch(600),
  /** with BACKUP_DIR set, the newest archive there may be this old (hours); the backup runs daily */
  HEALTH_BACKUP_MAX_AGE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 31)
    .catch(48),
  BACKUP_DIR: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined),
});
export type HealthSettings = z.infer<typeof healthSettingsSchema>;

export const COMPONENTS = ["database", "migrations", "outbox", "jobs", "files", "backup"] as const;
export type Component = (typeof COMPONENTS)[number];
/** ok; failed (not ready); skipped (not configured, or not checkable while the database is down) */
export type ComponentStatus = "ok" | "failed" | "skipped";

export interface ComponentResult {
  status: ComponentStatus;
  /** what an operator needs (ages, names, errors): only in the details */
  detail: Record<string, unknown>;
}

export interface Readiness {
  ready: boolean;
  components: Record<Component, ComponentResult>;
  failing: Component[];
  checkedAt: Date;
  ms: number;
}

export interface ReadinessOptions {
  clock?: Clock;
  env?: Record<string, string | undefined>;
  /** where the migrations this build expects are (default prisma/migrations under the working directory) */
  migrationsDir?: string;
}

class CheckTimeout extends Error {}

/** `work`, or a CheckTimeout after `ms` (the work itself is left to finish or fail on its own). */
async function within<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0]!.slice(0, 300);

async function runCheck(timeoutMs: number, check: () => Promise<ComponentResult>): Promise<ComponentResult> {
  const started = Date.now();
  try {
    const r = await within(timeoutMs, check);
    return { status: r.status, detail: { ...r.detail, ms: Date.now() - started } };
  } catch (e) {
    return { status: "failed", detail: { error: message(e), ms: Date.now() - started } };
  }
}

/** The migrations this build was made with (folder names, sorted), read once per directory. */
const expectedMigrations = new Map<string, Promise<string[]>>();
function migrationsOfBuild(dir: string): Promise<string[]> {
  let list = expectedMigrations.get(dir);
  if (!list) {
    list = fs.readdir(dir, { withFileTypes: true }).then((entries) =>
      entries
        .filter((e) => e.isDirectory() && /^\d{14}_/.test(e.name))
        .map((e) => e.name)
        .sort(),
    );
    list.catch(() => expectedMigrations.delete(dir));
    expectedMigrations.set(dir, list);
  }
  return list;
}

async function checkMigrations(dir: string): Promise<ComponentResult> {
  const expected = await migrationsOfBuild(dir);
  const rows = await getDb().$queryRaw<{ name: string; finished: boolean; rolledBack: boolean }[]>`
    SELECT migration_name AS name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS "rolledBack"
    FROM "_prisma_migrations"`;
  const applied = new Set(rows.filter((r) => r.finished && !r.rolledBack).map((r) => r.name));
  const unfinished = rows.filter((r) => !r.finished && !r.rolledBack).map((r) => r.name);
  const pending = expected.filter((m) => !applied.has(m));
  const expectedSet = new Set(expected);
  // a newer release's migrations (this build is a rollback): expand-only, so this build still runs
  const ahead = [...applied].filter((m) => !expectedSet.has(m)).sort();
  return {
    status: pending.length === 0 && unfinished.length === 0 ? "ok" : "failed",
    detail: { expectedHead: expected.at(-1) ?? null, pending, unfinished, ahead },
  };
}

async function checkOutbox(now: Date, maxAgeSeconds: number): Promise<ComponentResult> {
  const [row] = await platformDb.run(
    (tx) => tx.$queryRaw<{ oldest: Date | null; due: bigint }[]>`
      SELECT min("availableAt") AS oldest, count(*) AS due FROM (
        SELECT "availableAt" FROM "OutboxEvent" WHERE status = 'pending' AND "availableAt" <= ${now}
        ORDER BY "availableAt" LIMIT 1000) d`,
  );
  const ageSeconds = row?.oldest ? Math.max(0, Math.round((now.getTime() - row.oldest.getTime()) / 1000)) : 0;
  return {
    status: ageSeconds <= maxAgeSeconds ? "ok" : "failed",
    detail: {
      due: Number(row?.due ?? 0),
      oldestDueAt: row?.oldest?.toISOString() ?? null,
      oldestAgeSeconds: ageSeconds,
      maxAgeSeconds,
    },
  };
}

/** The time between two consecutive runs of a cron schedule after `now`. */
export function intervalOf(schedule: string, now: Date): number {
  const first = nextRunOf(schedule, now);
  const second = first ? nextRunOf(schedule, first) : null;
  return first && second ? second.getTime() - first.getTime() : 24 * 3600_000;
}

/**
 * Each scheduled job's last success must be within twice its interval. A job that never succeeded
 * is measured from its first recorded run (a fresh installation with no run yet is not failing:
 * nothing has been due long enough to tell).
 */
async function checkJobs(now: Date): Promise<ComponentResult> {
  const ids = Object.keys(JOBS);
  const rows = await platformDb.run(
    (tx) => tx.$queryRaw<
      { job: string; lastSuccessAt: Date | null; firstRunAt: Date | null; lastStatus: string | null; lastError: string | null }[]
    >`
      SELECT j.id AS job,
        (SELECT max(r."finishedAt") FROM "JobRun" r WHERE r.job = j.id AND r.status = 'succeeded') AS "lastSuccessAt",
        (SELECT min(r."startedAt") FROM "JobRun" r WHERE r.job = j.id) AS "firstRunAt",
        l.status AS "lastStatus", l.error AS "lastError"
      FROM unnest(${ids}::text[]) AS j(id)
      LEFT JOIN LATERAL (SELECT status, error FROM "JobRun" r WHERE r.job = j.id ORDER BY r."startedAt" DESC LIMIT 1) l ON true`,
  );
  const jobs: Record<string, unknown> = {};
  const stale: string[] = [];
  for (const r of rows) {
    const schedule = JOBS[r.job as keyof typeof JOBS].schedule;
    const maxAgeMs = 2 * intervalOf(schedule, now);
    const since = r.lastSuccessAt ?? r.firstRunAt;
    const ageSeconds = since ? Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000)) : null;
    const late = since !== null && now.getTime() - since.getTime() > maxAgeMs;
    if (late) stale.push(r.job);
    jobs[r.job] = {
      status: late ? "failed" : since ? "ok" : "no run yet",
      schedule,
      lastSuccessAt: r.lastSuccessAt?.toISOString() ?? null,
      ageSeconds,
      maxAgeSeconds: maxAgeMs / 1000,
      lastRun: r.lastStatus ? { status: r.lastStatus, error: r.lastError } : null,
    };
  }
  return { status: stale.length === 0 ? "ok" : "failed", detail: { stale, jobs } };
}

/** The file store takes a write, gives it back, and deletes it (the local directory or the bucket). */
async function checkFiles(): Promise<ComponentResult> {
  const key = storageKeyFor("00000000-0000-0000-0000-000000000000", randomUUID());
  const probe = Buffer.from(`phteah readiness probe ${new Date().toISOString()}`);
  await writeStoredFile(key, probe);
  try {
    const back = await readStoredFile(key);
    if (!back || !back.equals(probe)) throw new Error("the probe file read back differs from what was written");
  } finally {
    await deleteStoredFile(key);
  }
  return { status: "ok", detail: {} };
}

const ARCHIVE = /^phteah-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.tar\.gz(\.enc)?$/;

/** The newest archive in BACKUP_DIR (when set) and the backup job's last run (shown whatever its outcome). */
async function checkBackup(now: Date, settings: HealthSettings, databaseUp: boolean): Promise<ComponentResult> {
  const lastRun = databaseUp
    ? await platformDb
        .run(
          (tx) => tx.$queryRaw<{ status: string; startedAt: Date; finishedAt: Date | null; error: string | null }[]>`
            SELECT status, "startedAt", "finishedAt", error FROM "JobRun" WHERE job = 'backup' ORDER BY "startedAt" DESC LIMIT 1`,
        )
        .then(([r]) =>
          r
            ? { status: r.status, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null, error: r.error }
            : null,
        )
    : undefined;
  const warnings = lastRun?.status === "failed" ? [`the last backup failed: ${lastRun.error ?? "unknown error"}`] : [];
  if (!settings.BACKUP_DIR) return { status: "skipped", detail: { configured: false, lastRun, warnings } };
  const dir = path.resolve(settings.BACKUP_DIR); // as the backup job resolves it (backup.jobs.ts backupDir)
  const names = (await fs.readdir(dir)).filter((n) => ARCHIVE.test(n));
  let newest: { name: string; at: Date } | null = null;
  for (const name of names) {
    const st = await fs.stat(path.join(dir, name));
    if (!newest || st.mtime > newest.at) newest = { name, at: st.mtime };
  }
  const maxAgeHours = settings.HEALTH_BACKUP_MAX_AGE_HOURS;
  const ageHours = newest ? Math.round(((now.getTime() - newest.at.getTime()) / 3600_000) * 10) / 10 : null;
  return {
    status: ageHours !== null && ageHours <= maxAgeHours ? "ok" : "failed",
    detail: {
      configured: true,
      newest: newest?.name ?? null,
      newestAt: newest?.at.toISOString() ?? null,
      ageHours,
      maxAgeHours,
      lastRun,
      warnings,
    },
  };
}

/** Every readiness check, each within its timeout; the database first (the others need it). */
export async function checkReadiness(opts: ReadinessOptions = {}): Promise<Readiness> {
  const started = Date.now();
  const settings = healthSettingsSchema.parse(opts.env ?? process.env);
  const now = (opts.clock ?? systemClock)();
  const t = settings.HEALTH_CHECK_TIMEOUT_MS;
  const database = await runCheck(t, async () => {
    await getDb().$queryRaw`SELECT 1`;
    return { status: "ok", detail: {} };
  });
  const up = database.status === "ok";
  const needsDb = (check: () => Promise<ComponentResult>) =>
    up ? runCheck(t, check) : Promise.resolve<ComponentResult>({ status: "skipped", detail: { reason: "the database is unreachable" } });
  const [migrations, outbox, jobs, files, backup] = await Promise.all([
    needsDb(() => checkMigrations(opts.migrationsDir ?? path.join(process.cwd(), "prisma/migrations"))),
    needsDb(() => checkOutbox(now, settings.HEALTH_OUTBOX_MAX_AGE_SECONDS)),
    needsDb(() => checkJobs(now)),
    runCheck(t, checkFiles),
    runCheck(t, () => checkBackup(now, settings, up)),
  ]);
  const components = { database, migrations, outbox, jobs, files, backup };
  const failing = COMPONENTS.filter((c) => components[c].status === "failed");
  return { ready: failing.length === 0, components, failing, checkedAt: now, ms: Date.now() - started };
}

/** Whether the request carries the details token (X-Health-Token, or Authorization: Bearer), compared in constant time. */
export function hasDetailsToken(headers: Headers, env: Record<string, string | undefined> = process.env): boolean {
  const expected = healthSettingsSchema.shape.HEALTH_DETAILS_TOKEN.safeParse(env.HEALTH_DETAILS_TOKEN);
  if (!expected.success || !expected.data) return false; // unset or too short: no token opens the details
  const sent = headers.get("x-health-token") ?? /^Bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "")?.[1] ?? null;
  if (!sent) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(sent.trim()), digest(expected.data));
}

/**
 * The answer of /api/health/ready (and /api/health): 200 when every component is ok or skipped, else
 * 503; `failing` names the failed components. `db` is the answer /api/health always gave. The
 * details (ages, job names, errors, thresholds) only with `details`.
 */
export function readinessBody(r: Readiness, details: boolean) {
  const body = {
    status: r.ready ? ("ok" as const) : ("degraded" as const),
    db: r.components.database.status === "ok" ? ("ok" as const) : ("unreachable" as const),
    components: Object.fromEntries(COMPONENTS.map((c) => [c, r.components[c].status])) as Record<Component, ComponentStatus>,
    failing: r.failing,
  };
  if (!details) return body;
  return {
    ...body,
    checkedAt: r.checkedAt.toISOString(),
    ms: r.ms,
    details: Object.fromEntries(COMPONENTS.map((c) => [c, r.components[c].detail])) as Record<Component, Record<string, unknown>>,
  };
}

/** Whether the request comes from a signed-in platform admin who passed 2FA (on the apex); never throws. */
async function isPlatformAdminRequest(request: Request, timeoutMs: number): Promise<boolean> {
  if (!request.headers.get("cookie")) return false;
  try {
    const { createRequestResolver } = await import("@/server/core/tenant-resolver");
    const { currentClaims } = await import("@/server/auth/next-auth.public");
    const resolver = createRequestResolver({ headers: request.headers, getClaims: currentClaims });
    await within(timeoutMs, () => resolver.platformAdmin());
    return true;
  } catch {
    return false;
  }
}

/** GET /api/health/ready and /api/health: the readiness answer, with details for the token or a platform admin. */
export async function readinessResponse(request: Request | undefined, opts: ReadinessOptions = {}): Promise<Response> {
  const env = opts.env ?? process.env;
  const readiness = await checkReadiness(opts);
  const details =
    request !== undefined &&
    (hasDetailsToken(request.headers, env) ||
      (readiness.components.database.status === "ok" &&
        (await isPlatformAdminRequest(request, healthSettingsSchema.parse(env).HEALTH_CHECK_TIMEOUT_MS))));
  return Response.json(readinessBody(readiness, details), {
    status: readiness.ready ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
