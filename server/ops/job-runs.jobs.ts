import "server-only";
import { Cron } from "croner";
import { platformDb } from "@/server/db/platform-db";
import { logger } from "@/server/core/observability/logger";
import { reportError } from "@/lib/observability/sentry";

export type JobTrigger = "schedule" | "admin";
export type JobRunStatus = "running" | "succeeded" | "failed";

export interface JobRunSummary {
  job: string;
  trigger: JobTrigger;
  status: JobRunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  error: string | null;
  result: unknown;
}

/** A result as JSON (Dates as ISO strings, no functions, no undefined). */
const asJson = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(value)));

/**
 * Runs a scheduled job and records the run (JobRun): started, then succeeded with its result and
 * duration, or failed with the error (logged and sent to Sentry, then rethrown so Inngest retries
 * and an admin sees the failure). Recording never changes the job's outcome: a failure to write
 * the record is logged, not thrown.
 */
export async function runRecorded<T>(job: string, trigger: JobTrigger, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const run = await platformDb
    .run((tx) => tx.jobRun.create({ data: { job, trigger, startedAt: new Date(started) }, select: { id: true } }))
    .catch((e: unknown) => {
      logger.warn({ err: e, job }, "could not record the start of a job run");
      return null;
    });
  const finish = async (data: { status: JobRunStatus; result?: unknown; error?: string }) => {
    if (!run) return;
    const finishedAt = new Date();
    await platformDb
      .run((tx) =>
        tx.jobRun.update({
          where: { id: run.id },
          data: {
            status: data.status,
            finishedAt,
            durationMs: finishedAt.getTime() - started,
            result: data.result === undefined ? undefined : (asJson(data.result) as never),
            error: data.error ?? null,
          },
        }),
      )
      .catch((e: unknown) => logger.warn({ err: e, job }, "could not record the end of a job run"));
  };
  try {
    const result = await fn();
    await finish({ status: "succeeded", result });
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ err: error, job, trigger }, "scheduled job failed");
    reportError(error, { path: `job:${job}` });
    await finish({ status: "failed", error: message.slice(0, 2_000) });
    throw error;
  }
}

/** The newest run of each of `jobs` (one statement: one index probe on (job, startedAt) per job). */
export async function lastRuns(jobs: readonly string[]): Promise<Map<string, JobRunSummary>> {
  const rows = await platformDb.run(
    (tx) =>
      tx.$queryRaw<JobRunSummary[]>`
      SELECT r.job, r.trigger, r.status, r."startedAt", r."finishedAt", r."durationMs", r.error, r.result
      FROM unnest(${[...jobs]}::text[]) AS j(id)
      CROSS JOIN LATERAL (SELECT * FROM "JobRun" WHERE job = j.id ORDER BY "startedAt" DESC LIMIT 1) r`,
  );
  return new Map(rows.map((r) => [r.job, r]));
}

/** Job runs are history for the console: kept `days`, but never a job's newest run. */
export async function pruneJobRuns(before: Date): Promise<number> {
  return platformDb.run(
    (tx) =>
      tx.$executeRaw`
      DELETE FROM "JobRun" r WHERE r."startedAt" < ${before}
        AND r."startedAt" < (SELECT max(n."startedAt") FROM "JobRun" n WHERE n.job = r.job)`,
  );
}

/** The next time a cron schedule (UTC, as Inngest reads it) fires after `from`. */
export function nextRunOf(schedule: string, from: Date = new Date()): Date | null {
  return new Cron(schedule, { paused: true, timezone: "UTC" }).nextRun(from);
}
