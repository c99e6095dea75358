import "server-only";
import pg from "pg";
import type { Prisma } from "./generated/client";
import { getPool } from "./client";
import { PLATFORM_BINDING, tenantBinding } from "./tenant-binding";

// A transaction straight on node-postgres (a read-only statement, or a short hot read-write path
// such as the pay page's throttles and view, TenantDb.runRaw): the same pooled
// connections, the same binding (the tenant's set_config, or platform mode) sent with the BEGIN, the
// same row-level security, but without Prisma's interactive transaction around it and without
// Prisma turning every value of every row into its own types. For hot reads that return many rows
// of plain columns (the audit CSV batches, the audit list): about 0.7 ms less per transaction, and
// a 5,000-row batch arrives as pg's plain rows.
//
// Date parameters are sent as UTC ISO text. Values are node-postgres's, except `timestamp`
// (without time zone: every timestamp here is stored in UTC), read as UTC whatever the process's
// time zone, and `date`, read as that day's UTC midnight, both as Prisma reads them.

const TIMESTAMP = 1114;
const DATE = 1082;
const utcTimestamp = (value: string): Date => new Date(`${value.replace(" ", "T")}Z`);
/** a `date` as Prisma reads it: that day's UTC midnight */
const utcDate = (value: string): Date => new Date(`${value}T00:00:00.000Z`);
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP ? utcTimestamp : oid === DATE ? utcDate : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** The BEGIN of a tenant's raw read, binding it as TenantDb.run's BEGIN does (tenant-binding.ts). */
export function tenantReadBegin(tenantId: string): string {
  return `BEGIN READ ONLY; ${tenantBinding(tenantId)}`;
}

/** The BEGIN of a tenant's raw read-write transaction (TenantDb.runRaw), bound as TenantDb.run's. */
export function tenantWriteBegin(tenantId: string): string {
  return `BEGIN; ${tenantBinding(tenantId)}`;
}

export const PLATFORM_READ_BEGIN = `BEGIN READ ONLY; ${PLATFORM_BINDING}`;

/** Runs one statement on a raw transaction's connection: its rows, with the types above. */
export type RawQuery = <T extends object>(query: Prisma.Sql) => Promise<T[]>;

/** Runs `query` after `begin` (tenantReadBegin or PLATFORM_READ_BEGIN) in one read-only transaction. */
export function rawRead<T extends object>(begin: string, query: Prisma.Sql): Promise<T[]> {
  return rawTransaction(begin, (q) => q<T>(query));
}

/**
 * Runs `fn` in one transaction opened by `begin` (which binds it: tenantWriteBegin, tenantReadBegin,
 * PLATFORM_READ_BEGIN) and commits when it returns; rolls back when it throws. `fn` sends its
 * statements one after the other through `q` (one connection: no concurrent statements).
 */
export async function rawTransaction<R>(begin: string, fn: (q: RawQuery) => Promise<R>): Promise<R> {
  const client = await getPool().connect();
  let failure: Error | undefined;
  try {
    await client.query(begin);
    const q: RawQuery = async <T extends object>(query: Prisma.Sql) => {
      // a Date parameter as its UTC ISO text (node-postgres would write local time with an offset,
      // which a cast to timestamp without time zone drops)
      const values = query.values.map((v) => (v instanceof Date ? v.toISOString() : v));
      const { rows } = await client.query<T>({ text: query.text, values, types });
      return rows;
    };
    const result = await fn(q);
    await client.query("COMMIT");
    return result;
  } catch (e) {
    failure = e as Error;
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    // a connection that failed mid-transaction is dropped rather than handed to the next request
    client.release(failure && !(failure as { code?: string }).code ? failure : undefined);
  }
}
