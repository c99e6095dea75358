-- The in-process scheduler's lease per scheduled job (server/ops/scheduler.jobs.ts): the next
-- scheduled time not yet run, and which instance holds the run until when. Claiming is one
-- conditional UPDATE (no session state: works through PgBouncer in transaction mode), so among
-- several app instances exactly one runs a due job, and a crashed holder's lease expires.
-- Global table (no tenant): written and read only by the scheduler and the console.
CREATE TABLE "JobLease" (
    "job" TEXT NOT NULL,
    "schedule" TEXT NOT NULL,
    "nextDueAt" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leasedBy" TEXT,
    "leaseUntil" TIMESTAMP(3),

    CONSTRAINT "JobLease_pkey" PRIMARY KEY ("job")
);
