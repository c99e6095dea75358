import { adminPaymentFiltersSchema, billingFiltersFromSearchParams } from "@/lib/schemas/billing";
import { jsonError } from "@/server/api/route-kit";
import { metaFromHeaders } from "@/server/http";
import { getLocale, getScope, getSessionUser } from "@/server/page-context";
import { AdminBillingService } from "@/server/services/platform/admin-billing-service";

// GET <root>/admin/billing/payments/export?status=…&search=…&from=…&to=… → the payments list as CSV,
// streamed in keyset batches, with the same filters as the console's list. 404 off the apex
// or for non-admins (the console is not revealed), 401 without a session, 403 until the
// session passed 2FA, 400 bad filters.
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const locale = await getLocale();
  const scope = await getScope();
  if (scope?.kind !== "apex") return jsonError(404, locale, "errors.notFound");
  const user = await getSessionUser();
  if (!user) return jsonError(401, locale, "errors.unauthorized");
  if (!user.isPlatformAdmin) return jsonError(404, locale, "errors.notFound");
  if (!user.mfaVerified) return jsonError(403, locale, "errors.mfaRequired");
  const filters = adminPaymentFiltersSchema.safeParse(billingFiltersFromSearchParams(new URL(request.url).searchParams));
  if (!filters.success) return jsonError(400, locale, "errors.validation");

  const { filename, stream } = await new AdminBillingService(
    { userId: user.userId, email: user.email },
    metaFromHeaders(request.headers),
  ).exportPayments(filters.data);
  return new Response(stream, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
