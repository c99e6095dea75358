import { adminInvoiceFiltersSchema, billingFiltersFromSearchParams } from "@/lib/schemas/billing";
import { csvResponse, jsonError, route } from "@/server/api/route-kit";
import { AdminInvoiceService } from "@/server/subscriptions/subscription-invoices.admin";

// GET <root>/admin/billing/invoices/export?… → the console's invoices list as CSV with the same
// filters, streamed in keyset batches and audited; 400 bad filters (the console's checks answer the rest:
// 404 off the apex or not a platform admin, 401 no session, 403 until the session passed 2FA).
export const dynamic = "force-dynamic";

export const GET = route(
  async ({ request, meta, locale, platformAdmin }) => {
    const { userId, email } = await platformAdmin();
    const filters = adminInvoiceFiltersSchema.safeParse(billingFiltersFromSearchParams(new URL(request.url).searchParams));
    if (!filters.success) return jsonError(400, locale, "errors.validation");
    return csvResponse(await new AdminInvoiceService({ userId, email }, meta).exportInvoices(filters.data));
  },
  { host: "apex", locale: "user" },
);
