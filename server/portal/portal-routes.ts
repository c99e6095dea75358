import "server-only";
import { jsonError, pdfResponse, route, type RouteContext } from "@/server/api/route-kit";
import type { TenantSummary } from "@/server/core/host-scope";
import { hasLocaleCookie } from "@/server/core/http";
import type { Locale } from "@/lib/i18n";
import type { PortalPdf } from "./portal-files";
import { currentRenter, type RenterScope } from "./renter-session";

// The renter portal's route handlers (app/(app)/t/[tenant]/renter/(portal)/**/route.ts), built
// once: each checks the renter session of the host's workspace first (401 without one, never
// another workspace's renter) and then reads through server/portal only with that renter's scope.
// The cross-renter walk (tests/integration/cross-renter.test.ts) calls every route.ts built here.

/** The signed-in renter of the request's workspace host, or null (the routes answer 401). */
async function renterOf(ctx: RouteContext): Promise<{ renter: RenterScope; tenant: TenantSummary } | null> {
  if (ctx.scope.kind !== "tenant") return null;
  const renter = await currentRenter();
  if (!renter || renter.tenantId !== ctx.scope.tenant.id) return null;
  return { renter, tenant: ctx.scope.tenant };
}

/**
 * GET …/<id>/pdf → one of the signed-in renter's documents as a PDF, in the renter's language (the
 * language switch's cookie first): 404 off a workspace host, 401 without a renter session of this
 * workspace, 404 for any id that is not theirs (the same answer for unknown, another renter's or
 * another workspace's, so an id's existence never leaks).
 */
export function renterPdfRoute(
  render: (scope: RenterScope, tenant: TenantSummary, id: string, locale: Locale) => Promise<PortalPdf | null>,
) {
  return route<{ tenant: string; id: string }>(
    async (ctx, { id }) => {
      if (ctx.scope.kind !== "tenant") return jsonError(404, ctx.locale, "errors.notFound");
      const signedIn = await renterOf(ctx);
      if (!signedIn) return jsonError(401, ctx.locale, "errors.unauthorized");
      const locale = hasLocaleCookie(ctx.request.headers) ? ctx.locale : signedIn.renter.locale;
      const file = await render(signedIn.renter, signedIn.tenant, id, locale);
      return file ? pdfResponse(file.pdf, file.filename) : jsonError(404, locale, "errors.notFound");
    },
    { host: "tenant", opaqueNotFound: true },
  );
}

/**
 * GET …/more?cursor=… → the signed-in renter's next page of a list (the list's "show more"), each
 * row mapped for the browser: 401 without a renter session of this workspace, 400 for a forged or
 * foreign cursor (the keyset decoder's error).
 */
export function renterMoreRoute<Raw, Row>(
  list: (scope: RenterScope, input: { cursor: string | null }) => Promise<{ items: Raw[]; nextCursor: string | null }>,
  toRow: (raw: Raw) => Row,
) {
  return route<{ tenant: string }>(
    async (ctx) => {
      const signedIn = await renterOf(ctx);
      if (!signedIn) return jsonError(401, ctx.locale, "errors.unauthorized");
      const page = await list(signedIn.renter, { cursor: new URL(ctx.request.url).searchParams.get("cursor") });
      return Response.json({ items: page.items.map(toRow), nextCursor: page.nextCursor }, { headers: { "cache-control": "no-store" } });
    },
    { host: "tenant" },
  );
}
