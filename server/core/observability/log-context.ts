import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";

/**
 * What every log record written while serving one request carries (server/core/observability/logger.ts
 * adds it through pino's mixin): the request id, the W3C trace id (from an incoming `traceparent`,
 * else a new one), and once known the workspace and the signed-in user.
 */
export interface LogContext {
  requestId?: string;
  traceId: string;
  spanId: string;
  tenant?: string;
  userId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/** The log context of a request: its x-request-id (set by proxy.ts) and trace id. */
export function logContextFromHeaders(headers: Headers): LogContext {
  const parent = TRACEPARENT.exec(headers.get("traceparent")?.trim().toLowerCase() ?? "");
  const traceId = parent && !/^0+$/.test(parent[1]!) ? parent[1]! : randomBytes(16).toString("hex");
  return {
    requestId: headers.get("x-request-id") ?? undefined,
    traceId,
    spanId: randomBytes(8).toString("hex"),
  };
}

export function runWithLogContext<T>(ctx: LogContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** Adds what became known mid-request (the workspace, the user) to the current request's records. */
export function annotateLogContext(fields: { tenant?: string | null; userId?: string | null }): void {
  const ctx = storage.getStore();
  if (!ctx) return;
  if (fields.tenant) ctx.tenant = fields.tenant;
  if (fields.userId) ctx.userId = fields.userId;
}

export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}
