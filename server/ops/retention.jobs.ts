import "server-only";
import { platformDb } from "@/server/db/platform-db";
import { systemClock, type Clock } from "@/server/core/request-meta";
import { retentionSchema, type RetentionPolicy } from "@/env";

const DAY = 24 * 3600_000;
/** Rows per DELETE: a first purge of years of history never holds a long lock or builds a huge transaction. */
export const PURGE_BATCH = 5_000;

/** The retention windows of the environment (env.ts retentionSchema, validated at start-up). */
export function retentionPolicy(env: Record<string, string | undefined> = process.env): RetentionPolicy {
  return retentionSchema.parse(env);
}

/**
 * Deletes rows of `table` whose `column` is before `cutoff` (and `extra`), `PURGE_BATCH` at a time;
 * returns the count. `perTenant`: the candidates are found workspace by workspace on the table's
 * (tenantId, column) index (a global index on the column alone would tempt the planner away from
 * the (tenantId, …) list indexes); otherwise on the column's own index. `extra`'s unqualified
 * columns are the purged table's (the innermost scope).
 */
async function purge(
  table: "AuditLog" | "OutboundMessage" | "WebhookEvent",
  column: string,
  cutoff: Date,
  extra: string,
  perTenant = false,
): Promise<number> {
  const candidates = perTenant
    ? `SELECT c.id FROM "Tenant" t CROSS JOIN LATERAL (
         SELECT x.id FROM "${table}" x WHERE x."tenantId" = t.id AND x."${column}" < $1 ${extra}
         ORDER BY x."${column}" LIMIT ${PURGE_BATCH}) c LIMIT ${PURGE_BATCH}`
    : `SELECT id FROM "${table}" WHERE "${column}" < $1 ${extra} ORDER BY "${column}" LIMIT ${PURGE_BATCH}`;
  let total = 0;
  for (;;) {
    const n = await platformDb.run((tx) => tx.$executeRawUnsafe(`DELETE FROM "${table}" WHERE id IN (${candidates})`, cutoff));
    total += n;
    if (n < PURGE_BATCH) return total;
  }
}

/**
 * The retention windows of docs/PRIVACY_RETENTION.md for audit rows, outgoing messages and accepted
 * webhook callbacks (the short-lived auth data, outbox rows, refused callbacks and unused uploads
 * are the cleanup job's). Invoices, payments and everything else financial are never removed by
 * retention. Idempotent; returns how many rows of each kind it removed.
 */
export class RetentionService {
  constructor(
    private readonly clock: Clock = systemClock,
    private readonly policy: RetentionPolicy = retentionPolicy(),
  ) {}

  async run(): Promise<{ auditRows: number; messages: number; webhooks: number }> {
    const now = this.clock().getTime();
    const before = (days: number) => new Date(now - days * DAY);
    const auditRows = await purge("AuditLog", "createdAt", before(this.policy.RETENTION_AUDIT_DAYS), "");
    // only messages in a final state: one still on its way (queued, sending) is kept whatever its age
    const messages = await purge(
      "OutboundMessage",
      "createdAt",
      before(this.policy.RETENTION_MESSAGE_DAYS),
      `AND status IN ('sent', 'delivered', 'bounced', 'complained', 'failed', 'suppressed')`,
      true,
    );
    // accepted callbacks while a dispute may need them; one waiting for review or processing is kept
    const webhooks = await purge(
      "WebhookEvent",
      "receivedAt",
      before(this.policy.RETENTION_WEBHOOK_DAYS),
      `AND "signatureValid" = true AND status IN ('processed', 'ignored', 'failed')`,
    );
    return { auditRows, messages, webhooks };
  }
}
