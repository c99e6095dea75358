import { renterInvoices } from "@/server/portal/portal-queries";
import { renterMoreRoute } from "@/server/portal/portal-routes";
import { invoiceListRow } from "../../_components/rows";

// GET <slug>.<root>/renter/invoices/more?cursor=… → the signed-in renter's next page of invoices
// (the list's "show more"): 401 without a renter session of this workspace, 400 for a forged or
// foreign cursor.
export const dynamic = "force-dynamic";

export const GET = renterMoreRoute(renterInvoices, invoiceListRow);
