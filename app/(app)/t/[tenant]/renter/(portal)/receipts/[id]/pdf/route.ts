import { jsonError, pdfResponse, route, type RouteContext } from "@/server/api/route-kit";
import { hasLocaleCookie } from "@/server/core/http";
import { currentRenter } from "@/server/portal/renter-session";
import { renterReceiptPdf } from "@/server/portal/portal-files";

// GET <slug>.<root>/renter/receipts/<id>/pdf → the receipt of one of the signed-in renter's payments as a PDF, in
// the renter's language (the language switch first): 401 without a renter session of this
// workspace, 404 for any id that is not theirs (unknown, not paid, another renter's or workspace's).
export const dynamic = "force-dynamic";

export const GET = route<{ tenant: string; id: string }>(
  async (ctx, { id }) => {
    if (ctx.scope.kind !== "tenant") return jsonError(404, ctx.locale, "errors.notFound");
    const renter = await currentRenter();
    if (!renter || renter.tenantId !== ctx.scope.tenant.id) return jsonError(401, ctx.locale, "errors.unauthorized");
    const locale = languageOf(ctx, renter.locale);
    const file = await renterReceiptPdf(renter, ctx.scope.tenant, id, locale);
    return file ? pdfResponse(file.pdf, file.filename) : jsonError(404, locale, "errors.notFound");
  },
  { host: "tenant", opaqueNotFound: true },
);

function languageOf(ctx: RouteContext, renterLocale: "en" | "km") {
  return hasLocaleCookie(ctx.request.headers) ? ctx.locale : renterLocale;
}
