import { cron } from "inngest";
import { inngest } from "../client";
import { JOBS, runScheduledJob } from "@/server/ops/jobs.admin";

// Renewal invoices, period ends, grace → suspension → cancellation, reminders. Idempotent.
export const billingCycle = inngest.createFunction(
  { id: "billing-cycle", triggers: [cron(JOBS["billing-cycle"].schedule)], concurrency: { limit: 1 } },
  async ({ step }) => step.run("billing-cycle", () => runScheduledJob("billing-cycle")),
);
