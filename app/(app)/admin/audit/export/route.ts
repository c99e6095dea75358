import { adminAuditFiltersSchema, filtersFromSearchParams } from "@/lib/schemas/audit";
import { csvResponse, jsonError, route } from "@/server/api/route-kit";
import { AdminAuditService } from "@/server/audit/audit.admin";

// GET <root>/admin/audit/export?tenant=acme&… → the audit log across tenants as CSV (with a
// tenant column), streamed in keyset batches; 400 bad filters (the console's checks answer the rest:
// 404 off the apex or not a platform admin, 401 no session, 403 until the session passed 2FA).
export const dynamic = "force-dynamic";

export const GET = route(
  async ({ request, meta, locale, platformAdmin }) => {
    const { userId, email } = await platformAdmin();
    const filters = adminAuditFiltersSchema.safeParse(filtersFromSearchParams(new URL(request.url).searchParams));
    if (!filters.success) return jsonError(400, locale, "errors.validation");
    return csvResponse(await new AdminAuditService(meta).exportCsv(filters.data, { userId, email }));
  },
  { host: "apex", locale: "user" },
);
