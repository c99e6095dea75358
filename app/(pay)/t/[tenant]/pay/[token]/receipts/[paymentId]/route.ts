import { z } from "zod";
import { jsonError, pdfResponse, route } from "@/server/api/route-kit";
import { renderReceiptPdf } from "@/server/pdf/receipt-pdf";
import { receiptForPayLink } from "@/server/receipts/receipt-link.public";

// GET <slug>.<root>/pay/<token>/receipts/<paymentId> → the receipt PDF of one payment of the pay
// link's invoice, without a session (the link in the rent.receipt message, docs/TELEGRAM.md). The
// pay token is the key, as for the pay page: looked up in the host's workspace under row-level
// security and throttled like a page view; an unknown token, a payment of another invoice or one
// that received no money all answer the same 404.
export const dynamic = "force-dynamic";

const paymentRef = z.uuid();

export const GET = route<{ tenant: string; token: string; paymentId: string }>(
  async ({ scope, meta, locale }, { token, paymentId }) => {
    if (scope.kind !== "tenant") return jsonError(404, locale, "errors.notFound");
    const parsed = paymentRef.safeParse(paymentId);
    if (!parsed.success) return jsonError(404, locale, "errors.notFound");
    const data = await receiptForPayLink(scope.tenant, meta, token, parsed.data);
    const pdf = await renderReceiptPdf(data, locale, scope.tenant);
    return pdfResponse(pdf, `${data.number}.pdf`);
  },
  { host: "tenant", opaqueNotFound: true },
);
