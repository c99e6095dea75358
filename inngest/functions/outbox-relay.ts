import { cron } from "inngest";
import { inngest } from "../client";
import { outboxFlushRequested } from "../events";
import { JOBS } from "@/server/ops/jobs.admin";

// Safety net and fast path in one: every minute, and whenever something asks for a flush.
export const outboxRelay = inngest.createFunction(
  { id: "outbox-relay", triggers: [cron(JOBS["outbox-relay"].schedule), outboxFlushRequested], concurrency: { limit: 1 } },
  async ({ step }) => step.run("relay", () => JOBS["outbox-relay"].run()),
);
