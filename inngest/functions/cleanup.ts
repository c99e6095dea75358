import { cron } from "inngest";
import { inngest } from "../client";
import { JOBS, runScheduledJob } from "@/server/ops/jobs.admin";

export const cleanup = inngest.createFunction(
  { id: "cleanup", triggers: [cron(JOBS.cleanup.schedule)], concurrency: { limit: 1 } },
  async ({ step }) => step.run("cleanup", () => runScheduledJob("cleanup")),
);
