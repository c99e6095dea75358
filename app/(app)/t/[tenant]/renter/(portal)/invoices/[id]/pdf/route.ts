import { renterInvoicePdf } from "@/server/portal/portal-files";
import { renterPdfRoute } from "@/server/portal/portal-routes";

// GET <slug>.<root>/renter/invoices/<id>/pdf → one of the signed-in renter's invoices as a PDF, in
// the renter's language (the language switch first): 401 without a renter session of this
// workspace, 404 for any id that is not theirs (unknown, a draft, another renter's or workspace's).
export const dynamic = "force-dynamic";

export const GET = renterPdfRoute(renterInvoicePdf);
