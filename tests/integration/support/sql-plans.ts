// What the app sends to PostgreSQL, and what PostgreSQL does with it, for performance tests that
// must not be timed: `captureStatements` records every statement this process sends through
// node-postgres (Prisma's driver adapter included) while a function runs; `explainAsApp` runs
// EXPLAIN (ANALYZE, FORMAT JSON) of one of them as the app role with the tenant's
// `app.tenant_id` (or the console's `app.platform`) set (row-level security on, exactly as the app
// runs it) and `scanReads` gives
// the rows each scan node read (returned + removed by a filter or recheck).
import pg from "pg";
import { notCaptured, type SentStatement } from "../../../scripts/lib/sql-capture";

// the capture is shared with the bench (bench/lib/capture.ts)
export { captureStatements, workStatements, type SentStatement } from "../../../scripts/lib/sql-capture";

export interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

/**
 * EXPLAIN (ANALYZE, FORMAT JSON) of `sql` as the app role (DATABASE_URL) in a transaction (rolled back)
 * with `tenantId`'s `app.tenant_id`, or, for `"platform"`, the console's `app.platform` setting; then
 * `settings` (statements the service sent before `sql` in its transaction, e.g. planner settings) run first.
 */
export async function explainAsApp(
  /** a tenant id, or "platform" */
  scope: string,
  sql: string,
  values: unknown[] | undefined,
  settings: readonly Pick<SentStatement, "text" | "values">[] = [],
): Promise<PlanNode> {
  return notCaptured(() => explain(scope, sql, values, settings));
}

async function explain(
  scope: string,
  sql: string,
  values: unknown[] | undefined,
  settings: readonly Pick<SentStatement, "text" | "values">[],
): Promise<PlanNode> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows: role } = await client.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
      `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`,
    );
    if (role[0]?.rolsuper || role[0]?.rolbypassrls)
      throw new Error("explainAsApp: DATABASE_URL must be the app role (no superuser, no BYPASSRLS)");
    await client.query("BEGIN");
    if (scope === "platform") await client.query(`SELECT set_config('app.platform', 'on', true)`);
    else await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [scope]);
    for (const st of settings) await client.query(st.text, st.values);
    const { rows } = await client.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, values);
    return rows[0]!["QUERY PLAN"][0]!.Plan;
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end();
  }
}

export interface ScanRead {
  node: string;
  relation: string | undefined;
  index: string | undefined;
  /** rows the scan produced over all its loops, plus those its filter or recheck removed */
  read: number;
}

/** Every scan node of the plan with the rows it read. */
export function scanReads(plan: PlanNode): ScanRead[] {
  const out: ScanRead[] = [];
  const walk = (n: PlanNode) => {
    if (/Scan/.test(n["Node Type"])) {
      out.push({
        node: n["Node Type"],
        relation: n["Relation Name"],
        index: n["Index Name"],
        read:
          n["Actual Rows"] * n["Actual Loops"] +
          (n["Rows Removed by Filter"] ?? 0) * n["Actual Loops"] +
          (n["Rows Removed by Index Recheck"] ?? 0) * n["Actual Loops"],
      });
    }
    for (const child of n.Plans ?? []) walk(child);
  };
  walk(plan);
  return out;
}
