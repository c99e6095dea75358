import "server-only";
import NextAuth from "next-auth";
import { cookies } from "next/headers";
import Credentials from "next-auth/providers/credentials";
import { normaliseHost } from "@/lib/tenancy";
import { metaFromHeaders } from "@/server/core/http";
import { AuthService, SESSION_TTL_MS, type SessionClaims } from "@/server/auth/auth.public";
import { hasSessionCookie } from "./session-cookie";

declare module "next-auth" {
  interface User {
    sid?: string;
    host?: string;
  }
  interface Session {
    claims?: Partial<SessionClaims>;
  }
}

/**
 * next-auth owns the cookie (an encrypted JWT, host-only). Password checks, throttling and
 * audit happen before it in AuthService.login; next-auth only exchanges a single-use handoff
 * ticket bound to this host for a session that carries {uid, sid, host}. Every request then
 * re-checks the host and the server-side session row (AuthService.resolveSession).
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: process.env.AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_TTL_MS / 1000 },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    Credentials({
      id: "handoff",
      credentials: { ticket: {} },
      async authorize(credentials, request) {
        const ticket = typeof credentials?.ticket === "string" ? credentials.ticket : "";
        if (!ticket) return null;
        const host = normaliseHost(request.headers.get("host") ?? new URL(request.url).host);
        const claims = await new AuthService(metaFromHeaders(request.headers)).redeemHandoff(ticket, host);
        return claims ? { id: claims.uid, sid: claims.sid, host: claims.host } : null;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.sid = user.sid;
        token.host = user.host;
      }
      return token;
    },
    session({ session, token }) {
      return {
        ...session,
        user: undefined as never,
        claims: { uid: token.uid as string, sid: token.sid as string, host: token.host as string },
      };
    },
  },
}));

/** The session cookie's claims for the current request (null when signed out). */
export async function currentClaims(): Promise<Partial<SessionClaims> | null> {
  // no session cookie (a renter's pay page, a signed-out visitor): nothing for Auth.js to read, and
  // its request handling (a CSRF token hashed per call, issue 13) is skipped
  if (!hasSessionCookie((await cookies()).getAll().map((c) => c.name))) return null;
  const session = await auth();
  return session?.claims ?? null;
}
