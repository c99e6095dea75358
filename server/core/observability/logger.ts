import "server-only";
import pino from "pino";

// JSON lines to stdout. Secrets never reach the log: the redaction list covers every place
// they are known to travel, and callers log ids, not bodies.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "phteah" },
  messageKey: "msg",
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: {
    paths: [
      "password",
      "*.password",
      "newPassword",
      "*.newPassword",
      "passwordHash",
      "*.passwordHash",
      "token",
      "*.token",
      "secret",
      "*.secret",
      "authorization",
      "*.authorization",
      "headers.cookie",
      "*.headers.cookie",
      "cookie",
      "req.headers.authorization",
    ],
    censor: "[redacted]",
  },
});

export type RequestLogContext = { requestId?: string; tenant?: string; userId?: string };

export function requestLogger(ctx: RequestLogContext) {
  return logger.child({ requestId: ctx.requestId, tenant: ctx.tenant, userId: ctx.userId });
}
