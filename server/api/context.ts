import "server-only";
import type { HostScope } from "@/server/core/host-scope";
import type { SessionUser } from "@/server/core/session";
import { hasLocaleCookie, localeFromHeaders } from "@/server/core/http";
import type { RequestMeta } from "@/server/core/request-meta";
import { createRequestResolver, type RequestResolver, type ResolverInput } from "@/server/core/tenant-resolver";
import { isLocale, type Locale } from "@/lib/i18n";

/**
 * `{ resolver }`: the request's own resolver (the HTTP endpoint, a page's server caller, a route
 * handler): host, session, membership and plan resolved once for the whole request.
 * `{ headers, getClaims }`: a standalone context, reused for many calls (tests, scripts): the
 * host and session are read once, the membership and plan again on every call.
 */
export type ContextInput = Pick<ResolverInput, "headers" | "getClaims"> | { resolver: RequestResolver };

export interface Context {
  scope: HostScope | null;
  meta: RequestMeta;
  /** for error messages: from the request, then the user's saved language once the session has been read */
  locale: Locale;
  /** resolved once, lazily: public procedures never touch the session */
  getSession: () => Promise<SessionUser | null>;
  /** the request's one tenant resolver (server/core/tenant-resolver.ts): host, session, membership, each once */
  resolver: RequestResolver;
}

export async function createContext(input: ContextInput): Promise<Context> {
  const resolver = "resolver" in input ? input.resolver : createRequestResolver({ ...input, lifetime: "call" });
  const { headers, meta } = resolver;
  const scope = await resolver.scope();
  const ctx: Context = {
    scope,
    meta,
    locale: localeFromHeaders(headers, scope?.kind === "tenant" ? scope.tenant.locale : undefined),
    getSession: () => resolver.session(),
    resolver,
  };
  // once a procedure has the session anyway, the user's saved language outranks Accept-Language
  // (an explicit cookie still wins); public procedures never pay for it
  resolver.onSession((user) => {
    if (isLocale(user?.locale) && !hasLocaleCookie(headers)) ctx.locale = user.locale;
  });
  return ctx;
}
