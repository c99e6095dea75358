import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { getEnv } from "@/env";
import { PrismaClient } from "./generated/client";
import { TenantBindingClient } from "./tenant-binding";
import { poolSizing } from "./pool";

// The base client connects as the application role (no BYPASSRLS). Used directly it can
// read and write global tables (Tenant, User, sessions, throttling) but sees no tenant
// rows: those need TenantDb (one tenant) or platformDb (admin console, jobs).

const globalForDb = globalThis as unknown as { phteahDb?: PrismaClient; phteahPool?: pg.Pool };

function createClient(): PrismaClient {
  const env = getEnv();
  const url = env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set. Start the app with `npm run dev` (embedded PostgreSQL) or configure it.");
  // One pool per process. When every connection is busy for DATABASE_CONNECT_TIMEOUT_MS the query
  // fails as an overload (server/core/overload.ts) and the request gets 503 + Retry-After, not 500.
  // The pool is ours, handed to Prisma's adapter: the raw reads (raw-read.ts) share its connections.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSizing(env).max,
    connectionTimeoutMillis: env.DATABASE_CONNECT_TIMEOUT_MS,
    // a tenant transaction's BEGIN carries its app.tenant_id binding (tenant-binding.ts)
    Client: TenantBindingClient,
  });
  globalForDb.phteahPool = pool;
  // $disconnect ends the pool too (scripts and tests disconnect to let the process exit)
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return new PrismaClient({ adapter });
}

export function getDb(): PrismaClient {
  globalForDb.phteahDb ??= createClient();
  return globalForDb.phteahDb;
}

/** The connection pool behind getDb() (the same connections), for raw-read.ts. */
export function getPool(): pg.Pool {
  getDb();
  let pool = globalForDb.phteahPool!;
  // after $disconnect (scripts, tests) Prisma opens a pool of its own on its next query; so do we
  if (pool.ended) globalForDb.phteahPool = pool = new pg.Pool(pool.options);
  return pool;
}

export type { PrismaClient };
