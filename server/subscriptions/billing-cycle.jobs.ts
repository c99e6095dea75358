import "server-only";
import { lockRow } from "@/server/core/locks";
import { platformDb } from "@/server/db/platform-db";
import { getEnv } from "@/env";
import { logger } from "@/server/core/observability/logger";
import { SYSTEM_META, systemClock, type Clock } from "@/server/core/request-meta";
import {
  cancelIfLongSuspended,
  endPeriodIfDue,
  issueRenewalIfDue,
  queueInvoiceReminders,
  startPaidPeriodIfDue,
  voidStaleCheckouts,
  suspendIfGraceOver,
} from "@/server/subscriptions/subscriptions";
import { REMINDER_OFFSETS_DAYS, RENEWAL_LEAD_DAYS } from "@/server/subscriptions/periods";
import { addDays } from "@/lib/dates";

export interface BillingCycleResult {
  checked: number;
  renewalsIssued: number;
  pastDue: number;
  renewedFree: number;
  /** moved onto a next period paid in advance at a scheduled plan */
  renewedPaid: number;
  suspended: number;
  canceled: number;
  remindersQueued: number;
  /** unpaid upgrades whose period is over, plan choices abandoned for a week */
  staleVoided: number;
  errors: number;
}

/**
 * The daily subscription cycle: renewal invoices, period ends (past due / free roll-over),
 * grace → suspension, long suspension → canceled, reminders. Each subscription is handled in its
 * own transaction with its row locked, and every step is conditional, so the job is safe to run
 * twice, concurrently, or after an outage (it catches up in one run).
 */
export class BillingCycleService {
  constructor(
    private readonly clock: Clock = systemClock,
    private readonly cancelAfterDays: number = getEnv().BILLING_CANCEL_AFTER_DAYS,
  ) {}

  async run(): Promise<BillingCycleResult> {
    const now = this.clock();
    const result: BillingCycleResult = {
      checked: 0,
      renewalsIssued: 0,
      pastDue: 0,
      renewedFree: 0,
      renewedPaid: 0,
      suspended: 0,
      canceled: 0,
      remindersQueued: 0,
      staleVoided: 0,
      errors: 0,
    };
    const ids = await platformDb.run((tx) =>
      tx.subscription.findMany({
        where: {
          // a workspace closed for deletion is not billed (server/workspaces/deletion.admin.ts)
          tenant: { status: { not: "closed" } },
          OR: [
            { status: { in: ["trialing", "active"] }, currentPeriodEnd: { lte: addDays(now, RENEWAL_LEAD_DAYS) } },
            { status: { in: ["past_due", "suspended"] } },
            // open invoices with a reminder that can be due (the earliest offset is before the due date)
            { invoices: { some: { status: "open", dueAt: { lte: addDays(now, -Math.min(...REMINDER_OFFSETS_DAYS)) } } } },
          ],
        },
        select: { id: true },
        orderBy: { currentPeriodEnd: "asc" },
      }),
    );
    for (const { id } of ids) {
      result.checked += 1;
      try {
        await platformDb.run(async (tx) => {
          await lockRow(tx, "Subscription", id);
          const load = () => tx.subscription.findUniqueOrThrow({ where: { id } });
          result.staleVoided += await voidStaleCheckouts(tx, await load(), now);
          if (await issueRenewalIfDue(tx, await load(), now)) result.renewalsIssued += 1;
          if (await startPaidPeriodIfDue(tx, await load(), now, SYSTEM_META)) result.renewedPaid += 1;
          const before = await load();
          if (await endPeriodIfDue(tx, before, now, SYSTEM_META)) {
            const after = await load();
            if (after.status === "past_due") result.pastDue += 1;
            else result.renewedFree += 1;
          }
          if (await suspendIfGraceOver(tx, await load(), now, SYSTEM_META)) result.suspended += 1;
          if (await cancelIfLongSuspended(tx, await load(), now, this.cancelAfterDays, SYSTEM_META)) result.canceled += 1;
          result.remindersQueued += await queueInvoiceReminders(tx, await load(), now);
        });
      } catch (e) {
        result.errors += 1;
        logger.error({ err: e, subscriptionId: id }, "billing cycle failed for a subscription");
      }
    }
    return result;
  }
}
