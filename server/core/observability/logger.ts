import "server-only";
import pino from "pino";
import { currentLogContext } from "./log-context";
import { createLogShipper, type LogShipper } from "./otlp";

// JSON lines to stdout and, when OTEL_EXPORTER_OTLP_ENDPOINT is set, to an OpenTelemetry collector
// as OTLP/HTTP log records (./otlp.ts). Every record written while serving a request carries its
// request id, trace id, workspace and user (./log-context.ts). Secrets never reach the log: the
// redaction list covers every place they are known to travel, and callers log ids, not bodies.

const REDACTED_KEYS = [
  "password",
  "newPassword",
  "currentPassword",
  "passwordHash",
  "token",
  "tokenHash",
  "payToken",
  "secret",
  "apiKey",
  "authorization",
  "cookie",
  "md5",
  "totpSecretEnc",
  "tokenEnc",
];

const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info");

/** The OTLP shipper, when log shipping is on. */
export const logShipper: LogShipper | null = process.env.OTEL_EXPORTER_OTLP_ENDPOINT
  ? createLogShipper(process.env.OTEL_EXPORTER_OTLP_ENDPOINT)
  : null;

// server.mjs sends what is still buffered when the server stops
if (logShipper) (globalThis as unknown as { phteahLogShipper?: LogShipper }).phteahLogShipper = logShipper;

const options: pino.LoggerOptions = {
  level,
  base: { service: "phteah" },
  messageKey: "msg",
  timestamp: pino.stdTimeFunctions.isoTime,
  mixin() {
    const ctx = currentLogContext();
    if (!ctx) return {};
    return { requestId: ctx.requestId, traceId: ctx.traceId, spanId: ctx.spanId, tenant: ctx.tenant, userId: ctx.userId };
  },
  redact: {
    paths: [
      ...REDACTED_KEYS.flatMap((k) => [k, `*.${k}`]),
      "headers.cookie",
      "*.headers.cookie",
      "headers.authorization",
      "*.headers.authorization",
      "req.headers.authorization",
      "req.headers.cookie",
    ],
    censor: "[redacted]",
  },
};

export const logger = logShipper
  ? pino(
      options,
      pino.multistream([
        { level: "trace", stream: process.stdout },
        { level: "trace", stream: logShipper.stream },
      ]),
    )
  : pino(options);

export type RequestLogContext = { requestId?: string; tenant?: string; userId?: string };

export function requestLogger(ctx: RequestLogContext) {
  return logger.child({ requestId: ctx.requestId, tenant: ctx.tenant, userId: ctx.userId });
}
