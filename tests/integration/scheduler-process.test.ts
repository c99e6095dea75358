// "A server left running for a few minutes issues what is due, on a clock you control": a Node
// process runs the app's start-up hook (instrumentation.ts register(), what `next dev` and
// `npm start` call) with no Inngest configured, under libfaketime (Debian `faketime`) starting
// at 00:00:40 on 1 January 2030 and running 4x fast. Its in-process scheduler must issue the
// every-minute jobs (outbox-relay, message-retry) once per due minute, recorded as schedule
// runs, and nothing that is not due yet (the daily and hourly jobs). Its own database: the
// scheduler claims the real job ids.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { platformDb } from "@/server/db/platform-db";
import { JOBS } from "@/server/ops/jobs.admin";
import { nextRunOf } from "@/server/ops/job-runs.jobs";
import { functions } from "@/inngest";
import { ownDatabaseForThisFile } from "./support/own-database";

ownDatabaseForThisFile("scheduler_process");

const root = path.resolve(import.meta.dirname, "../..");
let child: ChildProcess | undefined;
let output = "";

/**
 * Ends the child's whole process group: `faketime` forks the node process it runs, so signalling
 * `faketime` alone left node running (with its scheduler) after the test. SIGTERM, then SIGKILL
 * for whatever is still there after 5 s.
 */
function signalGroup(signal: NodeJS.Signals | 0): boolean {
  if (!child?.pid) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

async function endChild() {
  if (!signalGroup("SIGTERM")) return;
  for (let waited = 0; waited < 5_000 && signalGroup(0); waited += 100) await new Promise((r) => setTimeout(r, 100));
  signalGroup("SIGKILL");
}

// a run that ends without afterAll (an interrupted one) still takes the group with it
const endOnExit = () => void signalGroup("SIGKILL");
process.once("exit", endOnExit);

afterAll(async () => {
  await endChild();
  process.off("exit", endOnExit);
});

describe("the in-process scheduler in a running server process", () => {
  it("issues the every-minute jobs once per due minute and nothing that is not due", { timeout: 150_000 }, async () => {
    expect(spawnSync("faketime", ["--help"], { stdio: "ignore" }).status, "faketime (Debian package faketime) must be installed").toBe(0);
    const env: NodeJS.ProcessEnv = { ...process.env, NEXT_RUNTIME: "nodejs", NODE_ENV: "development", JOB_SCHEDULER_TICK_MS: "5000" };
    for (const key of ["INNGEST_DEV", "INNGEST_BASE_URL", "INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY", "JOB_SCHEDULER", "SENTRY_DSN"])
      delete env[key];
    // under `npm run test:clock` this process already runs in libfaketime, whose settings (FAKETIME_FMT=%s,
    // FAKETIME_DONT_RESET, LD_PRELOAD) the child would inherit: it gets its own clock, not the outer one
    for (const key of Object.keys(env)) if (key.startsWith("FAKETIME")) delete env[key];
    if (env.LD_PRELOAD?.includes("faketime")) delete env.LD_PRELOAD;
    // timeouts run 4x fast under faketime too: give the pool room
    env.DATABASE_CONNECT_TIMEOUT_MS = "60000";
    const script = `const m = await import(${JSON.stringify(path.join(root, "instrumentation.ts"))}); await m.register(); console.log("registered", new Date().toISOString()); setInterval(() => {}, 1 << 30);`;
    child = spawn(
      "faketime",
      [
        "-f",
        "@2030-01-01 00:00:40 x4",
        process.execPath,
        "--conditions=react-server",
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        script,
      ],
      // its own process group (faketime and the node it forks), ended as one in afterAll
      { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
    );
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));

    const scheduleRuns = () =>
      platformDb.run((tx) =>
        tx.jobRun.findMany({
          where: { trigger: "schedule" },
          select: { job: true, status: true, startedAt: true },
          orderBy: { startedAt: "asc" },
        }),
      );
    // two due minutes of the every-minute jobs (each about 15 s of real time at 4x)
    await expect
      .poll(
        async () =>
          child?.exitCode !== null
            ? `exited: ${output}`
            : new Set((await scheduleRuns()).filter((r) => r.job === "outbox-relay").map((r) => r.startedAt.toISOString().slice(0, 16)))
                .size,
        {
          timeout: 140_000,
          interval: 1_000,
        },
      )
      .toBeGreaterThanOrEqual(2);

    const runs = await scheduleRuns();
    expect(output).toContain("registered 2030-01-01T00:");
    // only what was due ran: a job whose first cron time after the start is later than the last run did not
    // (the hourly ones fall at :05 and :10 at the earliest, the daily ones hours later)
    const last = runs.at(-1)!.startedAt;
    const start = new Date("2030-01-01T00:00:40Z");
    for (const [id, job] of Object.entries(JOBS)) {
      if (nextRunOf(job.schedule, start)! > last)
        expect(
          runs.filter((r) => r.job === id),
          id,
        ).toEqual([]);
    }
    expect(new Set(runs.map((r) => r.job))).toContain("message-retry");
    for (const job of ["outbox-relay", "message-retry"]) {
      const mine = runs.filter((r) => r.job === job);
      // on the faked clock, after the first due minute (00:01 or later), once per minute
      for (const r of mine) expect(r.startedAt.getTime()).toBeGreaterThanOrEqual(Date.parse("2030-01-01T00:01:00Z"));
      const minutes = mine.map((r) => r.startedAt.toISOString().slice(0, 16));
      expect(new Set(minutes).size, `${job}: ${minutes.join(", ")}`).toBe(minutes.length);
    }
    expect(
      runs.filter((r) => r.status === "failed"),
      output,
    ).toEqual([]);
    // every cron function of inngest/ registered its lease
    const leases = await platformDb.run((tx) => tx.jobLease.findMany({ select: { job: true } }));
    const cronFunctions = functions.filter((f) => (f.opts.triggers ?? []).some((t) => typeof t === "object" && t !== null && "cron" in t));
    expect(leases.map((l) => l.job).sort()).toEqual(cronFunctions.map((f) => f.id()).sort());
  });
});
