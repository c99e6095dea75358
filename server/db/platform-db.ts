import "server-only";
import { getDb } from "./client";
import { withPlatformBegin } from "./tenant-binding";
import { PLATFORM_READ_BEGIN, rawRead } from "./raw-read";
import type { Prisma } from "./generated/client";
import type { DbTx, TxOptions } from "./tenant-db";

/**
 * Unscoped access across all tenants, for the admin console, platform jobs and the
 * webhook inbox. ESLint forbids importing this module from tenant code: only `*.admin.ts`,
 * `*.jobs.ts` and `*.public.ts` modules, the request layer (server/core), inngest/ and scripts may
 * use it (docs/ARCHITECTURE.md).
 */
export const platformDb = {
  run<T>(fn: (tx: DbTx) => Promise<T>, options?: TxOptions): Promise<T> {
    const open = (bound: () => boolean) =>
      getDb().$transaction(
        async (tx) => {
          // the BEGIN already set platform mode (tenant-binding.ts), else set it here
          if (!bound()) await tx.$executeRaw`SELECT set_config('app.platform', 'on', true)`;
          return fn(tx);
        },
        { timeout: 30_000, ...options },
      );
    // an isolation level's SET TRANSACTION must precede any query: no folding then
    return options?.isolationLevel ? open(() => false) : withPlatformBegin(open);
  },
  /** One read-only statement across tenants, on node-postgres without Prisma (raw-read.ts). */
  read<T extends object>(query: Prisma.Sql): Promise<T[]> {
    return rawRead<T>(PLATFORM_READ_BEGIN, query);
  },
};
