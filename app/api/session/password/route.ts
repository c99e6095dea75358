import { TRPCError } from "@trpc/server";
import { changePasswordFormSchema } from "@/lib/schemas/account";
import { jsonError, parseBody, sessionRoute } from "@/server/api/route-kit";
import { getServerCaller } from "@/server/core/page-context";
import { AppError } from "@/server/core/errors";

// The account page's password change as a plain form post (the page before it hydrates, or no
// JavaScript); the hydrated form calls account.changePassword itself. The same procedure runs
// here, with the same checks (member of this workspace, not while impersonating, throttled).
export const POST = sessionRoute(
  async ({ request, scope, locale }) => {
    if (scope.kind !== "tenant") return jsonError(404, locale, "errors.notFound");
    const body = await parseBody(request, changePasswordFormSchema, locale);
    if (!body.ok) return body.response;
    const { currentPassword, newPassword } = body.data;
    try {
      await (await getServerCaller()).account.changePassword({ currentPassword, newPassword });
    } catch (error) {
      // the procedure's own AppError (wrong password, throttled, …) gets the session route's answer
      if (error instanceof TRPCError && error.cause instanceof AppError) throw error.cause;
      throw error;
    }
    return Response.json({ redirectTo: "/account?password=changed" }, { headers: { "Cache-Control": "no-store" } });
  },
  { form: { page: "/account", fieldOf: { "account.errors.wrongPassword": "currentPassword" } } },
);
