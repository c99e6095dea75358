import { resetPasswordSchema } from "@/lib/schemas/auth";
import { jsonError, parseBody, route, tooManyRequests } from "@/server/api/route-kit";
import { AuthService } from "@/server/auth/auth.public";

export const POST = route(
  async ({ request, scope, meta, locale }) => {
    const body = await parseBody(request, resetPasswordSchema, locale);
    if (!body.ok) return body.response;
    const result = await new AuthService(meta).resetPassword(scope, body.data.token, body.data.password);
    if (result === "invalid") return jsonError(400, locale, "auth.resetLinkInvalid");
    if (result !== "ok") return tooManyRequests(locale, result.retryAfterSeconds);
    return Response.json({ redirectTo: "/login?reset=1" }, { headers: { "Cache-Control": "no-store" } });
    // back to the e-mailed link's page (its token again, never the password) to try another password
  },
  { sameOrigin: true, form: { page: "/reset-password", keep: ["token"] } },
);
