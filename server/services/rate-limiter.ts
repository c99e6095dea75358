import "server-only";
import { getDb } from "@/server/db/client";
import { systemClock, type Clock } from "@/server/services/request-meta";

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export const AUTH_FAILURE_RULE: RateLimitRule = { limit: 5, windowMs: 15 * 60_000 };

export type RateLimitResult = { limited: false } | { limited: true; retryAfterSeconds: number };

/**
 * Sliding-window counter kept in PostgreSQL, so every app instance sees the same counts.
 * A bucket is a string such as `login:ip:203.0.113.9` or `login:acct:a@b.c`.
 */
export class RateLimiter {
  constructor(private readonly clock: Clock = systemClock) {}

  async check(buckets: readonly string[], rule: RateLimitRule): Promise<RateLimitResult> {
    const now = this.clock().getTime();
    const since = new Date(now - rule.windowMs);
    let retryAfterMs = 0;
    for (const bucket of buckets) {
      const hits = await getDb().rateLimitHit.findMany({
        where: { bucket, createdAt: { gt: since } },
        orderBy: { createdAt: "desc" },
        take: rule.limit,
        select: { createdAt: true },
      });
      if (hits.length >= rule.limit) {
        const oldestCounted = hits[hits.length - 1]!.createdAt.getTime();
        retryAfterMs = Math.max(retryAfterMs, oldestCounted + rule.windowMs - now);
      }
    }
    return retryAfterMs > 0 ? { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) } : { limited: false };
  }

  async hit(buckets: readonly string[]): Promise<void> {
    const createdAt = this.clock();
    await getDb().rateLimitHit.createMany({ data: buckets.map((bucket) => ({ bucket, createdAt })) });
  }

  async clear(bucket: string): Promise<void> {
    await getDb().rateLimitHit.deleteMany({ where: { bucket } });
  }

  /** Retention: rows older than any window we use are useless. */
  async prune(olderThan: Date): Promise<number> {
    const { count } = await getDb().rateLimitHit.deleteMany({ where: { createdAt: { lt: olderThan } } });
    return count;
  }
}
