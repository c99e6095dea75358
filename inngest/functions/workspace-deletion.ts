import { cron } from "inngest";
import { inngest } from "../client";
import { JOBS, runScheduledJob } from "@/server/ops/jobs.admin";

export const workspaceDeletion = inngest.createFunction(
  { id: "workspace-deletion", triggers: [cron(JOBS["workspace-deletion"].schedule)], concurrency: { limit: 1 } },
  async ({ step }) => step.run("workspace-deletion", () => runScheduledJob("workspace-deletion")),
);
