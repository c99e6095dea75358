import { cron } from "inngest";
import { inngest } from "../client";
import { JOBS, runScheduledJob } from "@/server/ops/jobs.admin";

// Hourly: every tenant whose local date reached a contract's billing day gets that contract's
// invoice for the month (catch-up: billing day ≤ today and no invoice for the period yet).
// Idempotent: (contractId, period) is unique and every contract is billed under its row lock.
export const rentInvoiceRun = inngest.createFunction(
  { id: "rent-invoice-run", triggers: [cron(JOBS["rent-invoice-run"].schedule)], concurrency: { limit: 1 } },
  async ({ step }) => step.run("bill-due-contracts", () => runScheduledJob("rent-invoice-run")),
);
