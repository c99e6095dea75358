import { z } from "zod";
import { jsonError, pdfResponse, route } from "@/server/api/route-kit";
import { renderReceiptPdf } from "@/server/pdf/receipt-pdf";
import { ReceiptService } from "@/server/receipts/receipts";

// GET acme.<root>/payments/<id>/receipt → the receipt of one rent payment (its own number, what it
// paid for, the balance after it) as a PDF in the member's language: 404 unknown workspace / not a
// member / unknown payment / a payment of another workspace / no money received, 401 no session,
// 403 suspended or no invoices.view.
export const dynamic = "force-dynamic";

const paymentRef = z.uuid();

export const GET = route<{ tenant: string; id: string }>(
  async ({ locale, tenant }, { id }) => {
    const ctx = await tenant({ permission: "invoices.view" });
    const parsed = paymentRef.safeParse(id);
    if (!parsed.success) return jsonError(404, locale, "errors.notFound");
    const data = await new ReceiptService(ctx).document(parsed.data);
    const pdf = await renderReceiptPdf(data, locale, ctx.tenant);
    return pdfResponse(pdf, `${data.number}.pdf`);
  },
  { host: "tenant", locale: "user", opaqueNotFound: true },
);
