import { renterReceiptPdf } from "@/server/portal/portal-files";
import { renterPdfRoute } from "@/server/portal/portal-routes";

// GET <slug>.<root>/renter/receipts/<id>/pdf → the receipt of one of the signed-in renter's payments as a PDF, in
// the renter's language (the language switch first): 401 without a renter session of this
// workspace, 404 for any id that is not theirs (unknown, not paid, another renter's or workspace's).
export const dynamic = "force-dynamic";

export const GET = renterPdfRoute(renterReceiptPdf);
