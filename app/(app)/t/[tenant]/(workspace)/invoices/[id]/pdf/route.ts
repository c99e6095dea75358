import { rentInvoiceRefSchema } from "@/lib/schemas/rent-invoices";
import { jsonError, pdfResponse, route } from "@/server/api/route-kit";
import { renderRentPdf } from "@/server/pdf/rent-pdf";
import { invoicePayOptions } from "@/server/pdf/invoice-pay-options";
import { RentInvoiceService } from "@/server/rent-invoices/rent-invoice-service";

// GET acme.<root>/invoices/<id>/pdf[?kind=receipt] → the rent invoice (or, once money was received,
// its receipt) as a PDF in the member's language: 404 unknown workspace / not a member / unknown
// invoice / receipt without money received, 401 no session, 403 suspended or no invoices.view.
export const dynamic = "force-dynamic";

export const GET = route<{ tenant: string; id: string }>(
  async ({ request, locale, tenant }, { id }) => {
    const ctx = await tenant({ permission: "invoices.view" });
    const parsed = rentInvoiceRefSchema.safeParse({ invoiceId: id });
    if (!parsed.success) return jsonError(404, locale, "errors.notFound");
    const kind = new URL(request.url).searchParams.get("kind") === "receipt" ? "receipt" : "invoice";
    const data = await new RentInvoiceService(ctx).document(parsed.data.invoiceId);
    if (kind === "receipt" && data.amountPaid <= 0) return jsonError(404, locale, "errors.notFound");

    // an open invoice carries its KHQR, its pay link as a QR code and the workspace's instructions
    const pay = kind === "invoice" ? await invoicePayOptions(ctx, data.id) : null;
    const pdf = await renderRentPdf(data, kind, locale, ctx.tenant, pay);
    const filename = `${data.number}${kind === "receipt" ? "-receipt" : ""}.pdf`;
    return pdfResponse(pdf, filename);
  },
  { host: "tenant", locale: "user", opaqueNotFound: true },
);
