import "server-only";
import { getDb } from "@/server/db/client";
import { systemClock, type Clock } from "./request-meta";
import { isUuid, lookupRequestContext, type ContextFacts } from "./request-lookup";
import { contextCache } from "./context-cache";

// The signed-in user as request code sees it, and the one read of it from the session cookie's
// claims. Sign-in, sign-out and password reset stay in server/auth/auth.public.ts (AuthService);
// request code (tRPC context, pages, route handlers) needs only this.

export const SESSION_TTL_MS = 30 * 24 * 3600_000;
/** a support (impersonation) session lasts at most 30 minutes */
export const IMPERSONATION_SESSION_MS = 30 * 60_000;
/** how stale a session's lastSeenAt may get before a request writes it again */
const LAST_SEEN_EVERY_MS = 5 * 60_000;

export interface SessionUser {
  userId: string;
  sessionId: string;
  email: string;
  name: string;
  locale: string | null;
  isPlatformAdmin: boolean;
  /** platform admins: this session passed the TOTP (or recovery code) check */
  mfaVerified: boolean;
  /** set while a platform admin acts as this user */
  impersonatorUserId: string | null;
}

/** What the session cookie carries: which user, which server-side session, which host. */
export interface SessionClaims {
  uid: string;
  sid: string;
  host: string;
}

/**
 * Turns cookie claims into a signed-in user, or null. Refuses a cookie minted for another host
 * (copied by hand), a session row of another user or host, a revoked or expired session (a
 * support session expires after IMPERSONATION_SESSION_MS), and a locked user.
 *
 * `prefetched`: the facts the request's one context statement already read (request-lookup.ts);
 * without them the session row is read here (one statement). Either way the checks are the same.
 */
export async function readSession(
  claims: Partial<SessionClaims> | null | undefined,
  hostname: string,
  clock: Clock = systemClock,
  prefetched?: Pick<ContextFacts, "session">,
): Promise<SessionUser | null> {
  if (!claims?.uid || !claims.sid || !claims.host) return null;
  if (claims.host !== hostname) return null;
  if (!isUuid(claims.sid) || !isUuid(claims.uid)) return null;
  const facts = prefetched ?? (await lookupRequestContext({ sessionId: claims.sid }));
  const session = facts.session?.id === claims.sid ? facts.session : null;
  const now = clock();
  if (!session || session.userId !== claims.uid || session.user.id !== claims.uid || session.host !== hostname) return null;
  if (session.revokedAt || session.expiresAt <= now || session.user.lockedAt) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > LAST_SEEN_EVERY_MS) {
    await getDb().userSession.update({ where: { id: session.id }, data: { lastSeenAt: now } });
    contextCache()?.touchSession(session.id, now);
  }
  return {
    userId: session.user.id,
    sessionId: session.id,
    email: session.user.email,
    name: session.user.name,
    locale: session.user.locale,
    isPlatformAdmin: session.user.isPlatformAdmin,
    mfaVerified: session.mfaVerifiedAt !== null,
    impersonatorUserId: session.impersonatorUserId,
  };
}
