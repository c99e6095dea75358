import "server-only";
import { getDb } from "@/server/db/client";
import { systemClock, type Clock } from "@/server/core/request-meta";

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export const AUTH_FAILURE_RULE: RateLimitRule = { limit: 5, windowMs: 15 * 60_000 };

/** A consumed slot: the hit rows it recorded, so a success can give them back. */
export interface RateLimitSlot {
  limited: false;
  hitIds: readonly bigint[];
}

export type RateLimitResult = RateLimitSlot | { limited: true; retryAfterSeconds: number };

// A burst of parallel requests queues for the pooled connections; the locks are never waited on.
const TX_OPTIONS = { maxWait: 10_000, timeout: 10_000 } as const;
/** How long a request keeps retrying a bucket whose lock is taken before it is refused. */
const LOCK_DEADLINE_MS = 10_000;

/**
 * Sliding-window counter kept in PostgreSQL, so every app instance sees the same counts.
 * A bucket is a string such as `login:ip:203.0.113.9` or `login:acct:a@b.c`.
 *
 * `consume` is the only way to take a slot: in one transaction it takes a lock per bucket,
 * counts the hits in the window and records a new one in every bucket only when none is full. Of any number of concurrent requests at most
 * `limit` get through. Callers consume BEFORE the work they throttle (checking a password or
 * a code) and give the slot back with `refund` (or `clear`) when the attempt succeeded.
 */
export class RateLimiter {
  constructor(private readonly clock: Clock = systemClock) {}

  async consume(buckets: readonly string[], rule: RateLimitRule): Promise<RateLimitResult> {
    const unique = [...new Set(buckets)].sort();
    const deadline = Date.now() + LOCK_DEADLINE_MS;
    for (let attempt = 0; ; attempt++) {
      const result = await this.tryConsume(unique, rule);
      if (result !== "busy") return result;
      // fail closed: a bucket this contended is being hammered
      if (Date.now() > deadline) return { limited: true, retryAfterSeconds: 1 };
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, 2 + attempt * 2) * (0.5 + Math.random())));
    }
  }

  /**
   * One short transaction: a lock per bucket (held until commit), then ONE statement that, per
   * bucket, finds the `limit`-th most recent hit in the window (the bucket is full when there is
   * one) and inserts a hit into every bucket only when none is full. Under READ COMMITTED that
   * statement's snapshot is taken after the locks were granted, so it sees every hit committed
   * by whoever held them before. The locks are only TRIED: a request that finds one taken ends
   * its transaction and retries, so a burst for one bucket never parks the pooled connections
   * on a lock wait.
   */
  private async tryConsume(buckets: readonly string[], rule: RateLimitRule): Promise<RateLimitResult | "busy"> {
    const now = this.clock();
    const since = new Date(now.getTime() - rule.windowMs);
    const row = await getDb().$transaction(async (tx) => {
      const [locked] = await tx.$queryRaw<{ ok: boolean }[]>`
        SELECT bool_and(pg_try_advisory_xact_lock(hashtextextended('rate-limit:' || k, 0))) AS ok
        FROM unnest(${buckets}::text[]) AS k`;
      if (!locked?.ok) return "busy" as const;
      const [result] = await tx.$queryRaw<{ edge: Date | null; ids: bigint[] | null }[]>`
        WITH b AS (SELECT unnest(${buckets}::text[]) AS bucket),
        edges AS (
          SELECT (SELECT h."createdAt" FROM "RateLimitHit" h
                  WHERE h.bucket = b.bucket AND h."createdAt" > ${since}
                  ORDER BY h."createdAt" DESC OFFSET ${rule.limit - 1} LIMIT 1) AS edge
          FROM b
        ),
        ins AS (
          INSERT INTO "RateLimitHit" (bucket, "createdAt")
          SELECT bucket, ${now} FROM b WHERE NOT EXISTS (SELECT 1 FROM edges WHERE edge IS NOT NULL)
          RETURNING id
        )
        SELECT (SELECT max(edge) FROM edges) AS edge, (SELECT array_agg(id) FROM ins) AS ids`;
      return result!;
    }, TX_OPTIONS);
    if (row === "busy") return row;
    if (row.edge) {
      const retryAfterMs = row.edge.getTime() + rule.windowMs - now.getTime();
      return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
    }
    return { limited: false, hitIds: row.ids ?? [] };
  }

  /** Gives a consumed slot back (the attempt succeeded or was not a guess). */
  async refund(slot: RateLimitSlot): Promise<void> {
    if (slot.hitIds.length) await getDb().rateLimitHit.deleteMany({ where: { id: { in: [...slot.hitIds] } } });
  }

  /** Forgets every hit of `bucket` (e.g. an account's failures once its password was proven). */
  async clear(bucket: string): Promise<void> {
    await getDb().rateLimitHit.deleteMany({ where: { bucket } });
  }

  /** Retention: rows older than any window we use are useless. */
  async prune(olderThan: Date): Promise<number> {
    const { count } = await getDb().rateLimitHit.deleteMany({ where: { createdAt: { lt: olderThan } } });
    return count;
  }
}
