import { auditFiltersSchema, filtersFromSearchParams } from "@/lib/schemas/audit";
import { csvResponse, workspaceRouteGuard } from "@/server/api/route-guards";
import { jsonError } from "@/server/api/route-kit";
import { HTTP_STATUS } from "@/server/api/errors";
import { AppError } from "@/server/core/errors";
import { AuditService } from "@/server/audit/audit-service";

// GET acme.<root>/audit/export?action=…&from=… → the workspace's audit log as CSV, streamed in
// keyset batches. A route handler answers with status codes (no notFound()/redirect()):
// 404 unknown workspace or not a member, 401 no session, 403 suspended or no audit.view,
// 400 bad filters.
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ tenant: string }> }): Promise<Response> {
  const guard = await workspaceRouteGuard(request, (await params).tenant, "audit.view");
  if (!guard.ok) return guard.response;
  const { ctx, locale } = guard;
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
