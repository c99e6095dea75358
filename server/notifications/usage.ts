import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import type { Prisma } from "@/server/db/generated/client";
import { monthBounds } from "@/lib/dates";

// The monthly message count behind the plan limit `messagesPerMonth`: the sender enforces it
// and PlanGate shows it (billing usage bars), so both use this one function.

/**
 * Messages the platform sends to a workspace's people about the workspace's own account
 * (password resets, its subscription's invoices and status) neither count nor get blocked:
 * a workspace over its quota must still be able to sign in and to pay.
 */
export const QUOTA_EXEMPT_PREFIXES = ["auth.", "billing."] as const;

export function countsTowardsQuota(key: string): boolean {
  return !QUOTA_EXEMPT_PREFIXES.some((p) => key.startsWith(p));
}

/**
 * Messages of `tenantId` that count towards this calendar month (in the tenant's time zone):
 * sent this month (whatever happened after: delivered, bounced …) or being sent right now.
 * Works in a tenant or a platform transaction.
 */
export async function countMessagesThisMonth(
  tx: DbTx,
  tenant: { id: string; timezone: string },
  now: Date,
  options: { excludeId?: string } = {},
): Promise<number> {
  const { start, end } = monthBounds(now, tenant.timezone);
  const where: Prisma.OutboundMessageWhereInput = {
    tenantId: tenant.id,
    OR: [{ sentAt: { gte: start, lt: end } }, { status: "sending" }],
    NOT: QUOTA_EXEMPT_PREFIXES.map((p) => ({ key: { startsWith: p } })),
    ...(options.excludeId ? { id: { not: options.excludeId } } : {}),
  };
  return tx.outboundMessage.count({ where });
}
