// What the app sends to PostgreSQL, and what PostgreSQL does with it, for performance tests that
// must not be timed: `captureStatements` records every statement this process sends through
// node-postgres (Prisma's driver adapter included) while a function runs; `explainAsApp` runs
// EXPLAIN (ANALYZE, FORMAT JSON) of one of them as the app role with the tenant's
// `app.tenant_id` set (row-level security on, exactly as the app runs it) and `scanReads` gives
// the rows each scan node read (returned + removed by a filter or recheck).
import pg from "pg";

export interface SentStatement {
  /** which connection sent it (transactions stay together) */
  conn: number;
  text: string;
  values: unknown[] | undefined;
}

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;

let recording: SentStatement[] | null = null;
let installed = false;
const connIds = new WeakMap<object, number>();
let nextConn = 1;

function install(): void {
  if (installed) return;
  installed = true;
  const original = pg.Client.prototype.query as unknown as QueryFn;
  (pg.Client.prototype as unknown as { query: QueryFn }).query = function (this: pg.Client, ...args: unknown[]) {
    if (recording) {
      const [first, second] = args;
      const text = typeof first === "string" ? first : (first as { text?: string } | null)?.text;
      const values =
        typeof first === "string" ? (Array.isArray(second) ? second : undefined) : (first as { values?: unknown[] } | null)?.values;
      if (typeof text === "string") {
        let id = connIds.get(this);
        if (id === undefined) connIds.set(this, (id = nextConn++));
        recording.push({ conn: id, text, values: values ? [...values] : undefined });
      }
    }
    return original.apply(this, args);
  };
}

/** Runs `fn` and returns what it sent. Not re-entrant: one capture at a time per test file. */
export async function captureStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: SentStatement[] }> {
  install();
  if (recording) throw new Error("captureStatements: a capture is already running");
  recording = [];
  try {
    const result = await fn();
    return { result, statements: recording };
  } finally {
    recording = null;
  }
}

/** Transaction control and the tenant's set_config are not work: the bench counts statements the same way. */
export function workStatements(statements: readonly SentStatement[]): SentStatement[] {
  return statements.filter(
    (s) => !/^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|DEALLOCATE)\b/i.test(s.text) && !/set_config\('app\./.test(s.text),
  );
}

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

/** EXPLAIN (ANALYZE, FORMAT JSON) of `sql` as the app role (DATABASE_URL) in `tenantId`'s transaction (rolled back). */
export async function explainAsApp(tenantId: string, sql: string, values: unknown[] | undefined): Promise<PlanNode> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows: role } = await client.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
      `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`,
    );
    if (role[0]?.rolsuper || role[0]?.rolbypassrls)
      throw new Error("explainAsApp: DATABASE_URL must be the app role (no superuser, no BYPASSRLS)");
    await client.query("BEGIN");
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
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
