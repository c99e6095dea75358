// Confirms the causes with EXPLAIN (ANALYZE, BUFFERS) of the captured statements, as the
// app role (RLS on) and as the superuser (RLS bypassed), plus the catalog facts behind them.
// Writes the plans' key lines (scan nodes, filters, rows removed, buffers, times) to a text file.
import pg from "pg";
import { workStatements, type Replayer, type Statement } from "./capture";
import type { DataSet } from "./data";

const KEY =
  /(Scan|Limit|Sort|Filter|Rows Removed|Index Cond|Buffers|Execution Time|Aggregate|Nested Loop|Hash Join|Merge|InitPlan|SubPlan)/;

function keyLines(plan: string[]): string[] {
  return plan.filter((l) => KEY.test(l)).map((l) => l.replace(/\s+$/, ""));
}

/** The statement on one line, its select list elided (the FROM … part is what the plan is about). */
const oneLine = (sql: string) =>
  sql
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^SELECT (?:(?!\bFROM\b).)*? FROM /, "SELECT … FROM ")
    .slice(0, 1500);

export async function explainFindings(input: {
  data: DataSet;
  replayer: Replayer;
  migrationUrl: string;
  statements: Record<string, Statement[]>;
}): Promise<string> {
  const out: string[] = [];
  const su = new pg.Client({ connectionString: input.migrationUrl });
  await su.connect();
  try {
    const leak = await su.query<{ proname: string; sig: string; proleakproof: boolean }>(
      `SELECT proname, pg_get_function_identity_arguments(oid) AS sig, proleakproof FROM pg_proc
       WHERE proname IN ('enum_eq', 'texteq', 'uuid_eq', 'timestamp_lt', 'date_lt', 'int4eq') ORDER BY proname`,
    );
    out.push("## LEAKPROOF (operators RLS lets run before the policy: only leakproof ones can become index conditions)");
    for (const r of leak.rows) out.push(`  ${r.proname}(${r.sig}) leakproof=${r.proleakproof}`);
    const role = await su.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>(
      `SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'phteah_app'`,
    );
    out.push(`  app role: ${JSON.stringify(role.rows[0])}`);
    const idx = await su.query<{ tablename: string; indexdef: string }>(
      `SELECT tablename, indexdef FROM pg_indexes WHERE tablename IN ('RentInvoice', 'Payment', 'AuditLog') ORDER BY 1, 2`,
    );
    out.push("\n## Indexes on RentInvoice, Payment, AuditLog");
    for (const r of idx.rows) out.push(`  ${r.indexdef}`);

    for (const [name, statements] of Object.entries(input.statements)) {
      if (name === "audit export") continue;
      out.push(`\n## ${name}: ${workStatements(statements).length} statements (plus transaction control and the tenant setting)`);
      for (const s of workStatements(statements)) {
        if (!/^\s*(SELECT|WITH)/i.test(s.text)) continue;
        out.push(`\n### ${oneLine(s.text)}`);
        for (const [who, url] of [
          ["app role (RLS)", undefined],
          ["superuser (no RLS)", input.migrationUrl],
        ] as const) {
          try {
            const plan = await input.replayer.explain(input.data.bigTenantId, s.text, s.values, url);
            out.push(`  -- ${who}`);
            for (const l of keyLines(plan)) out.push(`  ${l}`);
          } catch (e) {
            out.push(`  -- ${who}: EXPLAIN failed: ${(e as Error).message}`);
          }
        }
      }
    }
  } finally {
    await su.end();
  }
  return out.join("\n");
}

/**
 * The most rows one scan node of a plan read: its actual rows × loops plus the rows its filter removed.
 * A list's main query that reads about a page is an index scan; one that reads the workspace is not.
 */
export function rowsRead(plan: string[]): number {
  let max = 0;
  let last = 0;
  for (const line of plan) {
    const node = /Scan.*\(actual time=[\d.]+\.\.[\d.]+ rows=([\d.]+) loops=(\d+)\)/.exec(line);
    if (node) {
      last = Number(node[1]) * Number(node[2]);
      max = Math.max(max, last);
      continue;
    }
    const removed = /Rows Removed by (?:Filter|Index Recheck): (\d+)/.exec(line);
    if (removed) {
      last += Number(removed[1]);
      max = Math.max(max, last);
    }
  }
  return max;
}
