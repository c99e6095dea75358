import "server-only";
import { platformDb } from "@/server/db/platform-db";
import { inngest } from "@/inngest/client";
import { logger } from "@/server/core/observability/logger";
import { systemClock, type Clock } from "@/server/core/request-meta";

export interface PublishedEvent {
  /** the outbox row id: Inngest de-duplicates on it, so a re-send after a crash is harmless */
  id: string;
  name: string;
  data: Record<string, unknown>;
}

export type EventPublisher = (events: PublishedEvent[]) => Promise<void>;

export const inngestPublisher: EventPublisher = async (events) => {
  await inngest.send(events.map((e) => ({ id: e.id, name: e.name, data: e.data })));
};

const MAX_ATTEMPTS = 10;

/** Exponential back-off: 30 s, 1 min, 2 min … capped at 1 h. */
export function backoffMs(attempts: number): number {
  return Math.min(3600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Publishes committed outbox rows. Rows are claimed with FOR UPDATE SKIP LOCKED, so several
 * relays (the Inngest cron, an admin's "run now", another instance) never publish one row twice
 * in parallel; a failed publish is retried with back-off and marked failed after 10 attempts.
 */
export class OutboxRelay {
  constructor(
    private readonly publish: EventPublisher = inngestPublisher,
    private readonly clock: Clock = systemClock,
  ) {}

  async relay(batchSize = 100): Promise<{ published: number; failed: number; retried: number }> {
    const now = this.clock();
    return platformDb.run(
      async (tx) => {
        const rows = await tx.$queryRaw<{ id: string; name: string; payload: Record<string, unknown>; attempts: number }[]>`
        SELECT id::text, name, payload, attempts FROM "OutboxEvent"
        WHERE status = 'pending' AND "availableAt" <= ${now}
        ORDER BY "createdAt" LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return { published: 0, failed: 0, retried: 0 };
        try {
          await this.publish(rows.map((r) => ({ id: r.id, name: r.name, data: r.payload })));
          await tx.outboxEvent.updateMany({
            where: { id: { in: rows.map((r) => r.id) } },
            data: { status: "published", publishedAt: now, attempts: { increment: 1 }, lastError: null },
          });
          return { published: rows.length, failed: 0, retried: 0 };
        } catch (error) {
          const message = error instanceof Error ? error.message.slice(0, 500) : "publish failed";
          logger.warn({ err: message, count: rows.length }, "outbox publish failed; will retry");
          let failed = 0;
          for (const r of rows) {
            const attempts = r.attempts + 1;
            const give = attempts >= MAX_ATTEMPTS;
            if (give) failed++;
            await tx.outboxEvent.update({
              where: { id: r.id },
              data: {
                attempts,
                lastError: message,
                status: give ? "failed" : "pending",
                availableAt: new Date(now.getTime() + backoffMs(attempts)),
              },
            });
          }
          return { published: 0, failed, retried: rows.length - failed };
        }
      },
      { timeout: 60_000 },
    );
  }
}
