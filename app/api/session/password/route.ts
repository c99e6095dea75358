import { TRPCError } from "@trpc/server";
import { changePasswordFormSchema } from "@/lib/schemas/account";
import { parseBody, route } from "@/server/api/route-kit";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/context";
import { AppError } from "@/server/core/errors";

// The account page's password change as a plain form post (the page before it hydrates, or no
// JavaScript); the hydrated form calls account.changePassword itself. The same procedure runs
// here, on this request's resolver, with the same checks (member of this workspace, not while
// impersonating, throttled).
export const POST = route(
  async ({ request, locale, resolver }) => {
    const body = await parseBody(request, changePasswordFormSchema, locale);
    if (!body.ok) return body.response;
    const { currentPassword, newPassword } = body.data;
    try {
      await createCaller(await createContext({ resolver })).account.changePassword({ currentPassword, newPassword });
    } catch (error) {
      // the procedure's own AppError (wrong password, throttled, …) gets the route's answer
      if (error instanceof TRPCError && error.cause instanceof AppError) throw error.cause;
      throw error;
    }
    return Response.json({ redirectTo: "/account?password=changed" }, { headers: { "Cache-Control": "no-store" } });
  },
  { sameOrigin: true, host: "tenant", form: { page: "/account", fieldOf: { "account.errors.wrongPassword": "currentPassword" } } },
);
