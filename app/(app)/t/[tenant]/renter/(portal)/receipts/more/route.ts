import { renterReceipts } from "@/server/portal/portal-queries";
import { renterMoreRoute } from "@/server/portal/portal-routes";
import { receiptListRow } from "../../_components/rows";

// GET <slug>.<root>/renter/receipts/more?cursor=… → the signed-in renter's next page of receipts
// (the list's "show more"): 401 without a renter session of this workspace, 400 for a forged or
// foreign cursor.
export const dynamic = "force-dynamic";

export const GET = renterMoreRoute(renterReceipts, receiptListRow);
