import "server-only";

/** The largest envelope the tunnel forwards (an error event with breadcrumbs is a few kB). */
export const MAX_ENVELOPE_BYTES = 256 * 1024;

/** `https://<key>@<host>/<project>` → the project's envelope endpoint; null when not a DSN. */
function envelopeUrl(dsn: string): { url: string; host: string; project: string } | null {
  try {
    const u = new URL(dsn);
    const project = u.pathname.split("/").filter(Boolean).pop();
    if (!project || !/^\d+$/.test(project) || !u.username) return null;
    const prefix = u.pathname.slice(0, u.pathname.lastIndexOf(project)).replace(/\/$/, "");
    return { url: `${u.protocol}//${u.host}${prefix}/api/${project}/envelope/`, host: u.host, project };
  } catch {
    return null;
  }
}

/**
 * The browser's Sentry events arrive at /api/monitoring (the SDK's `tunnel`): same origin, so the
 * content security policy stays `connect-src 'self'` and the DSN can be set at run time. Only
 * envelopes for this installation's own DSN are forwarded; anything else is refused.
 */
export async function forwardSentryEnvelope(body: string, configuredDsn: string | undefined): Promise<Response> {
  const target = configuredDsn ? envelopeUrl(configuredDsn) : null;
  if (!target) return new Response(null, { status: 404 });
  if (Buffer.byteLength(body) > MAX_ENVELOPE_BYTES) return new Response(null, { status: 413 });
  let header: { dsn?: unknown };
  try {
    header = JSON.parse(body.slice(0, body.indexOf("\n") === -1 ? body.length : body.indexOf("\n"))) as { dsn?: unknown };
  } catch {
    return new Response(null, { status: 400 });
  }
  const sent = typeof header.dsn === "string" ? envelopeUrl(header.dsn) : null;
  if (!sent || sent.host !== target.host || sent.project !== target.project) return new Response(null, { status: 400 });
  try {
    const res = await fetch(target.url, {
      method: "POST",
      headers: { "content-type": "application/x-sentry-envelope" },
      body,
      signal: AbortSignal.timeout(5_000),
    });
    return new Response(null, { status: res.ok ? 200 : 502 });
  } catch {
    return new Response(null, { status: 502 });
  }
}

/** The DSN the browser reports to: the build's NEXT_PUBLIC_SENTRY_DSN, else the server's SENTRY_DSN; none when monitoring is off. */
export function browserSentryDsn(env: {
  SENTRY_DSN?: string;
  NEXT_PUBLIC_SENTRY_DSN?: string;
  SENTRY_DISABLED?: string;
}): string | undefined {
  if (env.SENTRY_DISABLED === "1") return undefined;
  return env.NEXT_PUBLIC_SENTRY_DSN || env.SENTRY_DSN || undefined;
}

/** POST /api/monitoring: the browser's envelopes, forwarded for this installation's own DSN only. */
export async function handleSentryTunnel(request: Request, dsn: string | undefined): Promise<Response> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_ENVELOPE_BYTES) return new Response(null, { status: 413 });
  return forwardSentryEnvelope(await request.text(), dsn);
}
