import * as Sentry from "@sentry/nextjs";
import type { Breadcrumb, ErrorEvent, EventHint } from "@sentry/nextjs";
import { SCRUBBED, SENSITIVE_KEY, scrubDeep, scrubText, scrubUrl } from "./scrub";

function scrubObject<T>(value: T): T {
  return scrubDeep(value) as T;
}

/** A query string as Sentry carries it: a string, [key, value] pairs, or an object. */
function scrubQuery(q: unknown): unknown {
  if (typeof q === "string") {
    const scrubbed = scrubUrl(q.startsWith("?") ? q : `?${q}`);
    return q.startsWith("?") ? scrubbed : scrubbed.slice(1);
  }
  if (Array.isArray(q))
    return q.map((pair) =>
      Array.isArray(pair) && typeof pair[0] === "string" && /token|enrol|md5|ticket|secret|password|key|sig|hash|code/i.test(pair[0])
        ? [pair[0], SCRUBBED]
        : pair,
    );
  return scrubDeep(q);
}

/** A breadcrumb without secrets: URLs (navigation from/to, fetch and xhr urls) and messages scrubbed. */
export function scrubBreadcrumb(b: Breadcrumb): Breadcrumb {
  return {
    ...b,
    message: b.message ? scrubText(b.message) : b.message,
    data: b.data ? scrubObject(b.data) : b.data,
  };
}

/**
 * PII and secrets out, on the server and in the browser: no user email/IP, no cookies or bodies,
 * sensitive headers and keys scrubbed at any depth, and every URL, query string, breadcrumb,
 * exception message and transaction name without tokens (reset, invite, handoff, pay links, KHQR md5).
 */
export function scrubEvent(event: ErrorEvent, _hint?: EventHint): ErrorEvent {
  if (event.user) event.user = event.user.id ? { id: event.user.id } : undefined;
  if (event.request) {
    delete event.request.cookies;
    delete event.request.data;
    if (event.request.url) event.request.url = scrubUrl(event.request.url);
    if (event.request.query_string !== undefined)
      event.request.query_string = scrubQuery(event.request.query_string) as typeof event.request.query_string;
    if (event.request.headers) {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(event.request.headers)) headers[k] = SENSITIVE_KEY.test(k) ? SCRUBBED : scrubUrl(String(v));
      event.request.headers = headers;
    }
  }
  if (event.transaction) event.transaction = scrubUrl(event.transaction);
  if (event.message) event.message = scrubText(event.message);
  if (event.exception?.values)
    for (const ex of event.exception.values) {
      if (ex.value) ex.value = scrubText(ex.value);
      for (const frame of ex.stacktrace?.frames ?? []) {
        if (frame.abs_path) frame.abs_path = scrubUrl(frame.abs_path);
        if (frame.filename) frame.filename = scrubUrl(frame.filename);
      }
    }
  if (event.tags) event.tags = scrubObject(event.tags);
  if (event.extra) event.extra = scrubObject(event.extra);
  if (event.contexts) event.contexts = scrubObject(event.contexts);
  if (event.breadcrumbs) event.breadcrumbs = event.breadcrumbs.map(scrubBreadcrumb);
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
    beforeBreadcrumb: scrubBreadcrumb,
  };
}

/** Reports an unexpected server error with the request's tags; a no-op when no DSN is set. */
export function reportError(error: unknown, tags: { requestId?: string | null; tenant?: string | null; path?: string }): void {
  Sentry.withScope((scope) => {
    if (tags.requestId) scope.setTag("request_id", tags.requestId);
    if (tags.tenant) scope.setTag("tenant", tags.tenant);
    if (tags.path) scope.setTag("path", scrubUrl(tags.path));
    Sentry.captureException(error);
  });
}
