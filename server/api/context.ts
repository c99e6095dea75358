import "server-only";
import { resolveHostScope, type HostScope } from "@/server/core/host-scope";
import { AuthService, type SessionClaims, type SessionUser } from "@/server/auth/auth.public";
import { localeFromHeaders, metaFromHeaders } from "@/server/core/http";
import type { RequestMeta } from "@/server/core/request-meta";
import { isLocale, LOCALE_COOKIE, type Locale } from "@/lib/i18n";

export interface ContextInput {
  headers: Headers;
  /** the session cookie's claims; next-auth in the app, fabricated in tests */
  getClaims: () => Promise<Partial<SessionClaims> | null>;
}

export interface Context {
  scope: HostScope | null;
  meta: RequestMeta;
  /** for error messages: from the request, then the user's saved language once getSession() has run */
  locale: Locale;
  /** resolved once, lazily: public procedures never touch the session */
  getSession: () => Promise<SessionUser | null>;
}

export async function createContext({ headers, getClaims }: ContextInput): Promise<Context> {
  const scope = await resolveHostScope(headers.get("host"));
  const meta = metaFromHeaders(headers);
  let session: Promise<SessionUser | null> | undefined;
  const ctx: Context = {
    scope,
    meta,
    locale: localeFromHeaders(headers, scope?.kind === "tenant" ? scope.tenant.locale : undefined),
    getSession: () => {
      session ??= scope
        ? getClaims()
            .then((c) => new AuthService(meta).resolveSession(c, scope.hostname))
            .then((user) => {
              // once a procedure has the session anyway, the user's saved language outranks
              // Accept-Language (an explicit cookie still wins); public procedures never pay for it
              if (isLocale(user?.locale) && !hasLocaleCookie(headers)) ctx.locale = user.locale;
              return user;
            })
        : Promise.resolve(null);
      return session;
    },
  };
  return ctx;
}

function hasLocaleCookie(headers: Headers): boolean {
  const match = headers.get("cookie")?.match(new RegExp(`(?:^|;)\\s*${LOCALE_COOKIE}=([^;]*)`));
  return isLocale(match?.[1]?.trim());
}
