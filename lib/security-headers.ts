// Security headers for every HTML response; built in proxy.ts with a fresh nonce per request.

export function buildCsp(nonce: string, opts: { dev: boolean; https: boolean; sentryDsn?: string; rootDomain?: string }): string {
  const connect = ["'self'"];
  if (opts.sentryDsn) {
    try {
      connect.push(new URL(opts.sentryDsn).origin);
    } catch {
      /* an invalid DSN is reported by env validation */
    }
  }
  if (opts.dev) connect.push("ws:", "wss:");
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    // Next, Notyf and SweetAlert2 set inline style attributes
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(" ")}`,
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    // sign-up, posted without JavaScript, is answered with a redirect into the new workspace's
    // subdomain; the browser checks every redirect of a form post against form-action
    `form-action 'self'${opts.rootDomain ? ` *.${opts.rootDomain}:*` : ""}`,
    "manifest-src 'self'",
    "worker-src 'self' blob:",
  ];
  if (opts.https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

export function securityHeaders(opts: { csp: string; production: boolean }): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": opts.csp,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  if (opts.production) headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains; preload";
  return headers;
}

/**
 * A response's security for one request: a fresh nonce, its CSP and every security header, as
 * proxy.ts sets them on every response (and server/pay-page/hook.public.ts on the pay page it answers
 * before Next). `https`: the request came over TLS (the socket, or X-Forwarded-Proto as Next reads it).
 */
export function requestSecurity(https: boolean): { nonce: string; csp: string; headers: Record<string, string> } {
  const rootDomain = process.env.APP_ROOT_DOMAIN ?? "localhost";
  const production = process.env.NODE_ENV === "production";
  const nonce = btoa(crypto.randomUUID());
  const csp = buildCsp(nonce, { dev: !production, https, sentryDsn: process.env.NEXT_PUBLIC_SENTRY_DSN, rootDomain });
  return { nonce, csp, headers: securityHeaders({ csp, production }) };
}
