import { acceptConsentSchema } from "@/lib/schemas/auth";
import { parseBody, route } from "@/server/api/route-kit";
import { acceptCurrentConsents } from "@/server/auth/consent.public";

// The accept page's post (new terms of service / privacy notice after sign-in,
// server/auth/consent.public.ts): on a workspace host a member of it, on the apex a platform admin
// past 2FA. Records the acceptance and sends them on to where they were going.
export const POST = route(
  async ({ request, scope, meta, locale, resolver }) => {
    const body = await parseBody(request, acceptConsentSchema, locale);
    if (!body.ok) return body.response;
    if (scope.kind === "tenant") {
      const tenant = await resolver.tenant();
      await acceptCurrentConsents((await resolver.session())!, meta, tenant.tenantId);
      return Response.json({ redirectTo: "/" }, { headers: { "Cache-Control": "no-store" } });
    }
    await acceptCurrentConsents(await resolver.platformAdmin(), meta, null);
    return Response.json({ redirectTo: "/admin" }, { headers: { "Cache-Control": "no-store" } });
  },
  { sameOrigin: true, form: { page: "/accept-terms" } },
);
