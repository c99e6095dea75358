import "server-only";
import type { DbTx } from "@/server/db/tenant-db";
import { AuditLogger, type AuditAction } from "@/server/audit/audit-logger";
import { SYSTEM_ACTOR, type Actor, type RequestMeta } from "@/server/core/request-meta";
import { enqueueEvent } from "@/server/core/outbox";

// A subscription's status change, told once: the audit row and (when the status moved) the
// outbox event, deduplicated so a re-run of the same step queues nothing twice. Used by the
// billing cycle, plan changes and settlement alike, so it depends on none of them.

export { SYSTEM_ACTOR, type Actor };

export async function logSubscriptionChange(
  tx: DbTx,
  meta: RequestMeta,
  tenantId: string,
  subscriptionId: string,
  from: string,
  to: "trialing" | "active" | "past_due" | "suspended" | "canceled",
  /** identifies this change once (e.g. the period it ends), so a re-run queues no second event */
  dedupeKey: string,
  metadata: Record<string, string | number | null> = {},
  actor: Actor = SYSTEM_ACTOR,
): Promise<void> {
  const action: AuditAction = "billing.subscription.status_changed";
  await new AuditLogger(meta).log(tx, tenantId, {
    action,
    actorUserId: actor.userId,
    actorEmail: actor.email,
    targetType: "subscription",
    targetId: subscriptionId,
    metadata: { before: from, after: to, ...metadata },
  });
  if (from !== to) {
    await enqueueEvent(
      tx,
      tenantId,
      "billing/subscription.status-changed",
      { subscriptionId, from, to },
      `subscription:${subscriptionId}:${to}:${dedupeKey}`,
    );
  }
}
