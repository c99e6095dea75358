import "server-only";
import { getDb } from "@/server/db/client";
import { platformDb } from "@/server/db/platform-db";
import { systemClock, type Clock } from "@/server/core/request-meta";
import { RateLimiter } from "@/server/core/rate-limiter";
import { sweepUnusedFiles } from "../files/unused-file-sweep.jobs";
import { retentionPolicy } from "./retention.jobs";
import { pruneJobRuns } from "./job-runs.jobs";

const DAY = 24 * 3600_000;

/** Retention for short-lived auth data, delivered outbox rows and unused uploads; idempotent, safe to run any time. */
export class CleanupService {
  constructor(private readonly clock: Clock = systemClock) {}

  async run(): Promise<Record<string, number>> {
    const now = this.clock().getTime();
    const tokens = await getDb().authToken.deleteMany({ where: { expiresAt: { lt: new Date(now - DAY) } } });
    const sessions = await getDb().userSession.deleteMany({
      where: { OR: [{ expiresAt: { lt: new Date(now) } }, { revokedAt: { lt: new Date(now - 30 * DAY) } }] },
    });
    const rateLimitHits = await new RateLimiter(this.clock).prune(new Date(now - DAY));
    const outbox = await platformDb.run((tx) =>
      tx.outboxEvent.deleteMany({
        where: {
          status: "published",
          // rows with a dedupe key are what makes "once" true (a reminder, a receipt): kept for a year
          OR: [
            { dedupeKey: null, publishedAt: { lt: new Date(now - 30 * DAY) } },
            { dedupeKey: { not: null }, publishedAt: { lt: new Date(now - 400 * DAY) } },
          ],
        },
      }),
    );
    // callbacks refused for their signature are kept for investigation (RETENTION_REJECTED_WEBHOOK_DAYS), then dropped
    const rejectedDays = retentionPolicy().RETENTION_REJECTED_WEBHOOK_DAYS;
    const rejectedWebhooks = await platformDb.run((tx) =>
      tx.webhookEvent.deleteMany({ where: { signatureValid: false, receivedAt: { lt: new Date(now - rejectedDays * DAY) } } }),
    );
    // the console's job history: 30 days, and always each job's newest run
    const jobRuns = await pruneJobRuns(new Date(now - 30 * DAY));
    // uploads nothing uses (abandoned forms, replaced scans and logos) stop counting against storage
    const unusedFiles = await sweepUnusedFiles(this.clock);
    return {
      unusedFiles: unusedFiles.files,
      unusedFileBytes: unusedFiles.bytes,
      tokens: tokens.count,
      sessions: sessions.count,
      rateLimitHits,
      outboxEvents: outbox.count,
      rejectedWebhooks: rejectedWebhooks.count,
      jobRuns,
    };
  }
}
