import { signOut } from "@/server/auth/next-auth.public";
import { jsonError, route } from "@/server/api/route-kit";
import { ImpersonationService } from "@/server/team/impersonation.admin";
import { originForApex } from "@/server/core/host-scope";

export const POST = route(
  async ({ scope, meta, locale, resolver }) => {
    if (scope.kind !== "tenant") return jsonError(404, locale, "errors.notFound");
    const session = await resolver.session();
    if (!session?.impersonatorUserId) return jsonError(404, locale, "errors.notFound");
    await new ImpersonationService(meta).stop(session, scope.tenant.id);
    await signOut({ redirect: false });
    return Response.json(
      { redirectTo: `${originForApex()}/admin/tenants/${scope.tenant.id}` },
      { headers: { "Cache-Control": "no-store" } },
    );
  },
  { sameOrigin: true, host: "tenant" },
);
