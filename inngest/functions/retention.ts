import { cron } from "inngest";
import { inngest } from "../client";
import { JOBS, runScheduledJob } from "@/server/ops/jobs.admin";

export const retention = inngest.createFunction(
  { id: "retention", triggers: [cron(JOBS.retention.schedule)], concurrency: { limit: 1 } },
  async ({ step }) => step.run("retention", () => runScheduledJob("retention")),
);
