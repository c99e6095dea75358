import { signupFormSchema } from "@/lib/schemas/auth";
import { parseBody, route, tooManyRequests } from "@/server/api/route-kit";
import { SignupService } from "@/server/workspaces/signup.public";

export const POST = route(
  async ({ request, meta, locale }) => {
    const body = await parseBody(request, signupFormSchema, locale);
    if (!body.ok) return body.response;
    // the consent box must be ticked (signupFormSchema): refused above with a field error, nothing created
    const result = await new SignupService(meta).signup(body.data, locale);
    if (!result.ok) return tooManyRequests(locale, result.retryAfterSeconds);
    return Response.json({ redirectTo: result.redirectTo }, { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { sameOrigin: true, host: "apex", form: { page: "/signup" } },
);
