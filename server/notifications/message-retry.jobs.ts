import "server-only";
import { platformDb } from "@/server/db/platform-db";
import { systemClock, type Clock } from "@/server/core/request-meta";
import { MessageSender, type MessageStatusName } from "@/server/notifications/sender";
import { logger } from "@/server/core/observability/logger";

const CONCURRENCY = 4;

/**
 * The safety net of the message pipeline (job "message-retry", every minute): sends every
 * message that is due — queued and past its back-off, never sent because the process that
 * queued it stopped, or left `sending` by a sender that died (lease ran out) — across tenants.
 * Expired leases are released to `queued` first. Due ids are read with FOR UPDATE SKIP LOCKED (rows a sender is claiming right now are
 * skipped); each send then claims its message conditionally, so overlapping runs never send twice.
 */
export class MessageRetryService {
  constructor(
    private readonly clock: Clock = systemClock,
    private readonly sender: MessageSender = new MessageSender(clock),
  ) {}

  /**
   * A claim whose lease ran out (its sender died mid-send: killed process, crash) goes back to
   * `queued`, due now, so no message stays `sending` for good; its attempts are kept (the next claim
   * counts one more, and the provider's idempotency key stops a second e-mail). Returns how many.
   */
  async releaseExpiredLeases(): Promise<number> {
    const now = this.clock();
    return platformDb.run(
      (tx) =>
        tx.$executeRaw`
        UPDATE "OutboundMessage" SET status = 'queued', "updatedAt" = ${now}
        WHERE status = 'sending' AND "nextAttemptAt" <= ${now}`,
    );
  }

  async sendDue(batchSize = 200): Promise<{ due: number } & Partial<Record<MessageStatusName | "errors", number>>> {
    await this.releaseExpiredLeases();
    const now = this.clock();
    const due = await platformDb.run(
      (tx) =>
        tx.$queryRaw<{ id: string; tenantId: string }[]>`
        SELECT id::text, "tenantId"::text FROM "OutboundMessage"
        WHERE status IN ('queued', 'sending') AND "nextAttemptAt" <= ${now}
          -- nothing goes out for a workspace closed for deletion (sent again if it is restored)
          AND NOT EXISTS (SELECT 1 FROM "Tenant" t WHERE t.id = "OutboundMessage"."tenantId" AND t.status = 'closed')
        ORDER BY "nextAttemptAt" LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`,
    );
    const counts: Partial<Record<MessageStatusName | "errors", number>> = {};
    const count = (k: MessageStatusName | "errors") => (counts[k] = (counts[k] ?? 0) + 1);
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const row = due[next++]!;
        try {
          count(await this.sender.send(row.id, row.tenantId));
        } catch (err) {
          count("errors");
          logger.error({ err, messageId: row.id, tenantId: row.tenantId }, "message retry failed");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, due.length) }, worker));
    return { due: due.length, ...counts };
  }
}
