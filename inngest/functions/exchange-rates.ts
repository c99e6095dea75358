import { cron } from "inngest";
import { inngest } from "../client";
import { JOBS, runScheduledJob } from "@/server/ops/jobs.admin";

// Daily: the provider's riel-per-dollar rate of the day for every workspace (docs/CURRENCY.md);
// nothing unless NBC_RATE_URL is set; a manual rate is never replaced.
export const exchangeRates = inngest.createFunction(
  { id: "exchange-rates", triggers: [cron(JOBS["exchange-rates"].schedule)], concurrency: { limit: 1 } },
  async ({ step }) => step.run("fetch-rates", () => runScheduledJob("exchange-rates")),
);
