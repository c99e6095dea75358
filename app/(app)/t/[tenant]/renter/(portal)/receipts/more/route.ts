import { jsonError, route } from "@/server/api/route-kit";
import { currentRenter } from "@/server/portal/renter-session";
import { renterReceipts } from "@/server/portal/portal-queries";
import { receiptListRow } from "../../_components/rows";

// GET <slug>.<root>/renter/receipts/more?cursor=… → the signed-in renter's next page of receipts
// (the list's "show more"): 401 without a renter session of this workspace, 400 for a forged or
// foreign cursor.
export const dynamic = "force-dynamic";

export const GET = route<{ tenant: string }>(
  async ({ request, scope, locale }) => {
    const renter = await currentRenter();
    if (scope.kind !== "tenant" || !renter || renter.tenantId !== scope.tenant.id) return jsonError(401, locale, "errors.unauthorized");
    const cursor = new URL(request.url).searchParams.get("cursor");
    const page = await renterReceipts(renter, { cursor });
    return Response.json(
      { items: page.items.map(receiptListRow), nextCursor: page.nextCursor },
      { headers: { "cache-control": "no-store" } },
    );
  },
  { host: "tenant" },
);
