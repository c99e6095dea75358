import type { NextRequest } from "next/server";
import { GET, POST as authPost } from "@/server/auth/next-auth-handlers";
import { jsonError } from "@/server/api/route-kit";
import { isSameOrigin, localeFromHeaders } from "@/server/core/http";

export { GET };

// next-auth's own POST endpoints (sign-in callback, sign-out) also refuse another site's page.
export function POST(request: NextRequest): Promise<Response> | Response {
  if (!isSameOrigin(request)) return jsonError(403, localeFromHeaders(request.headers), "errors.crossSite");
  return authPost(request);
}
