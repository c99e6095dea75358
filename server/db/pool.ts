/**
 * The Prisma pool's size per app instance (docs/OPERATIONS.md, "Connections"):
 *
 *   DATABASE_POOL_MAX, when set; else
 *   floor(DATABASE_POOL_BUDGET / APP_INSTANCES) − 4, at least 2; else 10.
 *
 * DATABASE_POOL_BUDGET is what every instance together may hold at the server: PgBouncer's
 * default_pool_size (transaction mode: server connections per database/user pair), or without
 * PgBouncer PostgreSQL's max_connections minus a reserve for migrations, backups and admin
 * sessions. The 4 per instance are the Bakong callback intake's own small pool
 * (server/payments/bakong-webhook.public.ts). When every pooled connection stays busy for
 * DATABASE_CONNECT_TIMEOUT_MS, the request is answered 503 with Retry-After (server/core/overload.ts).
 */
export const CALLBACK_INTAKE_CONNECTIONS = 4;
export const DEFAULT_POOL_MAX = 10;

export interface PoolSizing {
  max: number;
  /** how `max` was decided, for the start-up log and /api/health */
  source: "DATABASE_POOL_MAX" | "DATABASE_POOL_BUDGET" | "default";
}

export function poolSizing(env: { DATABASE_POOL_MAX?: number; DATABASE_POOL_BUDGET?: number; APP_INSTANCES?: number }): PoolSizing {
  if (env.DATABASE_POOL_MAX) return { max: env.DATABASE_POOL_MAX, source: "DATABASE_POOL_MAX" };
  if (env.DATABASE_POOL_BUDGET) {
    const perInstance = Math.floor(env.DATABASE_POOL_BUDGET / (env.APP_INSTANCES ?? 1));
    return { max: Math.max(2, perInstance - CALLBACK_INTAKE_CONNECTIONS), source: "DATABASE_POOL_BUDGET" };
  }
  return { max: DEFAULT_POOL_MAX, source: "default" };
}
