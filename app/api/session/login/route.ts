import { signIn } from "@/server/auth/next-auth.public";
import { loginSchema } from "@/lib/schemas/auth";
import { jsonError, parseBody, route, tooManyRequests } from "@/server/api/route-kit";
import { AuthService } from "@/server/auth/auth.public";

export const POST = route(
  async ({ request, scope, meta, locale }) => {
    const body = await parseBody(request, loginSchema, locale);
    if (!body.ok) return body.response;
    const result = await new AuthService(meta).login(scope, body.data.email, body.data.password);
    if (!result.ok) {
      if (result.reason === "throttled") return tooManyRequests(locale, result.retryAfterSeconds);
      if (result.reason === "reset_required") return jsonError(403, locale, "errors.passwordResetRequired");
      // the apex: the same answer for any refusal, pointing members to "find my workspace"
      if (result.reason === "find_workspace") return jsonError(401, locale, "auth.apexFindWorkspace");
      return jsonError(401, locale, "auth.invalidCredentials");
    }
    await signIn("handoff", { ticket: result.ticket, redirect: false });
    return Response.json({ redirectTo: scope.kind === "apex" ? "/admin" : "/" }, { headers: { "Cache-Control": "no-store" } });
  },
  { sameOrigin: true, form: { page: "/login" } },
);
