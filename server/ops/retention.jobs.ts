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

/** Deletes rows of `table` whose `column` is before `cutoff` (and `extra`), in batches on the column's index; returns the count. */
async function purge(table: "AuditLog" | "OutboundMessage" | "WebhookEvent", column: string, cutoff: Date, extra: string): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await platformDb.run((tx) =>
      tx.$executeRawUnsafe(
        `DELETE FROM "${table}" WHERE id IN (SELECT id FROM "${table}" WHERE "${column}" < $1 ${extra} ORDER BY "${column}" LIMIT ${PURGE_BATCH})`,
        cutoff,
      ),
    );
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
