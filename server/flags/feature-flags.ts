import "server-only";
import { TenantDb, type DbTx } from "@/server/db/tenant-db";
import { logger } from "@/server/core/observability/logger";

// The one evaluation of feature flags, for server components, tenant services and (through
// the answers the workspace layout hands to FlagsProvider) the UI's useFlag().
//
//   answer = the tenant's override ?? the flag's default;   unknown key → false (+ one warning per key)
//
// Expired flags still evaluate as configured: expiry is a reminder to remove the flag (the
// console shows it in red), never a silent switch. See docs/FEATURE_FLAGS.md.

/**
 * Answers already computed inside a transaction, so a tenant service that asks several times
 * within one `ctx.db.run` reads the flags once. Only tenants' transactions are expected here,
 * and tenant code never writes flags, so the answers cannot go stale within one.
 */
const answersByTx = new WeakMap<DbTx, Map<string, Promise<ReadonlyMap<string, boolean>>>>();

/** Keys already warned about in this process: one warning per key, not one per page view. */
const warnedUnknown = new Set<string>();

function warnUnknown(flagKey: string, tenantId: string): false {
  if (!warnedUnknown.has(flagKey)) {
    warnedUnknown.add(flagKey);
    logger.warn({ flag: flagKey, tenantId }, "feature flag: unknown key, evaluated as off (warned once per process)");
  }
  return false;
}

/** A transaction handed in must be this tenant's (TenantDb) or a platform one; anything else is a bug, not "no override". */
async function assertTxSeesTenant(tx: DbTx, tenantId: string): Promise<void> {
  const [row] = await tx.$queryRaw<{ tenant: string | null; platform: string | null }[]>`
    SELECT current_setting('app.tenant_id', true) AS tenant, current_setting('app.platform', true) AS platform`;
  if (row?.platform === "on" || row?.tenant === tenantId) return;
  throw new Error("feature flags: the transaction given belongs to another tenant (or none); use that tenant's ctx.db.run");
}

async function evaluateAll(tx: DbTx, tenantId: string): Promise<ReadonlyMap<string, boolean>> {
  const flags = await tx.featureFlag.findMany({
    // row-level security shows only this tenant's overrides; the filter says the same explicitly
    select: { key: true, defaultEnabled: true, overrides: { where: { tenantId }, select: { enabled: true } } },
    orderBy: { key: "asc" },
  });
  return new Map(flags.map((f) => [f.key, f.overrides[0]?.enabled ?? f.defaultEnabled]));
}

function answersIn(tx: DbTx, tenantId: string): Promise<ReadonlyMap<string, boolean>> {
  let perTenant = answersByTx.get(tx);
  if (!perTenant) answersByTx.set(tx, (perTenant = new Map()));
  let answers = perTenant.get(tenantId);
  if (!answers) {
    answers = assertTxSeesTenant(tx, tenantId).then(() => evaluateAll(tx, tenantId));
    perTenant.set(tenantId, answers);
  }
  return answers;
}

/**
 * Is `flagKey` on for `tenantId`? Pass `tx` when already inside that tenant's transaction
 * (`ctx.db.run(async (tx) => … await isEnabled(FLAGS.x, ctx.tenantId, tx) …)`); otherwise it
 * opens a short TenantDb transaction of its own.
 */
export async function isEnabled(flagKey: string, tenantId: string, tx?: DbTx): Promise<boolean> {
  if (tx) {
    const answer = (await answersIn(tx, tenantId)).get(flagKey);
    return answer ?? warnUnknown(flagKey, tenantId);
  }
  const flag = await new TenantDb(tenantId).run((t) =>
    t.featureFlag.findUnique({
      where: { key: flagKey },
      select: { defaultEnabled: true, overrides: { where: { tenantId }, select: { enabled: true } } },
    }),
  );
  if (!flag) return warnUnknown(flagKey, tenantId);
  return flag.overrides[0]?.enabled ?? flag.defaultEnabled;
}

/** The keys of every flag that is on for `tenantId` (sorted): what the workspace UI gets for useFlag(). */
export async function enabledFlags(tenantId: string, tx?: DbTx): Promise<string[]> {
  const answers = tx ? await answersIn(tx, tenantId) : await new TenantDb(tenantId).run((t) => evaluateAll(t, tenantId));
  return [...answers].filter(([, on]) => on).map(([key]) => key);
}
