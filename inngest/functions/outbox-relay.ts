import { cron } from "inngest";
import { inngest } from "../client";
import { outboxFlushRequested } from "../events";
import { JOBS, runScheduledJob } from "@/server/ops/jobs.admin";

// Safety net and fast path in one: every minute (recorded as a job run), and whenever something
// asks for a flush (not recorded: that is every few messages under load).
export const outboxRelay = inngest.createFunction(
  { id: "outbox-relay", triggers: [cron(JOBS["outbox-relay"].schedule), outboxFlushRequested], concurrency: { limit: 1 } },
  async ({ event, step }) =>
    step.run("relay", () => (event.name === "inngest/scheduled.timer" ? runScheduledJob("outbox-relay") : JOBS["outbox-relay"].run())),
);
