import { currentClaims, signOut } from "@/server/auth/next-auth.public";
import { jsonError, sessionRoute } from "@/server/api/route-kit";
import { AuthService } from "@/server/auth/auth.public";
import { ImpersonationService } from "@/server/team/impersonation.admin";
import { originForApex } from "@/server/core/host-scope";

export const POST = sessionRoute(async ({ scope, meta, locale }) => {
  if (scope.kind !== "tenant") return jsonError(404, locale, "errors.notFound");
  const session = await new AuthService(meta).resolveSession(await currentClaims(), scope.hostname);
  if (!session?.impersonatorUserId) return jsonError(404, locale, "errors.notFound");
  await new ImpersonationService(meta).stop(session, scope.tenant.id);
  await signOut({ redirect: false });
  return Response.json({ redirectTo: `${originForApex()}/admin/tenants/${scope.tenant.id}` }, { headers: { "Cache-Control": "no-store" } });
});
