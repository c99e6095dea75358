import "server-only";
import { resolveHostScope, type HostScope } from "@/server/services/host-scope";
import { AuthService, type SessionClaims, type SessionUser } from "@/server/services/platform/auth-service";
import { localeFromHeaders, metaFromHeaders } from "@/server/http";
import type { RequestMeta } from "@/server/services/request-meta";
import type { Locale } from "@/lib/i18n";

export interface ContextInput {
  headers: Headers;
  /** the session cookie's claims; next-auth in the app, fabricated in tests */
  getClaims: () => Promise<Partial<SessionClaims> | null>;
}

export interface Context {
  scope: HostScope | null;
  meta: RequestMeta;
  locale: Locale;
  /** resolved once, lazily: public procedures never touch the session */
  getSession: () => Promise<SessionUser | null>;
}

export async function createContext({ headers, getClaims }: ContextInput): Promise<Context> {
  const scope = await resolveHostScope(headers.get("host"));
  const meta = metaFromHeaders(headers);
  const locale = localeFromHeaders(headers, scope?.kind === "tenant" ? scope.tenant.locale : undefined);
  let session: Promise<SessionUser | null> | undefined;
  return {
    scope,
    meta,
    locale,
    getSession: () => {
      session ??= scope ? getClaims().then((c) => new AuthService(meta).resolveSession(c, scope.hostname)) : Promise.resolve(null);
      return session;
    },
  };
}
