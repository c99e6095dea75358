import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import pg from "pg";

// A tenant transaction (TenantDb.run) must bind row-level security to its tenant before anything
// else: `set_config('app.tenant_id', <tenant>, true)`, local to the transaction. Sent on its own,
// that is one more round trip (and one more Prisma call) in every tenant transaction. Here it
// travels with the transaction's BEGIN instead, in the same simple-protocol message:
//
//   BEGIN; SELECT set_config('app.tenant_id', '<tenant uuid>', true)
//
// platformDb.run does the same with `SELECT set_config('app.platform', 'on', true)`.
//
// TenantDb.run marks the transaction it is about to open (AsyncLocalStorage); the pool's client
// class rewrites the first plain `BEGIN` sent in that async context (Prisma's, for this very
// $transaction) and reports that it did. Nothing else changes: the setting is still local to the
// one transaction, RLS is still forced, and if the BEGIN was not rewritten (an isolation level,
// whose SET TRANSACTION must come first, or a Prisma that opens transactions differently)
// TenantDb.run sends the set_config itself, as before. The tenant id is a checked uuid (the only
// value ever inlined), so the message needs no parameters.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface PendingBinding {
  /** the statement that binds the transaction: the tenant's set_config, or platform mode's */
  statement: string;
  bound: boolean;
}

const pending = new AsyncLocalStorage<PendingBinding>();

/**
 * Runs `open` (which opens one transaction at once) so that the transaction's BEGIN also binds
 * `tenantId`; `bound()` tells, inside the transaction, whether it did.
 */
export function withTenantBegin<T>(tenantId: string, open: (bound: () => boolean) => Promise<T>): Promise<T> {
  return withBegin(tenantBinding(tenantId), open);
}

/** The statement that binds a transaction to `tenantId` (a checked uuid: the only value ever inlined). */
export function tenantBinding(tenantId: string): string {
  if (!UUID.test(tenantId)) throw new Error("a tenant binding needs a tenant id (uuid)");
  return `SELECT set_config('app.tenant_id', '${tenantId}', true)`;
}

/** The same for platformDb: the BEGIN also sets platform mode (`app.platform = on`) for the transaction. */
export function withPlatformBegin<T>(open: (bound: () => boolean) => Promise<T>): Promise<T> {
  return withBegin(PLATFORM_BINDING, open);
}

/** The statement that puts a transaction in platform mode. */
export const PLATFORM_BINDING = "SELECT set_config('app.platform', 'on', true)";

function withBegin<T>(statement: string, open: (bound: () => boolean) => Promise<T>): Promise<T> {
  const binding: PendingBinding = { statement, bound: false };
  return pending.run(binding, () => open(() => binding.bound));
}

function isPlainBegin(query: unknown): query is { text: string; values?: unknown[] } {
  if (typeof query !== "object" || query === null) return false;
  const { text, values } = query as { text?: unknown; values?: unknown };
  return text === "BEGIN" && (values === undefined || (Array.isArray(values) && values.length === 0));
}

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;

/** The pool's client class (server/db/client.ts): pg's Client, with the BEGIN of a marked tenant transaction carrying its binding. */
export class TenantBindingClient extends pg.Client {}

// Statements that change what the request context reads (server/core/context-cache.ts drops its
// entries when this process runs one). Not: a new session, or a session's lastSeenAt refresh.
const CONTEXT_WRITE =
  /^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:"public"\.)?"(Tenant|UserSession|User|Membership|Role|RolePermission|Subscription|Plan)"/i;
const SESSION_UNCHANGED =
  /^\s*(?:INSERT\s+INTO\s+(?:"public"\.)?"UserSession"|UPDATE\s+(?:"public"\.)?"UserSession"\s+SET\s+"lastSeenAt"\s*=\s*\$\d+\s+WHERE)/i;
let contextWriteHook: ((tags: string[] | "*") => void) | null = null;

/** Called for every statement of the pool that writes a context table, with the cache tags it may touch (null: none). */
export function onContextTableWrite(hook: ((tags: string[] | "*") => void) | null): void {
  contextWriteHook = hook;
}

/** Whether `text` writes a table the request context reads (exported for the tests). */
export function writesContextTable(text: string): boolean {
  return contextWriteTags(text, undefined) !== null;
}

/**
 * The cache tags (server/core/context-cache.ts) a statement may change: null when it writes no
 * context table; "*" when it cannot be narrowed. A session, user or workspace row is found by its
 * id, which Prisma sends as a parameter: a statement on those tables whose parameters hold ids
 * touches only the entries tagged with them (a sign-out drops that session's entry, not every
 * entry of the process). Memberships, roles, permissions, subscriptions and plans are found through
 * ids the cache does not tag (a membership's own id; the workspace is the RLS binding, not a
 * parameter), and are rare writes: everything goes. The database's notification follows either way.
 */
export function contextWriteTags(text: string, values: unknown): string[] | "*" | null {
  const m = CONTEXT_WRITE.exec(text);
  if (!m || SESSION_UNCHANGED.test(text)) return null;
  const table = m[1]!.toLowerCase();
  const prefixes = table === "usersession" || table === "user" ? ["s:", "u:"] : table === "tenant" ? ["t:"] : null;
  if (!prefixes) return "*";
  const ids = Array.isArray(values) ? values.filter((v): v is string => typeof v === "string" && UUID.test(v)) : [];
  if (ids.length === 0) return "*";
  return ids.flatMap((id) => prefixes.map((p) => p + id.toLowerCase()));
}

(TenantBindingClient.prototype as unknown as { query: QueryFn }).query = function (this: pg.Client, ...args: unknown[]) {
  const binding = pending.getStore();
  if (binding && !binding.bound && isPlainBegin(args[0])) {
    binding.bound = true;
    args[0] = { ...args[0], text: `BEGIN; ${binding.statement}` };
  }
  if (contextWriteHook) {
    const query = args[0] as { text?: unknown; values?: unknown } | string | null;
    const text = typeof query === "string" ? query : query?.text;
    const values = typeof query === "string" ? args[1] : (query?.values ?? args[1]);
    const tags = typeof text === "string" ? contextWriteTags(text, values) : null;
    if (tags) contextWriteHook(tags);
  }
  // pg's own query, looked up at each call (a hook installed on pg.Client later, as bench/ and the
  // statement-count test do, still sees every statement)
  return (pg.Client.prototype.query as unknown as QueryFn).apply(this, args);
};
