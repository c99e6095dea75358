import { cron, RetryAfterError } from "inngest";
import { inngest } from "../client";
import { JOBS, runScheduledJob } from "@/server/ops/jobs.admin";

// The authoritative payment check: pending KHQR attempts by md5 every 5 minutes. When Bakong
// asks us to slow down (429/5xx) the run ends early and Inngest retries it later.
export const bakongReconciliation = inngest.createFunction(
  { id: "bakong-reconciliation", triggers: [cron(JOBS["bakong-reconciliation"].schedule)], concurrency: { limit: 1 }, retries: 3 },
  async ({ step }) => {
    const result = await step.run("reconcile", () => runScheduledJob("bakong-reconciliation"));
    if (result.backoff) throw new RetryAfterError(`Bakong asked to back off: ${result.backoff}`, "2m");
    return result;
  },
);
