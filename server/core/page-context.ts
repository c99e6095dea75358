import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { createTranslator, isLocale, LOCALE_COOKIE, type Locale, type Translator } from "@/lib/i18n";
import { localeFromHeaders } from "@/server/core/http";
import { currentClaims } from "@/server/auth/next-auth.public";
import type { HostScope } from "@/server/core/host-scope";
import type { SessionUser } from "@/server/core/session";
import type { TenantContext } from "@/server/core/tenant-context";
import { isAppError } from "@/server/core/errors";
import { createRequestResolver, type RequestResolver } from "@/server/core/tenant-resolver";
import { ImpersonationService } from "@/server/team/impersonation.admin";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/context";

// Request-scoped helpers for server components: the host's scope, the session, guards, and the
// tRPC caller, all answered by the request's one tenant resolver (server/core/tenant-resolver.ts),
// so a page resolves host, session, membership and plan once, however many layouts, pages and
// server-caller procedures ask. React's cache() keeps one resolver per request; keyed by the
// request's Headers object as well, so the same holds where cache() does not memoise.

const resolvers = new WeakMap<Headers, RequestResolver>();

export const getRequestResolver = cache(async (): Promise<RequestResolver> => {
  const h = await headers();
  let resolver = resolvers.get(h);
  if (!resolver) {
    resolver = createRequestResolver({ headers: h, getClaims: currentClaims, prefetch: true });
    resolvers.set(h, resolver);
  }
  return resolver;
});

export const getScope = cache(async (): Promise<HostScope | null> => (await getRequestResolver()).scope());

/** Cookie (explicit switch) → the signed-in user's saved language → Accept-Language → the workspace's → English. */
export const getLocale = cache(async (): Promise<Locale> => {
  const scope = await getScope();
  if (!isLocale((await cookies()).get(LOCALE_COOKIE)?.value)) {
    const saved = (await getSessionUser())?.locale;
    if (isLocale(saved)) return saved;
  }
  return localeFromHeaders(await headers(), scope?.kind === "tenant" ? scope.tenant.locale : undefined);
});

export async function getT(): Promise<Translator> {
  return createTranslator(await getLocale());
}

export const getSessionUser = cache(async (): Promise<SessionUser | null> => (await getRequestResolver()).session());

/**
 * Tenant pages: the resolver's tenant checks (tenant host, not suspended, session for this host,
 * active membership); not a workspace or not a member → 404, signed out → the login page. The
 * session is asked first so that a signed-out visitor of a suspended workspace still lands on the
 * login page (which, like every page of it, shows the suspended notice); a suspended workspace's
 * members get its refusal thrown, as its procedures do.
 */
export const requireTenantMember = cache(async (): Promise<TenantContext> => {
  const resolver = await getRequestResolver();
  if ((await resolver.scope())?.kind !== "tenant") notFound();
  if (!(await resolver.session())) redirect("/login");
  try {
    return await resolver.tenant();
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
});

/** The 2FA pages: apex host and a signed-in platform admin, verified or not. */
export const requirePlatformAdminPendingMfa = cache(async (): Promise<SessionUser> => {
  const resolver = await getRequestResolver();
  try {
    return await resolver.platformAdmin({ pendingMfa: true });
  } catch (error) {
    if (isAppError(error) && error.code === "UNAUTHORIZED") redirect("/login");
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
});

/** Admin pages: apex host, a platform admin, 2FA passed; anyone else gets a 404 (or login / 2FA). */
export const requirePlatformAdmin = cache(async (): Promise<SessionUser> => {
  const user = await requirePlatformAdminPendingMfa();
  if (!user.mfaVerified) redirect("/admin/mfa");
  return user;
});

/** tRPC caller for server components (same procedures, same checks as the HTTP API), on the request's resolver. */
export const getServerCaller = cache(async () => createCaller(await createContext({ resolver: await getRequestResolver() })));

/** The support-session banner's facts, when a platform admin is acting as the signed-in user. */
export const getImpersonation = cache(async () => {
  const user = await getSessionUser();
  if (!user?.impersonatorUserId) return null;
  return new ImpersonationService((await getRequestResolver()).meta).describe(user);
});
