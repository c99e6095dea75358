// Job runs (server/ops/job-runs.jobs.ts): every scheduled or admin run is recorded with its outcome,
// /admin/jobs lists each job's last run and next run, and the daily backup job writes a verified
// archive into BACKUP_DIR and rotates the old ones; a failed backup is recorded as failed and
// leaves no partial archive.
import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { platformDb } from "@/server/db/platform-db";
import { lastRuns, nextRunOf, pruneJobRuns, runRecorded } from "@/server/ops/job-runs.jobs";
import { archiveName, runScheduledBackup } from "@/server/ops/backup/backup.jobs";
import { openArchive } from "@/server/ops/backup/restore";
import { createTenant, createUser, uniqueSlug } from "@/server/testing/factories";
import { APEX, callerFor, passMfa, sessionFor } from "./support/world";

const dirs: string[] = [];
const tempDir = async () => {
  const d = await mkdtemp(path.join(tmpdir(), "phteah-jobruns-"));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const runsOf = (job: string) => platformDb.run((tx) => tx.jobRun.findMany({ where: { job }, orderBy: { startedAt: "asc" } }));

describe("runRecorded", () => {
  it("records a run that succeeds with its result and duration, and one that fails with its error (rethrown)", async () => {
    const job = `test-${randomUUID()}`;
    await expect(runRecorded(job, "schedule", async () => ({ sent: 3, at: new Date("2026-01-02T03:04:05Z") }))).resolves.toEqual({
      sent: 3,
      at: new Date("2026-01-02T03:04:05Z"),
    });
    await expect(
      runRecorded(job, "admin", async () => {
        throw new Error("the mail provider refused the batch");
      }),
    ).rejects.toThrow("the mail provider refused the batch");
    const runs = await runsOf(job);
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({
      trigger: "schedule",
      status: "succeeded",
      result: { sent: 3, at: "2026-01-02T03:04:05.000Z" },
      error: null,
    });
    expect(runs[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(runs[0]!.finishedAt).not.toBeNull();
    expect(runs[1]).toMatchObject({ trigger: "admin", status: "failed", error: "the mail provider refused the batch", result: null });
    const last = await lastRuns([job, `never-${randomUUID()}`]);
    expect(last.size).toBe(1);
    expect(last.get(job)).toMatchObject({ status: "failed", trigger: "admin" });
  });

  it("prunes old runs but always keeps each job's newest", async () => {
    const job = `test-${randomUUID()}`;
    const old = new Date("2000-01-01T00:00:00Z");
    await platformDb.run((tx) =>
      tx.jobRun.createMany({
        data: [0, 1, 2].map((i) => ({ job, trigger: "schedule", status: "succeeded", startedAt: new Date(old.getTime() + i * 60_000) })),
      }),
    );
    expect(await pruneJobRuns(new Date("2000-02-01T00:00:00Z"))).toBeGreaterThanOrEqual(2);
    const left = await runsOf(job);
    expect(left.map((r) => r.startedAt)).toEqual([new Date(old.getTime() + 2 * 60_000)]);
  });

  it("computes the next run of a schedule in UTC", () => {
    expect(nextRunOf("30 20 * * *", new Date("2026-12-06T12:00:00Z"))).toEqual(new Date("2026-12-06T20:30:00Z"));
    expect(nextRunOf("30 20 * * *", new Date("2026-12-31T20:30:00Z"))).toEqual(new Date("2027-01-01T20:30:00Z"));
  });
});

describe("/admin/jobs", () => {
  let admin: Awaited<ReturnType<typeof callerFor>>;
  beforeAll(async () => {
    const user = await createUser({ email: `jobs-${randomUUID()}@phteah.test`, isPlatformAdmin: true });
    admin = await callerFor(APEX, await passMfa(await sessionFor(user.id, APEX)));
  });

  it("lists every job with its schedule, next run and last run; a run from the console shows up as the last run", async () => {
    await admin.admin.runJob({ id: "cleanup" });
    const jobs = await admin.admin.jobs();
    const byId = new Map(jobs.map((j) => [j.id, j]));
    expect([...byId.keys()]).toEqual(expect.arrayContaining(["backup", "retention", "cleanup", "rent-invoice-run"]));
    for (const j of jobs) expect(j.nextRunAt!.getTime()).toBeGreaterThan(Date.now() - 1000);
    expect(byId.get("cleanup")!.lastRun).toMatchObject({ trigger: "admin", status: "succeeded" });
  });
});

describe("the daily backup job", () => {
  it("writes a verified archive of the database and the files into BACKUP_DIR and rotates the old ones", async () => {
    const dir = await tempDir();
    const files = await tempDir();
    await writeFile(path.join(files, "marker.bin"), "a file the backup must carry");
    // a workspace of this file's own: the archive's Tenant rows must not depend on another file
    // having created one first (this file may run first in the run's database)
    await createTenant({ slug: uniqueSlug("bkp") });
    const prev = process.env.FILE_STORAGE_DIR;
    process.env.FILE_STORAGE_DIR = files;
    const old = ["2026-01-01", "2026-01-15", "2026-02-01"].map((d) => archiveName(new Date(`${d}T20:30:00Z`), false));
    for (const n of old) await writeFile(path.join(dir, n), "old");
    await writeFile(path.join(dir, "notes.txt"), "not an archive");
    try {
      const now = new Date("2026-03-05T20:30:00Z");
      const r = await runScheduledBackup(() => now, {
        DATABASE_URL: inject("DATABASE_URL"),
        BACKUP_DIR: dir,
        BACKUP_KEEP_DAILY: "2",
        BACKUP_KEEP_MONTHLY: "1",
      });
      expect(r).toMatchObject({ file: archiveName(now, false), encrypted: false, files: 1, kept: 2, removed: [old[0], old[1]] });
      expect(r.tables).toBeGreaterThan(30);
      expect(r.rows).toBeGreaterThan(0);
      expect((await readdir(dir)).sort()).toEqual([old[2], r.file, "notes.txt"].sort());
      const manifest = await openArchive(path.join(dir, r.file), null, await tempDir());
      expect(manifest.files.map((f) => f.path)).toEqual(["marker.bin"]);
      expect(manifest.tables.find((t) => t.name === "Tenant")!.rows).toBeGreaterThan(0);
    } finally {
      process.env.FILE_STORAGE_DIR = prev;
    }
  }, 120_000);

  it("records a failed backup as failed and leaves no archive behind", async () => {
    const dir = await tempDir();
    const job = `backup-test-${randomUUID()}`;
    await expect(
      runRecorded(job, "schedule", () =>
        runScheduledBackup(() => new Date("2026-03-05T20:30:00Z"), {
          DATABASE_URL: "postgresql://nobody:wrong@127.0.0.1:1/none",
          BACKUP_DIR: dir,
        }),
      ),
    ).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
    expect((await runsOf(job))[0]).toMatchObject({ status: "failed", error: expect.any(String) });
  });
});
