import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { createTranslator, isLocale, LOCALE_COOKIE, type Locale, type Translator } from "@/lib/i18n";
import { localeFromHeaders, metaFromHeaders } from "@/server/core/http";
import { currentClaims } from "@/server/auth/next-auth.public";
import { resolveHostScope, type HostScope } from "@/server/core/host-scope";
import { AuthService, type SessionUser } from "@/server/auth/auth.public";
import { buildTenantContext, type TenantContext } from "@/server/core/tenant-context";
import { ImpersonationService } from "@/server/team/impersonation.admin";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/context";

// Request-scoped helpers for server components: the host's scope, the session, guards, and
// the tRPC caller. Each is memoised per request with React's cache().

export const getScope = cache(async (): Promise<HostScope | null> => resolveHostScope((await headers()).get("host")));

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

export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const scope = await getScope();
  if (!scope) return null;
  return new AuthService(metaFromHeaders(await headers())).resolveSession(await currentClaims(), scope.hostname);
});

/** Tenant pages: signed in on this host and an active member, else login or 404. */
export const requireTenantMember = cache(async (): Promise<TenantContext> => {
  const scope = await getScope();
  if (scope?.kind !== "tenant") notFound();
  const user = await getSessionUser();
  if (!user) redirect("/login");
  const ctx = await buildTenantContext(scope.tenant, user, metaFromHeaders(await headers()));
  if (!ctx) notFound();
  return ctx;
});

/** The 2FA pages: apex host and a signed-in platform admin, verified or not. */
export const requirePlatformAdminPendingMfa = cache(async (): Promise<SessionUser> => {
  const scope = await getScope();
  if (scope?.kind !== "apex") notFound();
  const user = await getSessionUser();
  if (!user) redirect("/login");
  if (!user.isPlatformAdmin) notFound();
  return user;
});

/** Admin pages: apex host, a platform admin, 2FA passed; anyone else gets a 404 (or login / 2FA). */
export const requirePlatformAdmin = cache(async (): Promise<SessionUser> => {
  const user = await requirePlatformAdminPendingMfa();
  if (!user.mfaVerified) redirect("/admin/mfa");
  return user;
});

/** tRPC caller for server components (same procedures, same checks as the HTTP API). */
export const getServerCaller = cache(async () => {
  const h = await headers();
  return createCaller(await createContext({ headers: h, getClaims: currentClaims }));
});

/** The support-session banner's facts, when a platform admin is acting as the signed-in user. */
export const getImpersonation = cache(async () => {
  const user = await getSessionUser();
  if (!user?.impersonatorUserId) return null;
  return new ImpersonationService(metaFromHeaders(await headers())).describe(user);
});
