import { getEnv } from "@/env";
import { browserSentryDsn, handleSentryTunnel } from "@/server/core/observability/sentry-tunnel";

/** The browser Sentry SDK's tunnel (instrumentation-client.ts): forwards envelopes for our own DSN. */
export function POST(request: Request): Promise<Response> {
  return handleSentryTunnel(request, browserSentryDsn(getEnv()));
}
