-- Every run of a scheduled job, on its schedule or by an admin (server/ops/job-runs.jobs.ts).
-- Global table (no tenant): written and read only by the job runner and the console.
CREATE TABLE "JobRun" (
    "id" UUID NOT NULL,
    "job" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,
    "result" JSONB,
    "error" TEXT,

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "JobRun_trigger_check" CHECK ("trigger" IN ('schedule', 'admin')),
    CONSTRAINT "JobRun_status_check" CHECK ("status" IN ('running', 'succeeded', 'failed'))
);

CREATE INDEX "JobRun_job_startedAt_idx" ON "JobRun"("job", "startedAt");
