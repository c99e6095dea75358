import { adminAuditFiltersSchema, filtersFromSearchParams } from "@/lib/schemas/audit";
import { jsonError } from "@/server/api/route-kit";
import { consoleExportGuard, csvResponse } from "@/server/api/route-guards";
import { metaFromHeaders } from "@/server/core/http";
import { AdminAuditService } from "@/server/audit/audit.admin";

// GET <root>/admin/audit/export?tenant=acme&… → the audit log across tenants as CSV (with a
// tenant column), streamed in keyset batches; 400 bad filters (the guard answers the rest).
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const guard = await consoleExportGuard();
  if (!guard.ok) return guard.response;
  const filters = adminAuditFiltersSchema.safeParse(filtersFromSearchParams(new URL(request.url).searchParams));
  if (!filters.success) return jsonError(400, guard.locale, "errors.validation");
  const { userId, email } = guard.user;
  return csvResponse(await new AdminAuditService(metaFromHeaders(request.headers)).exportCsv(filters.data, { userId, email }));
}
