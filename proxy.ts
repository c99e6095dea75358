import { NextResponse, type NextRequest } from "next/server";
import { classifyHost } from "@/lib/tenancy";
import { requestSecurity } from "@/lib/security-headers";

// Host → workspace rewrite and security headers. No database and no authorization here:
// tenant existence, suspension, sessions and membership are checked by the server.
//   <slug>.<root>/x  → /t/<slug>/x   (tenant workspace)
//   <root>/x         → /x            (marketing, sign-up, /admin); /t/** is 404 here
//   anything else    → 404
// /api/** is shared by every host; handlers resolve the host themselves.

const NOT_FOUND_PATH = "/__not-found";

export function proxy(request: NextRequest) {
  const rootDomain = process.env.APP_ROOT_DOMAIN ?? "localhost";
  const host = classifyHost(request.headers.get("host"), rootDomain);
  const path = request.nextUrl.pathname;

  const { nonce, csp, headers: security } = requestSecurity(request.nextUrl.protocol === "https:");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-request-id", crypto.randomUUID());

  let target: string | null = null;
  if (path.startsWith("/api/")) target = null;
  else if (host.kind === "tenant") target = `/t/${host.slug}${path === "/" ? "" : path}`;
  else if (host.kind === "apex") target = path === "/t" || path.startsWith("/t/") || path === NOT_FOUND_PATH ? NOT_FOUND_PATH : null;
  else target = NOT_FOUND_PATH;

  let response: NextResponse;
  if (target) {
    const url = request.nextUrl.clone();
    url.pathname = target;
    response = NextResponse.rewrite(url, { request: { headers: requestHeaders } });
  } else {
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  for (const [name, value] of Object.entries(security)) response.headers.set(name, value);
  response.headers.set("x-request-id", requestHeaders.get("x-request-id")!);
  return response;
}

export const config = {
  // public/'s icons and the web app manifest are the same on every host (scripts/icons.ts, app/manifest.ts)
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt|fonts/|icons/|apple-touch-icon.png|manifest.webmanifest).*)"],
};
