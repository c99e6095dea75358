// Captures the SQL the app sends (every pg Client.query of this process: Prisma's driver adapter
// goes through node-postgres) and replays it as bare SQL on connections of the app role, where
// row-level security applies exactly as for the app. Statements are grouped by the connection
// that ran them, so transactions (BEGIN, set_config('app.tenant_id'), …, COMMIT) replay as they ran.
import pg from "pg";
import { captureStatements, installCapture, notCaptured, workStatements, type SentStatement } from "../../scripts/lib/sql-capture";

// the capture itself is shared with the query-plan tests (scripts/lib/sql-capture.ts)
export type Statement = SentStatement;
export { installCapture, workStatements };

/** Runs `fn` and returns the statements it sent. */
export const capture = captureStatements;

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
    const t0 = performance.now();
    await notCaptured(() =>
      Promise.all(
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
      ),
    );
    return performance.now() - t0;
  }

  /** EXPLAIN (ANALYZE, BUFFERS) of one statement as the app role, inside the tenant's RLS context. */
  async explain(tenantId: string, text: string, values: unknown[] | undefined, asSuperuserUrl?: string): Promise<string[]> {
    const client = asSuperuserUrl ? new pg.Client({ connectionString: asSuperuserUrl }) : await this.pool.connect();
    if (asSuperuserUrl) await (client as pg.Client).connect();
    try {
      return await notCaptured(async () => {
        await client.query("BEGIN");
        await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
        const r = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
        await client.query("ROLLBACK");
        return r.rows.map((x) => x["QUERY PLAN"]);
      });
    } finally {
      if (asSuperuserUrl) await (client as pg.Client).end();
      else (client as pg.PoolClient).release();
    }
  }

  async end(): Promise<void> {
    await this.pool.end();
  }
}
