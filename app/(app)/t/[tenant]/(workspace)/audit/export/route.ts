import { auditFiltersSchema, filtersFromSearchParams } from "@/lib/schemas/audit";
import { csvResponse, jsonError, route } from "@/server/api/route-kit";
import { AuditService } from "@/server/audit/audit-service";

// GET acme.<root>/audit/export?action=…&from=… → the workspace's audit log as CSV, streamed in
// keyset batches. A route handler answers with status codes (no notFound()/redirect()):
// 404 unknown workspace or not a member, 401 no session, 403 suspended or no audit.view,
// 400 bad filters, 403 when the plan does not include the export (PlanGate's AppError).
export const dynamic = "force-dynamic";

export const GET = route<{ tenant: string }>(
  async ({ request, locale, tenant }) => {
    const ctx = await tenant({ permission: "audit.view" });
    const filters = auditFiltersSchema.safeParse(filtersFromSearchParams(new URL(request.url).searchParams));
    if (!filters.success) return jsonError(400, locale, "errors.validation");
    return csvResponse(await new AuditService(ctx).exportCsv(filters.data, locale));
  },
  { host: "tenant", locale: "user" },
);
