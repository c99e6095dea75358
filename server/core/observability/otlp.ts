import "server-only";
import { Writable } from "node:stream";
import { ROOT_CONTEXT, trace, TraceFlags } from "@opentelemetry/api";
import { SeverityNumber, type AnyValueMap } from "@opentelemetry/api-logs";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider } from "@opentelemetry/sdk-logs";
import { scrubText } from "@/lib/observability/scrub";

// Log shipping: every pino record (already redacted by pino) goes, besides stdout, to an
// OpenTelemetry collector as an OTLP/HTTP log record, when OTEL_EXPORTER_OTLP_ENDPOINT is set.
// The request's trace id and span id are the record's own; request id, workspace and user are
// attributes; URLs and free text lose their tokens (lib/observability/scrub.ts) on the way.

const SEVERITY: Record<number, [SeverityNumber, string]> = {
  10: [SeverityNumber.TRACE, "TRACE"],
  20: [SeverityNumber.DEBUG, "DEBUG"],
  30: [SeverityNumber.INFO, "INFO"],
  40: [SeverityNumber.WARN, "WARN"],
  50: [SeverityNumber.ERROR, "ERROR"],
  60: [SeverityNumber.FATAL, "FATAL"],
};

/** Record fields that become OTLP attributes under their OpenTelemetry names. */
const RENAMED: Record<string, string> = { requestId: "request.id", tenant: "tenant.slug", userId: "user.id" };
const SKIPPED = new Set(["level", "time", "msg", "traceId", "spanId", "pid", "hostname"]);

function attributeValue(value: unknown): AnyValueMap[string] {
  if (typeof value === "string") return scrubText(value);
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (value === null || value === undefined) return undefined;
  return scrubText(JSON.stringify(value));
}

export interface LogShipper {
  stream: Writable;
  /** sends what is buffered (tests, shutdown) */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** The pino destination that ships to `<endpoint>/v1/logs`. */
export function createLogShipper(endpoint: string, serviceName = process.env.OTEL_SERVICE_NAME || "phteah"): LogShipper {
  const url = `${endpoint.replace(/\/+$/, "")}/v1/logs`;
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ "service.name": serviceName, "deployment.environment": process.env.APP_ENV ?? "production" }),
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url }), scheduledDelayMillis: 1000 })],
  });
  const otel = provider.getLogger("phteah");
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      try {
        const record = JSON.parse(String(chunk)) as Record<string, unknown>;
        const [severityNumber, severityText] = SEVERITY[Number(record.level)] ?? [SeverityNumber.INFO, "INFO"];
        const attributes: AnyValueMap = {};
        for (const [key, value] of Object.entries(record)) {
          if (SKIPPED.has(key)) continue;
          const v = attributeValue(value);
          if (v !== undefined) attributes[RENAMED[key] ?? key] = v;
        }
        const traceId = typeof record.traceId === "string" ? record.traceId : undefined;
        const spanId = typeof record.spanId === "string" ? record.spanId : undefined;
        otel.emit({
          timestamp: typeof record.time === "string" ? new Date(record.time) : new Date(),
          severityNumber,
          severityText,
          body: scrubText(String(record.msg ?? "")),
          attributes,
          context: traceId && spanId ? trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED }) : undefined,
        });
      } catch {
        // a line that is not a record (never expected) is not shipped
      }
      done();
    },
  });
  return { stream, flush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
}
