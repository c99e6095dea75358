import { forgotPasswordSchema } from "@/lib/schemas/auth";
import { parseBody, route, tooManyRequests } from "@/server/api/route-kit";
import { AuthService } from "@/server/auth/auth.public";

export const POST = route(
  async ({ request, scope, meta, locale }) => {
    const body = await parseBody(request, forgotPasswordSchema, locale);
    if (!body.ok) return body.response;
    const result = await new AuthService(meta).requestPasswordReset(scope, body.data.email, locale);
    if (result.throttled) return tooManyRequests(locale, result.retryAfterSeconds);
    // the same answer whether or not the account exists
    return Response.json({ ok: true }, { status: 202, headers: { "Cache-Control": "no-store" } });
  },
  { sameOrigin: true, form: { page: "/forgot-password", done: "/forgot-password?sent=1" } },
);
