import { signOut } from "@/server/auth/next-auth.public";
import { route } from "@/server/api/route-kit";
import { AuthService } from "@/server/auth/auth.public";

export const POST = route(
  async ({ scope, meta, resolver }) => {
    const session = await resolver.session();
    if (session) await new AuthService(meta).logout(scope, session);
    await signOut({ redirect: false });
    return Response.json({ redirectTo: "/login" }, { headers: { "Cache-Control": "no-store" } });
  },
  { sameOrigin: true },
);
