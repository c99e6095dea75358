import { cron } from "inngest";
import { inngest } from "../client";
import { JOBS, runScheduledJob } from "@/server/ops/jobs.admin";

// The pipeline's safety net: every minute, send the messages that are due (back-off over, or
// never sent because the process that queued them stopped).
export const messageRetry = inngest.createFunction(
  { id: "message-retry", triggers: [cron(JOBS["message-retry"].schedule)], concurrency: { limit: 1 } },
  async ({ step }) => step.run("send-due", () => runScheduledJob("message-retry")),
);
