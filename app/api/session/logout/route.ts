import { currentClaims, signOut } from "@/server/auth/next-auth.public";
import { sessionRoute } from "@/server/api/route-kit";
import { AuthService } from "@/server/auth/auth.public";

export const POST = sessionRoute(async ({ scope, meta }) => {
  const auth = new AuthService(meta);
  const session = await auth.resolveSession(await currentClaims(), scope.hostname);
  if (session) await auth.logout(scope, session);
  await signOut({ redirect: false });
  return Response.json({ redirectTo: "/login" }, { headers: { "Cache-Control": "no-store" } });
});
