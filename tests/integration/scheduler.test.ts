// The in-process scheduler (server/ops/scheduler.jobs.ts): where no Inngest server is configured,
// each instance runs the Inngest functions' cron jobs itself. Two scheduler instances share the
// database and a controlled clock (no real waiting): a due job runs once across both, a job not
// yet due does not run, a running job is never started by the other instance, a failing job is
// recorded failed and retried at the next tick (up to its attempts), a crashed holder's lease
// expires. Each test uses job ids of its own, so other files' jobs are untouched.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { platformDb } from "@/server/db/platform-db";
import { cronJobsOf, JobScheduler, schedulerMode, type ScheduledJob } from "@/server/ops/scheduler.jobs";
import { JOBS } from "@/server/ops/jobs.admin";
import { functions } from "@/inngest";

const runsOf = (job: string) =>
  platformDb.run((tx) =>
    tx.jobRun.findMany({ where: { job }, orderBy: { startedAt: "asc" }, select: { status: true, trigger: true, error: true } }),
  );
const leaseOf = (job: string) => platformDb.run((tx) => tx.jobLease.findUniqueOrThrow({ where: { job } }));

/** A clock the test moves by hand. */
function clockAt(iso: string) {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => (now = new Date(next)) };
}

function twoInstances(jobs: ScheduledJob[], clock: { now: () => Date }, options: { maxAttempts?: number; leaseMs?: number } = {}) {
  return [
    new JobScheduler({ jobs, now: clock.now, holder: `a-${randomUUID()}`, ...options }),
    new JobScheduler({ jobs, now: clock.now, holder: `b-${randomUUID()}`, ...options }),
  ] as const;
}

const ids = (ran: { id: string; ok: boolean }[]) => ran.map((r) => `${r.id}:${r.ok ? "ok" : "failed"}`).sort();

describe("in-process scheduler", () => {
  it("runs a due job once across two instances ticking together, and not a job that is not due", async () => {
    const every5 = `sched-every5-${randomUUID()}`;
    const yearly = `sched-yearly-${randomUUID()}`;
    const calls = { [every5]: 0, [yearly]: 0 };
    const jobs: ScheduledJob[] = [
      { id: every5, schedule: "*/5 * * * *", run: async () => ({ n: ++calls[every5]! }) },
      { id: yearly, schedule: "0 0 1 1 *", run: async () => ({ n: ++calls[yearly]! }) },
    ];
    const clock = clockAt("2030-03-10T00:01:00Z");
    const [a, b] = twoInstances(jobs, clock);

    // first seen at 00:01: due at 00:05 (and the yearly one next January)
    expect((await Promise.all([a.tick(), b.tick()])).flatMap((r) => r.ran)).toEqual([]);
    expect((await leaseOf(every5)).nextDueAt).toEqual(new Date("2030-03-10T00:05:00Z"));
    expect((await leaseOf(yearly)).nextDueAt).toEqual(new Date("2031-01-01T00:00:00Z"));

    clock.set("2030-03-10T00:04:59Z");
    expect((await Promise.all([a.tick(), b.tick()])).flatMap((r) => r.ran)).toEqual([]);

    // due: both instances tick at once, exactly one runs it
    clock.set("2030-03-10T00:05:10Z");
    const ran = (await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()])).flatMap((r) => r.ran);
    expect(ids(ran)).toEqual([`${every5}:ok`]);
    expect(calls).toEqual({ [every5]: 1, [yearly]: 0 });
    expect(await runsOf(every5)).toEqual([{ status: "succeeded", trigger: "schedule", error: null }]);
    expect(await runsOf(yearly)).toEqual([]);
    const lease = await leaseOf(every5);
    expect(lease).toMatchObject({ nextDueAt: new Date("2030-03-10T00:10:00Z"), attempts: 0, leasedBy: null, leaseUntil: null });

    // the same due time is not run again; the next one is, once
    clock.set("2030-03-10T00:09:00Z");
    expect((await Promise.all([a.tick(), b.tick()])).flatMap((r) => r.ran)).toEqual([]);
    clock.set("2030-03-10T00:10:01Z");
    expect(ids((await Promise.all([b.tick(), a.tick()])).flatMap((r) => r.ran))).toEqual([`${every5}:ok`]);
    expect(calls).toEqual({ [every5]: 2, [yearly]: 0 });

    // missed times (no instance ran for an hour) collapse into one run
    clock.set("2030-03-10T01:12:00Z");
    expect(ids((await Promise.all([a.tick(), b.tick()])).flatMap((r) => r.ran))).toEqual([`${every5}:ok`]);
    expect(calls[every5]).toBe(3);
    expect((await leaseOf(every5)).nextDueAt).toEqual(new Date("2030-03-10T01:15:00Z"));
  });

  it("never starts a job the other instance is still running", async () => {
    const slow = `sched-slow-${randomUUID()}`;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = 0;
    const jobs: ScheduledJob[] = [
      {
        id: slow,
        schedule: "* * * * *",
        run: async () => {
          started++;
          await gate;
        },
      },
    ];
    const clock = clockAt("2030-03-10T00:00:30Z");
    const [a, b] = twoInstances(jobs, clock);
    await Promise.all([a.tick(), b.tick()]);

    clock.set("2030-03-10T00:01:05Z");
    const first = a.tick();
    await expect.poll(() => started).toBe(1);
    // later ticks on both instances while it runs: nothing starts
    clock.set("2030-03-10T00:02:05Z");
    expect((await b.tick()).ran).toEqual([]);
    expect((await leaseOf(slow)).leasedBy).toBe(a.holder);
    release();
    expect(ids((await first).ran)).toEqual([`${slow}:ok`]);
    expect(started).toBe(1);
    expect(await runsOf(slow)).toEqual([{ status: "succeeded", trigger: "schedule", error: null }]);
  });

  it("records a failing job failed and retries it at the next tick, up to its attempts", async () => {
    const flaky = `sched-flaky-${randomUUID()}`;
    const broken = `sched-broken-${randomUUID()}`;
    let flakyCalls = 0;
    const jobs: ScheduledJob[] = [
      {
        id: flaky,
        schedule: "0 * * * *",
        run: async () => {
          if (++flakyCalls === 1) throw new Error("the mail provider timed out");
          return { sent: 1 };
        },
      },
      {
        id: broken,
        schedule: "0 * * * *",
        run: async () => {
          throw new Error("always broken");
        },
      },
    ];
    const clock = clockAt("2030-03-10T09:59:00Z");
    const [a, b] = twoInstances(jobs, clock, { maxAttempts: 2 });
    await Promise.all([a.tick(), b.tick()]);

    clock.set("2030-03-10T10:00:05Z");
    expect(ids((await Promise.all([a.tick(), b.tick()])).flatMap((r) => r.ran))).toEqual([`${broken}:failed`, `${flaky}:failed`]);
    expect(await runsOf(flaky)).toEqual([{ status: "failed", trigger: "schedule", error: "the mail provider timed out" }]);
    // still due (same time), attempt 1 recorded, lease free
    expect(await leaseOf(flaky)).toMatchObject({ nextDueAt: new Date("2030-03-10T10:00:00Z"), attempts: 1, leasedBy: null });

    // the next tick retries both: the flaky one succeeds, the broken one fails its last attempt
    clock.set("2030-03-10T10:00:20Z");
    expect(ids((await Promise.all([b.tick(), a.tick()])).flatMap((r) => r.ran))).toEqual([`${broken}:failed`, `${flaky}:ok`]);
    expect((await runsOf(flaky)).map((r) => r.status)).toEqual(["failed", "succeeded"]);
    expect((await runsOf(broken)).map((r) => r.status)).toEqual(["failed", "failed"]);
    expect(await leaseOf(flaky)).toMatchObject({ nextDueAt: new Date("2030-03-10T11:00:00Z"), attempts: 0 });
    expect(await leaseOf(broken)).toMatchObject({ nextDueAt: new Date("2030-03-10T11:00:00Z"), attempts: 0 });

    // out of attempts: the broken job waits for its next cron time
    clock.set("2030-03-10T10:00:40Z");
    expect((await Promise.all([a.tick(), b.tick()])).flatMap((r) => r.ran)).toEqual([]);
    clock.set("2030-03-10T11:00:01Z");
    expect(ids((await a.tick()).ran)).toEqual([`${broken}:failed`, `${flaky}:ok`]);
  });

  it("takes over a job whose holder crashed once its lease has expired", async () => {
    const job = `sched-crash-${randomUUID()}`;
    let calls = 0;
    const jobs: ScheduledJob[] = [{ id: job, schedule: "* * * * *", run: async () => ++calls }];
    const clock = clockAt("2030-03-10T00:00:30Z");
    const [a] = twoInstances(jobs, clock, { leaseMs: 5 * 60_000 });
    await a.tick();
    // an instance claimed the 00:01 run and died
    await platformDb.run((tx) =>
      tx.jobLease.update({
        where: { job },
        data: { leasedBy: "dead-instance", leaseUntil: new Date("2030-03-10T00:06:00Z"), attempts: 1 },
      }),
    );
    clock.set("2030-03-10T00:03:00Z");
    expect((await a.tick()).ran).toEqual([]);
    clock.set("2030-03-10T00:06:01Z");
    expect(ids((await a.tick()).ran)).toEqual([`${job}:ok`]);
    expect(calls).toBe(1);
  });

  it("a changed schedule recomputes the next due time", async () => {
    const job = `sched-changed-${randomUUID()}`;
    const clock = clockAt("2030-03-10T00:00:30Z");
    await new JobScheduler({ jobs: [{ id: job, schedule: "0 0 1 1 *", run: async () => null }], now: clock.now }).tick();
    expect((await leaseOf(job)).nextDueAt).toEqual(new Date("2031-01-01T00:00:00Z"));
    await new JobScheduler({ jobs: [{ id: job, schedule: "*/10 * * * *", run: async () => null }], now: clock.now }).tick();
    expect(await leaseOf(job)).toMatchObject({ schedule: "*/10 * * * *", nextDueAt: new Date("2030-03-10T00:10:00Z") });
  });

  it("stop() waits for the runs in progress", async () => {
    const job = `sched-stop-${randomUUID()}`;
    let done = false;
    const clock = clockAt("2030-03-10T00:00:30Z");
    const s = new JobScheduler({
      jobs: [
        {
          id: job,
          schedule: "* * * * *",
          run: async () => {
            await new Promise((r) => setTimeout(r, 200));
            done = true;
          },
        },
      ],
      now: clock.now,
      tickMs: 60_000,
    });
    await s.tick();
    clock.set("2030-03-10T00:01:00Z");
    s.start(); // ticks at once
    await expect.poll(async () => (await leaseOf(job)).leasedBy).toBe(s.holder);
    await s.stop();
    expect(done).toBe(true);
    expect(await leaseOf(job)).toMatchObject({ leasedBy: null, nextDueAt: new Date("2030-03-10T00:02:00Z") });
  });
});

describe("which jobs and when", () => {
  it("reads every cron job from the Inngest functions (id and schedule), each running the JOBS call", () => {
    const runners = Object.fromEntries(Object.entries(JOBS).map(([id, job]) => [id, job.run as () => Promise<unknown>]));
    const jobs = cronJobsOf(functions, runners);
    expect(jobs.map((j) => j.id).sort()).toEqual(Object.keys(JOBS).sort());
    for (const job of jobs) {
      expect(job.schedule).toBe(JOBS[job.id as keyof typeof JOBS].schedule);
      expect(job.run).toBe(runners[job.id]);
    }
    // a cron function without a job is refused at start-up
    expect(() => cronJobsOf(functions, {})).toThrow(/has no job to run in-process/);
  });

  it("runs in-process only when no Inngest server is configured, unless told", () => {
    expect(schedulerMode({})).toBe("in-process");
    expect(schedulerMode({ JOB_SCHEDULER: "auto", INNGEST_DEV: "" })).toBe("in-process");
    expect(schedulerMode({ INNGEST_SIGNING_KEY: "signkey-prod-1" })).toBe("off");
    expect(schedulerMode({ INNGEST_BASE_URL: "http://inngest:8288" })).toBe("off");
    expect(schedulerMode({ INNGEST_DEV: "1" })).toBe("off");
    expect(schedulerMode({ JOB_SCHEDULER: "in-process", INNGEST_DEV: "1" })).toBe("in-process");
    expect(schedulerMode({ JOB_SCHEDULER: "off" })).toBe("off");
  });

  it("refuses a schedule that never fires", () => {
    expect(() => new JobScheduler({ jobs: [{ id: "x", schedule: "0 0 31 2 *", run: async () => null }] })).toThrow(/never fires/);
  });
});
