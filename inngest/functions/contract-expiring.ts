import { cron } from "inngest";
import { inngest } from "../client";
import { JOBS, runScheduledJob } from "@/server/ops/jobs.admin";

// Daily: renters whose contract ends within 30 days get "contract.expiring", once per contract
// and end date (dedupe key), so re-runs and catch-ups never send twice.
export const contractExpiring = inngest.createFunction(
  { id: "contract-expiring", triggers: [cron(JOBS["contract-expiring"].schedule)], concurrency: { limit: 1 } },
  async ({ step }) => step.run("queue-notices", () => runScheduledJob("contract-expiring")),
);
