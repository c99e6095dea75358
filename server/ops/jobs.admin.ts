import "server-only";
import { platformDb } from "@/server/db/platform-db";
import { AuditLogger } from "@/server/audit/audit-logger";
import type { RequestMeta } from "@/server/core/request-meta";
import type { MessageKey } from "@/lib/i18n";
import { OutboxRelay } from "../core/outbox-relay.jobs";
import { CleanupService } from "./cleanup.jobs";
import { RetentionService } from "./retention.jobs";
import { WorkspacePurgeService } from "../workspaces/deletion.jobs";
import { RenterErasureJob } from "../renters/erasure.jobs";
import { runScheduledBackup } from "./backup/backup.jobs";
import { lastRuns, nextRunOf, runRecorded, type JobRunSummary } from "./job-runs.jobs";
import { BillingCycleService } from "../subscriptions/billing-cycle.jobs";
import { ReconciliationService } from "../payments/reconciliation.jobs";
import { MessageRetryService } from "../notifications/message-retry.jobs";
import { ContractExpiringService } from "../contracts/contract-expiring.jobs";
import { runInvoiceCron } from "@/server/rent-invoices/invoice-run";
import { runOverdueCron } from "@/server/rent-invoices/rent-overdue";
import { RateFetchJob } from "@/server/rates/rate-fetch.jobs";

/**
 * Every scheduled job, as one idempotent service call. Inngest functions (inngest/functions)
 * wrap the same calls on a schedule; platform admins can run them from /admin/jobs, so the
 * product works where no Inngest server runs.
 */
export const JOBS = {
  "outbox-relay": {
    schedule: "* * * * *",
    titleKey: "admin.jobs.outboxRelay",
    run: () => new OutboxRelay().relay(),
  },
  cleanup: {
    schedule: "17 3 * * *",
    titleKey: "admin.jobs.cleanup",
    run: () => new CleanupService().run(),
  },
  // daily, 03:30 in Phnom Penh: database + uploads archive into BACKUP_DIR, then rotation (docs/OPERATIONS.md)
  backup: {
    schedule: "30 20 * * *",
    titleKey: "admin.jobs.backup",
    run: () => runScheduledBackup(),
  },
  // daily: audit rows, messages and accepted callbacks past their windows (RETENTION_*_DAYS, docs/PRIVACY_RETENTION.md)
  retention: {
    schedule: "47 3 * * *",
    titleKey: "admin.jobs.retention",
    // and renters whose contracts ended more than RENTER_FINANCIAL_RETENTION_DAYS ago are erased (server/renters/erasure.ts)
    run: async () => ({ ...(await new RetentionService().run()), erasedRenters: (await new RenterErasureJob().run()).renters }),
  },
  // daily: workspaces closed by their owner whose grace period is over lose every row and file (docs/PRIVACY_RETENTION.md)
  "workspace-deletion": {
    schedule: "53 3 * * *",
    titleKey: "workspaceDeletion.jobTitle",
    run: () => new WorkspacePurgeService().run(),
  },
  // hourly, so renewals and suspensions happen within the hour they fall due; every run is idempotent
  "billing-cycle": {
    schedule: "5 * * * *",
    titleKey: "admin.jobs.billingCycle",
    run: () => new BillingCycleService().run(),
  },
  "bakong-reconciliation": {
    schedule: "*/5 * * * *",
    titleKey: "admin.jobs.bakongReconciliation",
    run: () => new ReconciliationService().run(),
  },
  // messages whose back-off is over, or that the process which queued them never sent
  "message-retry": {
    schedule: "* * * * *",
    titleKey: "admin.jobs.messageRetry",
    run: () => new MessageRetryService().sendDue(),
  },
  // renters whose contract ends within 30 days (once per contract and end date)
  "contract-expiring": {
    schedule: "40 1 * * *",
    titleKey: "contracts.jobs.expiring",
    run: () => new ContractExpiringService().run(),
  },
  // hourly: each tenant whose local date reached a contract's billing day (missed days caught up); idempotent
  "rent-invoice-run": {
    schedule: "10 * * * *",
    titleKey: "invoices.jobs.run",
    run: () => runInvoiceCron(),
  },
  // daily, 08:30 in Phnom Penh: overdue invoices, late fees (once per invoice), reminders (once per offset)
  "rent-overdue": {
    schedule: "30 1 * * *",
    titleKey: "invoices.jobs.overdue",
    run: () => runOverdueCron(),
  },
  // daily, 08:10 in Phnom Penh: the National Bank of Cambodia's rate of the day for every workspace
  // (docs/CURRENCY.md); does nothing unless NBC_RATE_URL is set; never over a manual rate
  "exchange-rates": {
    schedule: "10 1 * * *",
    titleKey: "currency.rates.job",
    run: () => new RateFetchJob().run(),
  },
} satisfies Record<string, { schedule: string; titleKey: MessageKey; run: () => Promise<unknown> }>;

export type JobId = keyof typeof JOBS;

export function isJobId(id: string): id is JobId {
  return Object.hasOwn(JOBS, id);
}

/** A job on its schedule (the Inngest functions call this): recorded as a JobRun, failures to Sentry. */
export function runScheduledJob<K extends JobId>(id: K): Promise<JobResult<K>> {
  const job = JOBS[id] as unknown as { run: () => Promise<JobResult<K>> };
  return runRecorded(id, "schedule", () => job.run());
}

/** What job `K` returns. */
export type JobResult<K extends JobId> = Awaited<ReturnType<(typeof JOBS)[K]["run"]>>;

export interface JobOverview {
  id: JobId;
  schedule: string;
  titleKey: MessageKey;
  lastRun: JobRunSummary | null;
  nextRunAt: Date | null;
}

/** Every job with its last run (one statement) and its next scheduled time, for /admin/jobs. */
export async function jobsOverview(now: Date = new Date()): Promise<JobOverview[]> {
  const ids = Object.keys(JOBS) as JobId[];
  const last = await lastRuns(ids);
  return ids.map((id) => ({
    id,
    schedule: JOBS[id].schedule,
    titleKey: JOBS[id].titleKey,
    lastRun: last.get(id) ?? null,
    nextRunAt: nextRunOf(JOBS[id].schedule, now),
  }));
}

export async function runJobAsAdmin(id: JobId, admin: { userId: string; email: string }, meta: RequestMeta): Promise<unknown> {
  const job = JOBS[id] as { run: () => Promise<unknown> };
  const result = await runRecorded(id, "admin", () => job.run());
  await platformDb.run((tx) =>
    new AuditLogger(meta).log(tx, null, {
      action: "admin.job.run",
      actorUserId: admin.userId,
      actorEmail: admin.email,
      targetType: "job",
      targetId: id,
      metadata: JSON.parse(JSON.stringify({ result })),
    }),
  );
  return result;
}
