import "server-only";
import { logger } from "./logger";
import { reportError } from "@/lib/observability/sentry";

/** Full context to the logs and Sentry; the user only ever sees the safe message with `requestId`. */
export function handleServerError(error: unknown, ctx: { requestId?: string | null; tenant?: string | null; path?: string }): void {
  logger.error({ err: error, requestId: ctx.requestId, tenant: ctx.tenant, path: ctx.path }, "unhandled server error");
  reportError(error, ctx);
}
