import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { createTranslator, type Locale, type Translator } from "@/lib/i18n";
import { localeFromHeaders, metaFromHeaders } from "@/server/http";
import { currentClaims } from "@/server/auth/next-auth";
import { resolveHostScope, type HostScope } from "@/server/services/host-scope";
import { AuthService, type SessionUser } from "@/server/services/platform/auth-service";
import { buildTenantContext, type TenantContext } from "@/server/services/tenant-context";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/context";

// Request-scoped helpers for server components: the host's scope, the session, guards, and
// the tRPC caller. Each is memoised per request with React's cache().

export const getScope = cache(async (): Promise<HostScope | null> => resolveHostScope((await headers()).get("host")));

export const getLocale = cache(async (): Promise<Locale> => {
  const scope = await getScope();
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
