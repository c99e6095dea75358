import { cron } from "inngest";
import { inngest } from "../client";
import { JOBS, runScheduledJob } from "@/server/ops/jobs.admin";

// Daily: open rent invoices past due date + grace → overdue (late fee once per invoice, overdue
// notice once), reminders on Tenant.rentReminderDays offsets (once each, dedupe keys).
export const rentOverdue = inngest.createFunction(
  { id: "rent-overdue", triggers: [cron(JOBS["rent-overdue"].schedule)], concurrency: { limit: 1 } },
  async ({ step }) => step.run("overdue-and-reminders", () => runScheduledJob("rent-overdue")),
);
