// What this process sends to PostgreSQL, recorded while a function runs: every pg Client.query
// (Prisma's driver adapter goes through node-postgres), with the connection that sent it, so a
// transaction (BEGIN, set_config('app.tenant_id'), …, COMMIT) stays together. One module for the
// query-plan tests (tests/integration/support/sql-plans.ts) and the bench (bench/lib/capture.ts).
import pg from "pg";

export interface SentStatement {
  /** which connection sent it (transactions stay together) */
  conn: number;
  text: string;
  values: unknown[] | undefined;
}

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;

let recording: SentStatement[] | null = null;
/** > 0 while statements are sent that are not the app's (a replay, an EXPLAIN): not recorded */
let paused = 0;
let installed = false;
const connIds = new WeakMap<object, number>();
let nextConn = 1;

/** Installs the hook on pg.Client.prototype.query (once; later calls do nothing). */
export function installCapture(): void {
  if (installed) return;
  installed = true;
  const original = pg.Client.prototype.query as unknown as QueryFn;
  (pg.Client.prototype as unknown as { query: QueryFn }).query = function (this: pg.Client, ...args: unknown[]) {
    if (recording && paused === 0) {
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

/** Runs `fn` and returns what it sent. Not re-entrant: one capture at a time per process. */
export async function captureStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: SentStatement[] }> {
  installCapture();
  if (recording) throw new Error("captureStatements: a capture is already running");
  recording = [];
  try {
    const result = await fn();
    return { result, statements: recording };
  } finally {
    recording = null;
  }
}

/** Runs `fn` without recording what it sends (replaying or explaining captured statements during a capture). */
export async function notCaptured<T>(fn: () => Promise<T>): Promise<T> {
  paused++;
  try {
    return await fn();
  } finally {
    paused--;
  }
}

/** The statements that do the work: not transaction control, DEALLOCATE nor the app's set_config settings. */
export function workStatements<S extends Pick<SentStatement, "text">>(statements: readonly S[]): S[] {
  return statements.filter(
    (s) => !/^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|DEALLOCATE)\b/i.test(s.text) && !/set_config\('app\./.test(s.text),
  );
}
