import { rentInvoiceRefSchema } from "@/lib/schemas/rent-invoices";
import { jsonError, pdfResponse } from "@/server/api/route-kit";
import { workspaceRouteGuard } from "@/server/api/route-guards";
import { isAppError } from "@/server/core/errors";
import { renderRentPdf, type RentDocumentData } from "@/server/pdf/rent-pdf";
import { RentInvoiceService } from "@/server/rent-invoices/rent-invoice-service";

// GET acme.<root>/invoices/<id>/pdf[?kind=receipt] → the rent invoice (or, once money was received,
// its receipt) as a PDF in the member's language: 404 unknown workspace / not a member / unknown
// invoice / receipt without money received, 401 no session, 403 suspended or no invoices.view.
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ tenant: string; id: string }> }): Promise<Response> {
  const { tenant, id } = await params;
  const guard = await workspaceRouteGuard(request, tenant, "invoices.view");
  if (!guard.ok) return guard.response;
  const { ctx, locale } = guard;
  const parsed = rentInvoiceRefSchema.safeParse({ invoiceId: id });
  if (!parsed.success) return jsonError(404, locale, "errors.notFound");
  const kind = new URL(request.url).searchParams.get("kind") === "receipt" ? "receipt" : "invoice";

  let data: RentDocumentData;
  try {
    data = await new RentInvoiceService(ctx).document(parsed.data.invoiceId);
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") return jsonError(404, locale, "errors.notFound");
    throw e;
  }
  if (kind === "receipt" && data.amountPaid <= 0) return jsonError(404, locale, "errors.notFound");

  const pdf = await renderRentPdf(data, kind, locale, ctx.tenant);
  const filename = `${data.number}${kind === "receipt" ? "-receipt" : ""}.pdf`;
  return pdfResponse(pdf, filename);
}
