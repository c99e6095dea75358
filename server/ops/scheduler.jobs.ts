import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { platformDb } from "@/server/db/platform-db";
import { logger } from "@/server/core/observability/logger";
import { nextRunOf, runRecorded } from "./job-runs.jobs";

/**
 * The in-process scheduler: where no Inngest server is configured (the one-command default), each
 * app instance runs the Inngest functions' cron jobs itself, on the same schedules and through the
 * same calls. Several instances share the database, so a job's due time is claimed by one
 * conditional UPDATE of its JobLease row (no session state: works through PgBouncer in
 * transaction mode); exactly one instance runs it, recorded as a JobRun (trigger "schedule").
 *
 * - A job first seen is due at its next cron time; after a successful run the next due time is
 *   the cron's next time after the run (missed times while nothing ran collapse into one run).
 * - A failed run is recorded failed and retried at the next tick, up to `maxAttempts` per due
 *   time; then the job waits for its next cron time.
 * - A run holds its lease `leaseMs` and renews it while it runs; a crashed instance's lease
 *   expires and another instance takes the job at its next tick.
 */

export interface ScheduledJob {
  id: string;
  /** cron (UTC, as Inngest reads it) */
  schedule: string;
  run: () => Promise<unknown>;
}

export interface SchedulerOptions {
  jobs: readonly ScheduledJob[];
  /** the clock (tests drive it); default: the system clock */
  now?: () => Date;
  /** this instance's name in JobLease.leasedBy */
  holder?: string;
  /** how often start() ticks; default 15 s */
  tickMs?: number;
  /** how long a claimed run holds its lease before another instance may take it; renewed while running */
  leaseMs?: number;
  /** attempts per due time before a failing job waits for its next cron time */
  maxAttempts?: number;
}

export interface TickReport {
  /** jobs this instance claimed and ran at this tick */
  ran: { id: string; ok: boolean }[];
}

export class JobScheduler {
  readonly holder: string;
  private readonly jobs: Map<string, ScheduledJob>;
  private readonly now: () => Date;
  private readonly tickMs: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly running = new Map<string, Promise<unknown>>();
  private registered: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(options: SchedulerOptions) {
    for (const job of options.jobs) {
      let next: Date | null = null;
      try {
        next = nextRunOf(job.schedule, new Date(0));
      } catch {
        // an invalid pattern: refused below
      }
      if (!next) throw new Error(`job ${job.id}: the schedule "${job.schedule}" never fires`);
    }
    this.jobs = new Map(options.jobs.map((j) => [j.id, j]));
    this.now = options.now ?? (() => new Date());
    this.holder = options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.tickMs = options.tickMs ?? 15_000;
    this.leaseMs = options.leaseMs ?? 10 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 3;
  }

  /** Every job's lease row (first due time: its next cron time); a changed schedule recomputes it. */
  private register(): Promise<void> {
    this.registered ??= (async () => {
      const now = this.now();
      for (const job of this.jobs.values()) {
        const nextDueAt = nextRunOf(job.schedule, now)!;
        await platformDb.run(async (tx) => {
          await tx.jobLease.createMany({ data: [{ job: job.id, schedule: job.schedule, nextDueAt }], skipDuplicates: true });
          await tx.jobLease.updateMany({
            where: { job: job.id, schedule: { not: job.schedule } },
            data: { schedule: job.schedule, nextDueAt, attempts: 0 },
          });
        });
      }
    })().catch((e: unknown) => {
      this.registered = null;
      throw e;
    });
    return this.registered;
  }

  /** One pass: claims every due job whose lease is free and runs it; resolves when those runs end. */
  async tick(): Promise<TickReport> {
    await this.register();
    const now = this.now();
    const due = await platformDb.run((tx) =>
      tx.jobLease.findMany({
        where: { job: { in: [...this.jobs.keys()] }, nextDueAt: { lte: now }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
        select: { job: true },
      }),
    );
    const runs = due.filter((d) => !this.running.has(d.job)).map((d) => this.claimAndRun(this.jobs.get(d.job)!, now));
    const results = await Promise.all(runs);
    return { ran: results.filter((r): r is { id: string; ok: boolean } => r !== null) };
  }

  private claimAndRun(job: ScheduledJob, now: Date): Promise<{ id: string; ok: boolean } | null> {
    const run = (async () => {
      // one conditional UPDATE: of several instances ticking at once, one matches the row
      const claimed = await platformDb.run((tx) =>
        tx.jobLease.updateMany({
          where: { job: job.id, nextDueAt: { lte: now }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
          data: { leasedBy: this.holder, leaseUntil: new Date(now.getTime() + this.leaseMs), attempts: { increment: 1 } },
        }),
      );
      if (claimed.count === 0) return null;
      const renew = setInterval(() => void this.renew(job.id), Math.max(1_000, Math.floor(this.leaseMs / 3)));
      renew.unref();
      let ok = true;
      try {
        await runRecorded(job.id, "schedule", job.run);
      } catch {
        ok = false; // recorded failed, logged and reported by runRecorded
      } finally {
        clearInterval(renew);
      }
      await this.release(job, ok).catch((e: unknown) => logger.warn({ err: e, job: job.id }, "could not release a job lease"));
      return { id: job.id, ok };
    })();
    this.running.set(job.id, run);
    return run.finally(() => this.running.delete(job.id));
  }

  private async renew(id: string): Promise<void> {
    await platformDb
      .run((tx) =>
        tx.jobLease.updateMany({
          where: { job: id, leasedBy: this.holder },
          data: { leaseUntil: new Date(this.now().getTime() + this.leaseMs) },
        }),
      )
      .catch((e: unknown) => logger.warn({ err: e, job: id }, "could not renew a job lease"));
  }

  /** Success (or the last failed attempt): next cron time; a failure with attempts left: due again at the next tick. */
  private async release(job: ScheduledJob, ok: boolean): Promise<void> {
    await platformDb.run(async (tx) => {
      const lease = await tx.jobLease.findUnique({ where: { job: job.id }, select: { attempts: true, leasedBy: true } });
      if (!lease || lease.leasedBy !== this.holder) return; // the lease expired and another instance took it
      const advance = ok || lease.attempts >= this.maxAttempts;
      await tx.jobLease.updateMany({
        where: { job: job.id, leasedBy: this.holder },
        data: advance
          ? { nextDueAt: nextRunOf(job.schedule, this.now())!, attempts: 0, leasedBy: null, leaseUntil: null }
          : { leasedBy: null, leaseUntil: null },
      });
    });
  }

  /** Ticks every `tickMs` until stop(). A tick's failure (database unreachable) is logged; the next tick tries again. */
  start(): void {
    if (this.timer || this.stopped) return;
    const loop = () => {
      if (this.stopped) return;
      // not awaited: a long job (backup) must not hold back the others; a job already running here is skipped
      this.tick().catch((e: unknown) => logger.warn({ err: e }, "scheduler tick failed"));
      this.timer = setTimeout(loop, this.tickMs);
      this.timer.unref();
    };
    this.timer = setTimeout(loop, 0);
    this.timer.unref();
    logger.info({ holder: this.holder, jobs: [...this.jobs.keys()] }, "in-process job scheduler started");
  }

  /** No new ticks; waits for the runs in progress (their leases are released as they end). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.running.values()]);
  }
}

/** The shape of an Inngest function this module reads (its id and triggers); no import of inngest/ here. */
export interface CronFunctionLike {
  id(): string;
  opts: { triggers?: readonly unknown[] };
}

/**
 * The cron jobs of the Inngest functions (their ids and cron triggers: one source of truth), each
 * run through `runJob(id)` (the same service call the Inngest handler makes). A cron function
 * without a runner is a programming error: refused at start-up.
 */
export function cronJobsOf(
  functions: readonly CronFunctionLike[],
  runners: Readonly<Record<string, () => Promise<unknown>>>,
): ScheduledJob[] {
  const jobs: ScheduledJob[] = [];
  for (const fn of functions) {
    for (const trigger of fn.opts.triggers ?? []) {
      const cron = typeof trigger === "object" && trigger !== null && "cron" in trigger ? (trigger as { cron: unknown }).cron : null;
      if (typeof cron !== "string") continue;
      const id = fn.id();
      const run = Object.hasOwn(runners, id) ? runners[id] : undefined;
      if (!run) throw new Error(`Inngest cron function "${id}" has no job to run in-process (server/ops/jobs.admin.ts JOBS)`);
      jobs.push({ id, schedule: cron, run });
    }
  }
  return jobs;
}

/** Which runner handles the cron jobs: JOB_SCHEDULER=in-process|off, or (auto) in-process unless Inngest is configured. */
export function schedulerMode(env: Record<string, string | undefined> = process.env): "in-process" | "off" {
  const choice = env.JOB_SCHEDULER?.trim() || "auto";
  if (choice === "in-process" || choice === "off") return choice;
  // Inngest configured: a signing key (Inngest Cloud or self-hosted), a base URL, or the local dev server
  const inngest = [env.INNGEST_SIGNING_KEY, env.INNGEST_BASE_URL, env.INNGEST_DEV].some((v) => v !== undefined && v.trim() !== "");
  return inngest ? "off" : "in-process";
}

const globalForScheduler = globalThis as unknown as { phteahScheduler?: JobScheduler };

/**
 * Starts this process's scheduler once (instrumentation.ts). server.mjs's graceful stop (SIGTERM)
 * calls globalThis.phteahScheduler.stop(): no new ticks, the runs in progress end and release
 * their leases. A process killed mid-run leaves a lease that expires after `leaseMs`.
 */
export function startInProcessScheduler(jobs: readonly ScheduledJob[], options: Omit<SchedulerOptions, "jobs"> = {}): JobScheduler {
  if (globalForScheduler.phteahScheduler) return globalForScheduler.phteahScheduler;
  const scheduler = new JobScheduler({ ...options, jobs });
  globalForScheduler.phteahScheduler = scheduler;
  scheduler.start();
  return scheduler;
}
