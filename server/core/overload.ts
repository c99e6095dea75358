// The database is saturated or unreachable: every pooled connection is busy for longer than the
// connection timeout, PostgreSQL refuses new connections, or it cannot be reached. These are
// not bugs in the request, so they are answered 503 with Retry-After (tRPC, route handlers),
// never 500, and they are not reported as server errors.

/** Seconds a client should wait before retrying after an overload answer. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 5;

// Prisma codes: P2024 pool timeout (engine pool), P2028 "unable to start a transaction in the
// given time" (the driver adapter's pool is exhausted), P2037 too many connections, P1001 not
// reachable, P1008 socket timeout, P1017 connection closed by the server.
const PRISMA_CODES = new Set(["P2024", "P2028", "P2037", "P1001", "P1008", "P1017"]);
// PostgreSQL SQLSTATEs raised through pg directly: too many connections, out of resources,
// starting up / shutting down.
const PG_CODES = new Set(["53300", "53000", "57P03", "57P01"]);
// node-postgres (pg-pool) gives plain Errors: no free pooled connection within connectionTimeoutMillis,
// or the connection itself could not be opened in time.
const PG_POOL_MESSAGES = ["timeout exceeded when trying to connect", "Connection terminated due to connection timeout"];

function field(e: unknown, name: string): unknown {
  return typeof e === "object" && e !== null && name in e ? (e as Record<string, unknown>)[name] : undefined;
}

/** True for pool exhaustion, connection timeouts and refused/unreachable connections (anywhere in the cause chain). */
export function isDatabaseOverload(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e; depth++) {
    const code = field(e, "code");
    if (typeof code === "string" && (PRISMA_CODES.has(code) || PG_CODES.has(code))) return true;
    const message = field(e, "message");
    if (typeof message === "string" && PG_POOL_MESSAGES.some((m) => message.includes(m))) return true;
    e = field(e, "cause");
  }
  return false;
}
