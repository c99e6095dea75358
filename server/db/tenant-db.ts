import "server-only";
import { getDb } from "./client";
import { Prisma } from "./generated/client";
import { withTenantBegin } from "./tenant-binding";
import { rawRead, rawTransaction, tenantReadBegin, tenantWriteBegin, type RawQuery } from "./raw-read";

/**
 * Models with a `tenantId` that are not owned by one tenant: `UserSession` is looked up by id on
 * every request before the tenant is resolved (its tenantId records the host it was issued for).
 */
export const GLOBAL_MODELS_WITH_TENANT_ID: ReadonlySet<string> = new Set(["UserSession"]);

/**
 * Models that belong to one tenant: every model with a `tenantId` field, read from the generated
 * client, so a new tenant model is scoped the day it is added (no list to forget). Each has a
 * forced row-level security policy (tests/integration/rls.test.ts checks the two agree).
 */
export const TENANT_MODELS: ReadonlySet<string> = new Set(
  Object.values(Prisma.ModelName).filter((model) => {
    const fields = (Prisma as unknown as Record<string, Record<string, string> | undefined>)[`${model}ScalarFieldEnum`];
    return !GLOBAL_MODELS_WITH_TENANT_ID.has(model) && fields !== undefined && "tenantId" in fields;
  }),
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Args = Record<string, unknown> & { where?: Record<string, unknown>; data?: unknown };

function withTenant(data: unknown, tenantId: string, model: string): Record<string, unknown> {
  if (typeof data !== "object" || data === null) throw new Error(`${model}: create data must be an object`);
  if ("tenant" in data) throw new Error(`${model}: the tenant is set by the scoped handle; do not connect it by hand`);
  const given = (data as { tenantId?: unknown }).tenantId;
  if (given !== undefined && given !== tenantId) throw new Error(`${model}: refused a write for another tenant`);
  return { ...(data as Record<string, unknown>), tenantId };
}

/** Update data may not move a row to another tenant (RLS refuses it too; this wall fails first, with a clear message). */
function assertStaysInTenant(data: unknown, tenantId: string, model: string): void {
  if (typeof data !== "object" || data === null) return;
  if ("tenant" in data) throw new Error(`${model}: the tenant is set by the scoped handle; do not connect it by hand`);
  const given = (data as { tenantId?: unknown }).tenantId;
  if (given !== undefined && given !== tenantId) throw new Error(`${model}: refused a write for another tenant`);
}

/** First wall: force `tenantId` into the filter of every read/update/delete and the data of every create. */
export function scopeArgs(model: string, operation: string, args: Args | undefined, tenantId: string): Args {
  const a: Args = { ...(args ?? {}) };
  switch (operation) {
    case "findUnique":
    case "findUniqueOrThrow":
    case "findFirst":
    case "findFirstOrThrow":
    case "findMany":
    case "count":
    case "aggregate":
    case "groupBy":
    case "delete":
    case "deleteMany":
      return { ...a, where: { ...(a.where ?? {}), tenantId } };
    case "update":
    case "updateMany":
    case "updateManyAndReturn":
      assertStaysInTenant(a.data, tenantId, model);
      return { ...a, where: { ...(a.where ?? {}), tenantId } };
    case "create":
      return { ...a, data: withTenant(a.data, tenantId, model) };
    case "createMany":
    case "createManyAndReturn": {
      const rows = Array.isArray(a.data) ? a.data : [a.data];
      return { ...a, data: rows.map((row) => withTenant(row, tenantId, model)) };
    }
    case "upsert":
      assertStaysInTenant(a.update, tenantId, model);
      return {
        ...a,
        where: { ...(a.where ?? {}), tenantId },
        create: withTenant(a.create, tenantId, model),
      };
    default:
      throw new Error(`${model}.${operation} is not supported on a tenant-scoped handle`);
  }
}

function scopedClient(tenantId: string) {
  return getDb().$extends({
    name: "tenant-scope",
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          if (!TENANT_MODELS.has(model)) return query(args);
          return query(scopeArgs(model, operation, args as Args, tenantId) as typeof args);
        },
      },
    },
  });
}

type ScopedClient = ReturnType<typeof scopedClient>;

// An extended client costs ~1 ms to build and warm (Prisma's $extends plus the first model access):
// once per tenant per process instead of once per request. It holds nothing but its tenant id (the
// extension's closure), so sharing it between requests of one tenant shares no state; bounded, least
// recently used first out. Keyed by the base client too (a test may swap DATABASE_URL and client).
const SCOPED_CLIENTS_MAX = 1_000;
const scopedClients = new WeakMap<object, Map<string, ScopedClient>>();

function scopedClientFor(tenantId: string): ScopedClient {
  const base = getDb();
  let byTenant = scopedClients.get(base);
  if (!byTenant) scopedClients.set(base, (byTenant = new Map()));
  let client = byTenant.get(tenantId);
  if (client) {
    byTenant.delete(tenantId); // most recently used last
  } else {
    client = scopedClient(tenantId);
    if (byTenant.size >= SCOPED_CLIENTS_MAX) byTenant.delete(byTenant.keys().next().value!);
  }
  byTenant.set(tenantId, client);
  return client;
}

export type DbTx = Prisma.TransactionClient;

export interface TxOptions {
  isolationLevel?: Prisma.TransactionIsolationLevel;
  timeout?: number;
}

/**
 * The only way tenant code reaches tenant data. Every `run` is one transaction in which
 * PostgreSQL knows the tenant (`app.tenant_id`, second wall) and every model call on a
 * tenant model is filtered by it (first wall). Multi-table writes share the transaction.
 */
export class TenantDb {
  private client: ScopedClient | undefined;

  constructor(readonly tenantId: string) {
    if (!UUID.test(tenantId)) throw new Error("TenantDb needs a tenant id (uuid)");
  }

  run<T>(fn: (tx: DbTx) => Promise<T>, options?: TxOptions): Promise<T> {
    const client = (this.client ??= scopedClientFor(this.tenantId));
    const open = (bound: () => boolean) =>
      client.$transaction(
        async (tx) => {
          // the BEGIN already bound the tenant (tenant-binding.ts), else bind it here
          if (!bound()) await tx.$executeRaw`SELECT set_config('app.tenant_id', ${this.tenantId}, true)`;
          return fn(tx as unknown as DbTx);
        },
        { timeout: 15_000, ...options },
      );
    // an isolation level's SET TRANSACTION must precede any query: no folding then
    return options?.isolationLevel ? open(() => false) : withTenantBegin(this.tenantId, open);
  }

  /**
   * One read-only statement in a transaction of its own, on node-postgres without Prisma
   * (raw-read.ts): the same tenant binding and row-level security, for hot reads of many plain rows.
   * The statement must filter by the tenant itself (the scoped handle's first wall is Prisma's).
   */
  read<T extends object>(query: Prisma.Sql): Promise<T[]> {
    return rawRead<T>(tenantReadBegin(this.tenantId), query);
  }

  /**
   * A transaction of raw statements on node-postgres (raw-read.ts), read-write, bound to the tenant
   * as `run` binds it (RLS forced): for a hot path of a few hand-written statements that Prisma's
   * interactive transaction would double (the pay page's throttles and view, issue 13). Every
   * statement must filter by the tenant itself (the scoped handle's first wall is Prisma's).
   */
  runRaw<T>(fn: (q: RawQuery) => Promise<T>): Promise<T> {
    return rawTransaction(tenantWriteBegin(this.tenantId), fn);
  }
}
