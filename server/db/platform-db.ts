import "server-only";
import { getDb } from "./client";
import type { DbTx, TxOptions } from "./tenant-db";

/**
 * Unscoped access across all tenants, for the admin console, platform jobs and the
 * webhook inbox. ESLint forbids importing this module from tenant code: only `*.admin.ts`,
 * `*.jobs.ts` and `*.public.ts` modules, the request layer (server/core), inngest/ and scripts may
 * use it (docs/ARCHITECTURE.md).
 */
export const platformDb = {
  run<T>(fn: (tx: DbTx) => Promise<T>, options?: TxOptions): Promise<T> {
    return getDb().$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT set_config('app.platform', 'on', true)`;
        return fn(tx);
      },
      { timeout: 30_000, ...options },
    );
  },
};
