import { signupSchema } from "@/lib/schemas/auth";
import { parseBody, route, tooManyRequests } from "@/server/api/route-kit";
import { SignupService } from "@/server/workspaces/signup.public";

export const POST = route(
  async ({ request, meta, locale }) => {
    const body = await parseBody(request, signupSchema, locale);
    if (!body.ok) return body.response;
    const result = await new SignupService(meta).signup(body.data, locale);
    if (!result.ok) return tooManyRequests(locale, result.retryAfterSeconds);
    return Response.json({ redirectTo: result.redirectTo }, { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { sameOrigin: true, host: "apex", form: { page: "/signup" } },
);
