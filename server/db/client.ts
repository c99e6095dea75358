import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { getEnv } from "@/env";
import { PrismaClient } from "./generated/client";

// The base client connects as the application role (no BYPASSRLS). Used directly it can
// read and write global tables (Tenant, User, sessions, throttling) but sees no tenant
// rows: those need TenantDb (one tenant) or platformDb (admin console, jobs).

const globalForDb = globalThis as unknown as { phteahDb?: PrismaClient };

function createClient(): PrismaClient {
  const url = getEnv().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set. Start the app with `npm run dev` (embedded PostgreSQL) or configure it.");
  const adapter = new PrismaPg({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  return new PrismaClient({ adapter });
}

export function getDb(): PrismaClient {
  globalForDb.phteahDb ??= createClient();
  return globalForDb.phteahDb;
}

export type { PrismaClient };
