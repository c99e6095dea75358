import { adminInvoiceFiltersSchema, billingFiltersFromSearchParams } from "@/lib/schemas/billing";
import { jsonError } from "@/server/api/route-kit";
import { consoleExportGuard, csvResponse } from "@/server/api/route-guards";
import { metaFromHeaders } from "@/server/core/http";
import { AdminBillingService } from "@/server/subscriptions/billing.admin";

// GET <root>/admin/billing/invoices/export?… → the console's invoices list as CSV with the same
// filters, streamed in keyset batches and audited; 400 bad filters (the guard answers the rest).
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const guard = await consoleExportGuard();
  if (!guard.ok) return guard.response;
  const filters = adminInvoiceFiltersSchema.safeParse(billingFiltersFromSearchParams(new URL(request.url).searchParams));
  if (!filters.success) return jsonError(400, guard.locale, "errors.validation");
  const { userId, email } = guard.user;
  return csvResponse(await new AdminBillingService({ userId, email }, metaFromHeaders(request.headers)).exportInvoices(filters.data));
}
