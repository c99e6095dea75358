// currentClaims (server/auth/next-auth.public.ts) skips Auth.js when the request has no session
// cookie (issue 13: the renter's pay page and every signed-out request). The names it accepts must
// be every name Auth.js gives the cookie, and nothing else.
import { describe, expect, it } from "vitest";
import { hasSessionCookie } from "@/server/auth/session-cookie";

describe("hasSessionCookie", () => {
  it("knows Auth.js's session cookie over HTTP and HTTPS, whole or in chunks", () => {
    expect(hasSessionCookie(["authjs.session-token"])).toBe(true);
    expect(hasSessionCookie(["__Secure-authjs.session-token"])).toBe(true);
    expect(hasSessionCookie(["phteah-locale", "authjs.session-token.0", "authjs.session-token.1"])).toBe(true);
    expect(hasSessionCookie(["__Secure-authjs.session-token.2"])).toBe(true);
  });

  it("a request without it is signed out (other cookies of Auth.js or the app do not count)", () => {
    expect(hasSessionCookie([])).toBe(false);
    expect(hasSessionCookie(["phteah-locale", "phteah-digits"])).toBe(false);
    expect(hasSessionCookie(["authjs.callback-url", "authjs.csrf-token", "__Host-authjs.csrf-token"])).toBe(false);
    expect(hasSessionCookie(["authjs.session-token.x", "xauthjs.session-token", "authjs.session-tokens"])).toBe(false);
  });
});
