// Captures the SQL the app sends (every pg Client.query of this process: Prisma's driver adapter
// goes through node-postgres) and replays it as bare SQL on connections of the app role, where
// row-level security applies exactly as for the app. Statements are grouped by the connection
// that ran them, so transactions (BEGIN, set_config('app.tenant_id'), …, COMMIT) replay as they ran.
import pg from "pg";

export interface Statement {
  conn: number;
  text: string;
  values: unknown[] | undefined;
}

let recording: Statement[] | null = null;
let replaying = false;
const connIds = new WeakMap<object, number>();
let nextConn = 1;

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
const original = pg.Client.prototype.query as unknown as QueryFn;

/** Installs the hook once (before the app opens its pool). */
export function installCapture(): void {
  (pg.Client.prototype as unknown as { query: QueryFn }).query = function (this: pg.Client, ...args: unknown[]) {
    if (recording && !replaying) {
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

/** Runs `fn` and returns the statements it sent. */
export async function capture<T>(fn: () => Promise<T>): Promise<{ result: T; statements: Statement[] }> {
  recording = [];
  try {
    const result = await fn();
    return { result, statements: recording };
  } finally {
    recording = null;
  }
}

/** A pool of bare app-role connections that replays captured statements. */
export class Replayer {
  private readonly pool: pg.Pool;
  constructor(appUrl: string, max = 10) {
    this.pool = new pg.Pool({ connectionString: appUrl, max });
  }

  /** Replays the statements, one bare connection per original connection, concurrently like the app; returns ms. */
  async replay(statements: Statement[]): Promise<number> {
    const byConn = new Map<number, Statement[]>();
    for (const s of statements) {
      const list = byConn.get(s.conn) ?? [];
      list.push(s);
      byConn.set(s.conn, list);
    }
    replaying = true;
    const t0 = performance.now();
    try {
      await Promise.all(
        [...byConn.values()].map(async (list) => {
          const client = await this.pool.connect();
          try {
            for (const s of list) await client.query(s.text, s.values);
          } catch (e) {
            await client.query("ROLLBACK").catch(() => undefined);
            throw e;
          } finally {
            client.release();
          }
        }),
      );
    } finally {
      replaying = false;
    }
    return performance.now() - t0;
  }

  /** EXPLAIN (ANALYZE, BUFFERS) of one statement as the app role, inside the tenant's RLS context. */
  async explain(tenantId: string, text: string, values: unknown[] | undefined, asSuperuserUrl?: string): Promise<string[]> {
    const client = asSuperuserUrl ? new pg.Client({ connectionString: asSuperuserUrl }) : await this.pool.connect();
    if (asSuperuserUrl) await (client as pg.Client).connect();
    replaying = true;
    try {
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
      const r = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
      await client.query("ROLLBACK");
      return r.rows.map((x) => x["QUERY PLAN"]);
    } finally {
      replaying = false;
      if (asSuperuserUrl) await (client as pg.Client).end();
      else (client as pg.PoolClient).release();
    }
  }

  async end(): Promise<void> {
    await this.pool.end();
  }
}

/** The statements that do the work: not transaction control nor the tenant setting. */
export function workStatements(statements: Statement[]): Statement[] {
  return statements.filter((s) => !/^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i.test(s.text) && !/set_config\('app\./.test(s.text));
}
