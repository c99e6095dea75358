import { auditFiltersSchema, filtersFromSearchParams } from "@/lib/schemas/audit";
import { hasPermission } from "@/lib/permissions";
import { csvResponse } from "@/server/api/csv-export";
import { jsonError } from "@/server/api/route-kit";
import { HTTP_STATUS } from "@/server/api/errors";
import { AppError } from "@/server/errors";
import { metaFromHeaders } from "@/server/http";
import { getLocale, getScope, getSessionUser } from "@/server/page-context";
import { buildTenantContext } from "@/server/services/tenant-context";
import { AuditService } from "@/server/services/tenant/audit-service";

// GET acme.<root>/audit/export?action=…&from=… → the workspace's audit log as CSV, streamed in
// keyset batches. A route handler answers with status codes (no notFound()/redirect()):
// 404 unknown workspace or not a member, 401 no session, 403 suspended or no audit.view,
// 400 bad filters.
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ tenant: string }> }): Promise<Response> {
  const locale = await getLocale();
  const scope = await getScope();
  if (scope?.kind !== "tenant" || scope.tenant.slug !== (await params).tenant) return jsonError(404, locale, "errors.notFound");
  if (scope.tenant.status === "suspended") return jsonError(403, locale, "errors.workspaceSuspended");
  const user = await getSessionUser();
  if (!user) return jsonError(401, locale, "errors.unauthorized");
  const ctx = await buildTenantContext(scope.tenant, user, metaFromHeaders(request.headers));
  if (!ctx) return jsonError(404, locale, "errors.notFound");
  if (!hasPermission(ctx.permissions, "audit.view")) {
    return jsonError(403, locale, "errors.missingPermission", { params: { permission: "audit.view" } });
  }
  const filters = auditFiltersSchema.safeParse(filtersFromSearchParams(new URL(request.url).searchParams));
  if (!filters.success) return jsonError(400, locale, "errors.validation");

  let exported: Awaited<ReturnType<AuditService["exportCsv"]>>;
  try {
    exported = await new AuditService(ctx).exportCsv(filters.data);
  } catch (e) {
    // the plan may not include the export (PlanGate): answer 403 with the reason, not a 500
    if (e instanceof AppError) return jsonError(HTTP_STATUS[e.code], locale, e.key, { params: e.params });
    throw e;
  }
  return csvResponse(exported);
}
