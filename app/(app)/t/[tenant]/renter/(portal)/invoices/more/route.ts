import { jsonError, route } from "@/server/api/route-kit";
import { currentRenter } from "@/server/portal/renter-session";
import { renterInvoices } from "@/server/portal/portal-queries";
import { invoiceListRow } from "../../_components/rows";

// GET <slug>.<root>/renter/invoices/more?cursor=… → the signed-in renter's next page of invoices
// (the list's "show more"): 401 without a renter session of this workspace, 400 for a forged or
// foreign cursor.
export const dynamic = "force-dynamic";

export const GET = route<{ tenant: string }>(
  async ({ request, scope, locale }) => {
    const renter = await currentRenter();
    if (scope.kind !== "tenant" || !renter || renter.tenantId !== scope.tenant.id) return jsonError(401, locale, "errors.unauthorized");
    const cursor = new URL(request.url).searchParams.get("cursor");
    const page = await renterInvoices(renter, { cursor });
    return Response.json(
      { items: page.items.map(invoiceListRow), nextCursor: page.nextCursor },
      { headers: { "cache-control": "no-store" } },
    );
  },
  { host: "tenant" },
);
