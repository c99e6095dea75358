import { cron } from "inngest";
import { inngest } from "../client";
import { JOBS, runScheduledJob } from "@/server/ops/jobs.admin";

// no retries: a failed backup is recorded, alerted (Sentry) and shown at /admin/jobs; tomorrow's run tries again
export const backup = inngest.createFunction(
  { id: "backup", triggers: [cron(JOBS.backup.schedule)], concurrency: { limit: 1 }, retries: 0 },
  async ({ step }) => step.run("backup", () => runScheduledJob("backup")),
);
