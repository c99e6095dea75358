import { currentClaims } from "@/server/auth/next-auth.public";
import { verifyMfaSchema } from "@/lib/schemas/mfa";
import { jsonError, parseBody, sessionRoute } from "@/server/api/route-kit";
import { AuthService } from "@/server/auth/auth.public";
import { MfaService } from "@/server/auth/mfa.admin";

// The admin's per-session 2FA check as a plain form post (the page before it hydrates, or no
// JavaScript); the hydrated form calls the same service through mfa.verify.
export const POST = sessionRoute(
  async ({ request, scope, meta, locale }) => {
    const session = await new AuthService(meta).resolveSession(await currentClaims(), scope.hostname);
    if (!session) return jsonError(401, locale, "errors.unauthorized");
    if (!session.isPlatformAdmin) return jsonError(404, locale, "errors.notFound");
    const body = await parseBody(request, verifyMfaSchema, locale);
    if (!body.ok) return body.response;
    await new MfaService(meta).verify(session, body.data.code);
    return Response.json({ redirectTo: "/admin" }, { headers: { "Cache-Control": "no-store" } });
  },
  { apexOnly: true, form: { page: "/admin/mfa" } },
);
