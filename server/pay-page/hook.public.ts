import "server-only";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { fetchHeadersOf, localeFromHeaders, readCookie, REQUEST_ID_HEADER } from "@/server/core/http";
import { createRequestResolver } from "@/server/core/tenant-resolver";
import { logger } from "@/server/core/observability/logger";
import { hasSessionCookie } from "@/server/auth/session-cookie";
import { classifyHost } from "@/lib/tenancy";
import { requestSecurity } from "@/lib/security-headers";
import { acceptsGzip, GZIP_MIN_BYTES } from "@/server/core/static-assets.mjs";
import { renderPayPage, type PayPageReply } from "./render.public";

// The production server's fast way to the renter's pay page (issue 13). server.mjs asks this hook
// first for every request; it takes only `GET /pay/<token>` on a workspace's host from a visitor
// without a session cookie (a renter), and answers it with the same renderPayPage as the route
// handler, without Next's request pipeline (the rewrite, the route's resolution, the Web Request
// and Response around it), which cost more than the page's own SQL. What proxy.ts gives every
// response is given here the same way: a fresh nonce and CSP, the security headers
// (lib/security-headers.ts requestSecurity), the request id; the client address is server.mjs's
// (x-phteah-client-ip). Anything else (a signed-in visitor, whose language may be their saved one;
// an encoded or longer path; HEAD; another host) returns false and goes to Next as before.

export type PayPageHook = (req: IncomingMessage, res: ServerResponse) => boolean;

export const PAY_PAGE_HOOK = Symbol.for("phteah.payPage");

/** one path segment of token characters (an encoded one, a trailing slash or a sub-path: Next's) */
const PAY_PATH = /^\/pay\/([A-Za-z0-9_-]{1,200})$/;

const gzipped = promisify(gzip);

function cookieNames(header: string): string[] {
  return header.split(";").map((part) => part.split("=", 1)[0]!.trim());
}

/** The pay page `token` on workspace `slug` for this request (already known to be the hook's). */
async function answer(req: IncomingMessage, res: ServerResponse, slug: string, token: string, search: string): Promise<void> {
  const https = !!(req.socket as { encrypted?: boolean }).encrypted || (req.headers["x-forwarded-proto"]?.includes("https") ?? false);
  const security = requestSecurity(https);
  const headers = fetchHeadersOf(req.headers);
  const requestId = randomUUID();
  headers.set(REQUEST_ID_HEADER, requestId);
  headers.set("x-nonce", security.nonce);
  const resolver = createRequestResolver({ headers, getClaims: async () => null, prefetch: true });
  const scope = () => resolver.scope();
  let reply: PayPageReply;
  try {
    reply = await renderPayPage({
      slug,
      token,
      query: new URLSearchParams(search),
      nonce: security.nonce,
      requestId,
      cookie: (name) => readCookie(headers, name),
      // the app's rule without a session: the cookie, Accept-Language, the workspace's language
      locale: async () => {
        const s = await scope();
        return localeFromHeaders(headers, s?.kind === "tenant" ? s.tenant.locale : undefined);
      },
      scope,
      meta: resolver.meta,
    });
  } catch (error) {
    // renderPayPage answers its own failures; this is a bug in getting there
    logger.error({ err: error, requestId }, "pay page hook failed");
    res.writeHead(500, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", [REQUEST_ID_HEADER]: requestId });
    res.end("Internal error");
    return;
  }
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of reply.headers) if (name !== "set-cookie") out[name] = value;
  const cookies = reply.headers.getSetCookie();
  if (cookies.length > 0) out["set-cookie"] = cookies;
  for (const [name, value] of Object.entries(security.headers)) out[name.toLowerCase()] = value;
  out[REQUEST_ID_HEADER] = requestId;
  let body = reply.body === null ? null : Buffer.from(reply.body, "utf8");
  if (body && body.length >= GZIP_MIN_BYTES) {
    out.vary = "Accept-Encoding";
    if (acceptsGzip(req.headers["accept-encoding"])) {
      body = await gzipped(body);
      out["content-encoding"] = "gzip";
    }
  }
  out["content-length"] = String(body?.length ?? 0);
  res.writeHead(reply.status, out);
  res.end(body ?? undefined);
}

/** Called once at start of the production server (instrumentation.ts): server.mjs asks the hook first. */
export function installPayPageHook(): void {
  const rootDomain = process.env.APP_ROOT_DOMAIN ?? "localhost";
  const hook: PayPageHook = (req, res) => {
    if (req.method !== "GET") return false;
    const url = req.url ?? "";
    const q = url.indexOf("?");
    const match = PAY_PATH.exec(q === -1 ? url : url.slice(0, q));
    if (!match) return false;
    const host = classifyHost(req.headers.host, rootDomain);
    if (host.kind !== "tenant") return false;
    const cookie = req.headers.cookie;
    if (cookie && hasSessionCookie(cookieNames(cookie))) return false;
    answer(req, res, host.slug, match[1]!, q === -1 ? "" : url.slice(q + 1)).catch((error: unknown) => {
      logger.error({ err: error }, "pay page hook failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end();
    });
    return true;
  };
  (globalThis as Record<symbol, unknown>)[PAY_PAGE_HOOK] = hook;
}
