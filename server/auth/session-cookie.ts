// The name of Auth.js's session cookie (next-auth.public.ts owns the cookie): `authjs.session-token`,
// with the `__Secure-` prefix on HTTPS, and `.0`, `.1`, … when a large token is split into chunks.
// A request without one is signed out, and needs no call into Auth.js to learn it (issue 13).
const SESSION_COOKIE = /^(?:__Secure-)?authjs\.session-token(?:\.\d+)?$/;

/** Whether any of the request's cookie names is (a chunk of) the session cookie. */
export function hasSessionCookie(names: Iterable<string>): boolean {
  for (const name of names) if (SESSION_COOKIE.test(name)) return true;
  return false;
}
