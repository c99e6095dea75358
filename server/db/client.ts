import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { getEnv } from "@/env";
import { PrismaClient } from "./generated/client";
import { TenantBindingClient } from "./tenant-binding";
import { poolSizing } from "./pool";

// The base client connects as the application role (no BYPASSRLS). Used directly it can
// read and write global tables (Tenant, User, sessions, throttling) but sees no tenant
// rows: those need TenantDb (one tenant) or platformDb (admin console, jobs).

const globalForDb = globalThis as unknown as { phteahDb?: PrismaClient };

function createClient(): PrismaClient {
  const env = getEnv();
  const url = env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set. Start the app with `npm run dev` (embedded PostgreSQL) or configure it.");
  // One pool per process. When every connection is busy for DATABASE_CONNECT_TIMEOUT_MS the query
  // fails as an overload (server/core/overload.ts) and the request gets 503 + Retry-After, not 500.
  const adapter = new PrismaPg({
    connectionString: url,
    max: poolSizing(env).max,
    connectionTimeoutMillis: env.DATABASE_CONNECT_TIMEOUT_MS,
    // a tenant transaction's BEGIN carries its app.tenant_id binding (tenant-binding.ts)
    Client: TenantBindingClient,
  });
  return new PrismaClient({ adapter });
}

export function getDb(): PrismaClient {
  globalForDb.phteahDb ??= createClient();
  return globalForDb.phteahDb;
}

export type { PrismaClient };
