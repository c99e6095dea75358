import { signIn } from "@/server/auth/next-auth.public";
import { acceptInvitationSchema } from "@/lib/schemas/members";
import { jsonError, parseBody, route, tooManyRequests } from "@/server/api/route-kit";
import { InvitationAcceptService } from "@/server/team/invitation-accept.public";

export const POST = route(
  async ({ request, scope, meta, locale }) => {
    if (scope.kind !== "tenant") return jsonError(404, locale, "errors.notFound");
    const body = await parseBody(request, acceptInvitationSchema, locale);
    if (!body.ok) return body.response;
    const result = await new InvitationAcceptService(meta).accept(scope.tenant, scope.hostname, body.data);
    if (!result.ok) {
      if (result.reason === "throttled") return tooManyRequests(locale, result.retryAfterSeconds);
      if (result.reason === "bad_password") return jsonError(401, locale, "auth.invalidCredentials");
      if (result.reason === "reset_required") return jsonError(403, locale, "errors.passwordResetRequired");
      return jsonError(400, locale, "team.inviteInvalid");
    }
    await signIn("handoff", { ticket: result.ticket, redirect: false });
    return Response.json({ redirectTo: "/" }, { headers: { "Cache-Control": "no-store" } });
  },
  { sameOrigin: true, host: "tenant", form: { page: "/invite", keep: ["token"] } },
);
