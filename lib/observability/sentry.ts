import * as Sentry from "@sentry/nextjs";
import type { ErrorEvent, EventHint } from "@sentry/nextjs";

const SENSITIVE_KEYS = /pass(word)?|token|secret|authorization|cookie|email|phone/i;
const EMAIL = /[^\s@"'<>]+@[^\s@"'<>]+\.[a-z]{2,}/gi;

/** Email addresses inside free text (breadcrumb messages, console lines) become [email]. */
function scrubText(text: string): string {
  return text.replace(EMAIL, "[email]");
}

function scrub(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE_KEYS.test(k) ? "[scrubbed]" : scrub(v, depth + 1);
  return out;
}

/** PII out: no user email/IP, no cookies or auth headers, no request bodies. */
export function scrubEvent(event: ErrorEvent, _hint?: EventHint): ErrorEvent {
  if (event.user) event.user = event.user.id ? { id: event.user.id } : undefined;
  if (event.request) {
    delete event.request.cookies;
    delete event.request.data;
    if (event.request.headers) event.request.headers = scrub(event.request.headers) as Record<string, string>;
  }
  if (event.extra) event.extra = scrub(event.extra) as Record<string, unknown>;
  if (event.contexts) event.contexts = scrub(event.contexts) as typeof event.contexts;
  if (event.breadcrumbs) {
    event.breadcrumbs = event.breadcrumbs.map((b) => ({
      ...b,
      message: b.message ? scrubText(b.message) : b.message,
      data: b.data ? (scrub(b.data) as Record<string, unknown>) : b.data,
    }));
  }
  return event;
}

export function sentryOptions(dsn: string | undefined, environment?: string) {
  return {
    dsn,
    enabled: Boolean(dsn),
    environment: environment ?? process.env.NODE_ENV,
    sendDefaultPii: false,
    tracesSampleRate: 0,
    beforeSend: scrubEvent,
  };
}

/** Reports an unexpected server error with the request's tags; a no-op when no DSN is set. */
export function reportError(error: unknown, tags: { requestId?: string | null; tenant?: string | null; path?: string }): void {
  Sentry.withScope((scope) => {
    if (tags.requestId) scope.setTag("request_id", tags.requestId);
    if (tags.tenant) scope.setTag("tenant", tags.tenant);
    if (tags.path) scope.setTag("path", tags.path);
    Sentry.captureException(error);
  });
}
